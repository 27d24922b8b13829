//! A module's own description: `module.json` (stage model), `config.json`
//! (FA model) and `pack.info` (what the packing tool writes beside them, and
//! the whole description of an `.app`). Read as loose JSON: DevEco writes
//! numbers as numbers, hand-made packages sometimes as strings, and a field
//! of an unexpected type is a fact we do not know, not a broken package.

use serde_json::Value;

/// How an OpenHarmony application model describes the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// `module.json` (API 9 and later).
    Stage,
    /// `config.json` (the older Feature Ability model).
    Fa,
}

/// A reference to a resource as the description writes it: the id the
/// compiler resolved (`labelId`) and the text (`$string:app_name`, or a
/// literal label).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResRef {
    pub id: Option<u32>,
    pub text: Option<String>,
}

impl ResRef {
    fn of(obj: &Value, key: &str) -> ResRef {
        ResRef {
            id: obj
                .get(format!("{key}Id"))
                .and_then(as_u64)
                .and_then(|v| u32::try_from(v).ok()),
            text: str_of(obj, key),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.text.as_deref().is_none_or(str::is_empty)
    }
    /// `$string:app_name` → ("string", "app_name").
    pub fn symbol(&self) -> Option<(&str, &str)> {
        self.text.as_deref()?.strip_prefix('$')?.split_once(':')
    }
}

/// One ability (a UI entry point).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ability {
    pub name: String,
    pub label: ResRef,
    pub icon: ResRef,
    /// Its skills make it the launcher's: entity `entity.system.home` with
    /// action `action.system.home` (or `ohos.want.action.home`).
    pub home: bool,
}

/// What a module's description says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleInfo {
    pub model: Option<Model>,
    pub bundle_name: Option<String>,
    /// `app.bundleType`: "app", "atomicService", "shared".
    pub bundle_type: Option<String>,
    pub version_code: Option<u64>,
    pub version_name: Option<String>,
    /// minAPIVersion / apiVersion.compatible as written (HarmonyOS NEXT
    /// writes 50000012 for 5.0.0(12)).
    pub min_api_version: Option<u64>,
    pub target_api_version: Option<u64>,
    pub api_release_type: Option<String>,
    /// "HarmonyOS 5.0.0.25" from compileSdkType and compileSdkVersion.
    pub compile_sdk: Option<String>,
    pub vendor: Option<String>,
    pub debug: Option<bool>,
    pub app_label: ResRef,
    pub app_icon: ResRef,
    /// `module.name` (FA: `distro.moduleName`).
    pub module_name: Option<String>,
    /// "entry", "feature", "shared", "har".
    pub module_type: Option<String>,
    pub main_element: Option<String>,
    pub device_types: Vec<String>,
    pub delivery_with_install: Option<bool>,
    pub installation_free: Option<bool>,
    pub abilities: Vec<Ability>,
    /// requestPermissions (FA: reqPermissions) names, in order, once each.
    pub permissions: Vec<String>,
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string (or a number, as text) field of a JSON object.
pub(super) fn str_of(obj: &Value, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

fn is_home(ability: &Value) -> bool {
    ability
        .get("skills")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|skill| {
            let entities = strings(skill.get("entities"));
            let actions = strings(skill.get("actions"));
            entities.iter().any(|e| e == "entity.system.home")
                && actions
                    .iter()
                    .any(|a| a == "action.system.home" || a == "ohos.want.action.home")
        })
}

fn abilities(list: Option<&Value>) -> Vec<Ability> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| Ability {
            name: str_of(a, "name").unwrap_or_default(),
            label: ResRef::of(a, "label"),
            icon: ResRef::of(a, "icon"),
            home: is_home(a),
        })
        .collect()
}

fn permission_names(list: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("name").and_then(Value::as_str))
    {
        if !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// Parse JSON text, with serde_json's nesting bound (128) as the depth limit.
pub fn parse_json(data: &[u8]) -> Result<Value, String> {
    // A UTF-8 byte-order mark is legal in files DevEco's tools accept.
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    serde_json::from_slice(data).map_err(|e| e.to_string())
}

/// Facts from a stage-model `module.json`.
pub fn stage(json: &Value) -> ModuleInfo {
    let null = Value::Null;
    let app = json.get("app").unwrap_or(&null);
    let module = json.get("module").unwrap_or(&null);
    let compile_sdk = match (
        str_of(app, "compileSdkType"),
        str_of(app, "compileSdkVersion"),
    ) {
        (Some(t), Some(v)) => Some(format!("{t} {v}")),
        (t, v) => t.or(v),
    };
    ModuleInfo {
        model: Some(Model::Stage),
        bundle_name: str_of(app, "bundleName"),
        bundle_type: str_of(app, "bundleType"),
        version_code: app.get("versionCode").and_then(as_u64),
        version_name: str_of(app, "versionName"),
        min_api_version: app.get("minAPIVersion").and_then(as_u64),
        target_api_version: app.get("targetAPIVersion").and_then(as_u64),
        api_release_type: str_of(app, "apiReleaseType"),
        compile_sdk,
        vendor: str_of(app, "vendor"),
        debug: app.get("debug").and_then(Value::as_bool),
        app_label: ResRef::of(app, "label"),
        app_icon: ResRef::of(app, "icon"),
        module_name: str_of(module, "name"),
        module_type: str_of(module, "type"),
        main_element: str_of(module, "mainElement"),
        device_types: strings(module.get("deviceTypes")),
        delivery_with_install: module.get("deliveryWithInstall").and_then(Value::as_bool),
        installation_free: module.get("installationFree").and_then(Value::as_bool),
        abilities: abilities(module.get("abilities")),
        permissions: permission_names(module.get("requestPermissions")),
    }
}

/// Facts from an FA-model `config.json`.
pub fn fa(json: &Value) -> ModuleInfo {
    let null = Value::Null;
    let app = json.get("app").unwrap_or(&null);
    let module = json.get("module").unwrap_or(&null);
    let version = app.get("version").unwrap_or(&null);
    let api = app.get("apiVersion").unwrap_or(&null);
    let distro = module.get("distro").unwrap_or(&null);
    let abilities = abilities(module.get("abilities"));
    // FA names its main ability by its (often dotted, relative) name.
    let main_element = str_of(module, "mainAbility")
        .or_else(|| abilities.iter().find(|a| a.home).map(|a| a.name.clone()));
    ModuleInfo {
        model: Some(Model::Fa),
        bundle_name: str_of(app, "bundleName"),
        bundle_type: str_of(app, "bundleType"),
        version_code: version.get("code").and_then(as_u64),
        version_name: str_of(version, "name"),
        min_api_version: api.get("compatible").and_then(as_u64),
        target_api_version: api.get("target").and_then(as_u64),
        api_release_type: str_of(api, "releaseType"),
        compile_sdk: None,
        vendor: str_of(app, "vendor"),
        debug: app.get("debug").and_then(Value::as_bool),
        app_label: ResRef::of(app, "label"),
        app_icon: ResRef::of(app, "icon"),
        module_name: str_of(distro, "moduleName").or_else(|| str_of(module, "name")),
        module_type: str_of(distro, "moduleType"),
        main_element,
        device_types: strings(module.get("deviceType")),
        delivery_with_install: distro.get("deliveryWithInstall").and_then(Value::as_bool),
        installation_free: distro.get("installationFree").and_then(Value::as_bool),
        abilities,
        permissions: permission_names(module.get("reqPermissions")),
    }
}

/// The API level and the OS version a HarmonyOS API version encodes:
/// 50000012 is 5.0.0(12) (major·10⁷ + minor·10⁵ + patch·10³ + level);
/// a plain OpenHarmony level (9, 12) is just the level.
pub fn api_level(v: u64) -> (u32, Option<String>) {
    if v < 1000 {
        return (v as u32, None);
    }
    let level = (v % 1000) as u32;
    let (major, minor, patch) = (v / 10_000_000, (v / 100_000) % 100, (v / 1000) % 100);
    (level, Some(format!("{major}.{minor}.{patch}({level})")))
}

/// The launcher's ability: one with the home skill, the main element
/// first; `None` when no ability has the skill.
pub fn launcher(info: &ModuleInfo) -> Option<&Ability> {
    let homes = || info.abilities.iter().filter(|a| a.home);
    let main = info.main_element.as_deref();
    homes()
        .find(|a| Some(a.name.as_str()) == main || main.is_some_and(|m| a.name.ends_with(m)))
        .or_else(|| homes().next())
}

/// A module listed by `pack.info`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackEntry {
    /// File name without extension ("entry-default").
    pub name: String,
    /// "entry", "feature", "shared".
    pub module_type: Option<String>,
    pub device_types: Vec<String>,
    pub delivery_with_install: Option<bool>,
}

/// What `pack.info` says: the app and the packages it lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackInfo {
    pub bundle_name: Option<String>,
    pub bundle_type: Option<String>,
    pub version_code: Option<u64>,
    pub version_name: Option<String>,
    pub packages: Vec<PackEntry>,
    /// apiVersion of the first module summary: (compatible, target, releaseType).
    pub api: (Option<u64>, Option<u64>, Option<String>),
}

pub fn pack_info(json: &Value) -> PackInfo {
    let null = Value::Null;
    let summary = json.get("summary").unwrap_or(&null);
    let app = summary.get("app").unwrap_or(&null);
    let version = app.get("version").unwrap_or(&null);
    let first_api = summary
        .get("modules")
        .and_then(Value::as_array)
        .and_then(|m| m.first())
        .and_then(|m| m.get("apiVersion"))
        .unwrap_or(&null);
    PackInfo {
        bundle_name: str_of(app, "bundleName"),
        bundle_type: str_of(app, "bundleType"),
        version_code: version.get("code").and_then(as_u64),
        version_name: str_of(version, "name"),
        packages: json
            .get("packages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| PackEntry {
                name: str_of(p, "name").unwrap_or_default(),
                module_type: str_of(p, "moduleType"),
                device_types: strings(p.get("deviceType")),
                delivery_with_install: p.get("deliveryWithInstall").and_then(Value::as_bool),
            })
            .collect(),
        api: (
            first_api.get("compatible").and_then(as_u64),
            first_api.get("target").and_then(as_u64),
            str_of(first_api, "releaseType"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_module() {
        let json = parse_json(br#"{"app":{"iconId":16777217,"minAPIVersion":50000012,"icon":"$media:app_icon","label":"$string:app_name","versionName":"1.0.0","versionCode":1000000,"labelId":16777216,"compileSdkType":"HarmonyOS","compileSdkVersion":"5.0.0.25","targetAPIVersion":"50000012","bundleName":"com.example.myapplication","apiReleaseType":"Beta1"},"module":{"mainElement":"EntryAbility","type":"entry","abilities":[{"name":"Other","skills":[{"entities":["entity.system.home"],"actions":["action.system.home"]}]},{"iconId":16777224,"labelId":16777219,"name":"EntryAbility","skills":[{"entities":["entity.system.home"],"actions":["ohos.want.action.home"]}]}],"deviceTypes":["phone","tablet","phone"],"requestPermissions":[{"name":"ohos.permission.INTERNET"},{"name":"ohos.permission.INTERNET"},{"nope":1}],"name":"entry"}}"#).unwrap();
        let m = stage(&json);
        assert_eq!(m.bundle_name.as_deref(), Some("com.example.myapplication"));
        assert_eq!(m.version_code, Some(1_000_000));
        assert_eq!(m.target_api_version, Some(50_000_012));
        assert_eq!(
            m.app_label,
            ResRef {
                id: Some(16_777_216),
                text: Some("$string:app_name".into())
            }
        );
        assert_eq!(m.app_label.symbol(), Some(("string", "app_name")));
        assert_eq!(m.device_types, ["phone", "tablet"]);
        assert_eq!(m.permissions, ["ohos.permission.INTERNET"]);
        assert_eq!(m.compile_sdk.as_deref(), Some("HarmonyOS 5.0.0.25"));
        let l = launcher(&m).unwrap();
        assert_eq!(
            (l.name.as_str(), l.label.id),
            ("EntryAbility", Some(16_777_219))
        );
        assert_eq!(api_level(50_000_012), (12, Some("5.0.0(12)".into())));
        assert_eq!(api_level(40_100_011), (11, Some("4.1.0(11)".into())));
        assert_eq!(api_level(9), (9, None));
    }

    #[test]
    fn odd_json_is_unknown_facts() {
        let m = stage(
            &parse_json(br#"{"app":[],"module":{"abilities":{"a":1},"deviceTypes":"phone"}}"#)
                .unwrap(),
        );
        assert_eq!(m.bundle_name, None);
        assert!(m.abilities.is_empty() && m.device_types.is_empty());
        assert!(parse_json(b"{").is_err());
        let deep = "[".repeat(100_000);
        assert!(parse_json(deep.as_bytes()).is_err());
    }
}
