//! Facts from the decoded manifest, with resource references resolved.
//!
//! Android attributes are looked up by resource id (what PackageParser does),
//! so renamed attribute strings do not fool us.

use crate::apk::axml::{Element, XmlTree};
use crate::apk::resolve::{Resolved, Resolver};
use std::collections::BTreeMap;

/// `android:` attribute resource ids (frameworks/base/core/res/res/values/public.xml).
pub mod attr {
    pub const LABEL: u32 = 0x0101_0001;
    pub const ICON: u32 = 0x0101_0002;
    pub const NAME: u32 = 0x0101_0003;
    pub const ENABLED: u32 = 0x0101_000e;
    pub const DRAWABLE: u32 = 0x0101_0199;
    pub const MIN_SDK_VERSION: u32 = 0x0101_020c;
    pub const VERSION_CODE: u32 = 0x0101_021b;
    pub const VERSION_NAME: u32 = 0x0101_021c;
    pub const TARGET_SDK_VERSION: u32 = 0x0101_0270;
    pub const MAX_SDK_VERSION: u32 = 0x0101_0271;
    pub const ROUND_ICON: u32 = 0x0101_052c;
    pub const VERSION_CODE_MAJOR: u32 = 0x0101_0576;
}

/// The manifest's facts, owned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManifestFacts {
    pub package: Option<String>,
    pub version_code: Option<u64>,
    pub version_name: Option<String>,
    pub min_sdk: Option<u32>,
    pub target_sdk: Option<u32>,
    pub max_sdk: Option<u32>,
    /// Preview codename when minSdkVersion is one ("Tiramisu").
    pub min_sdk_codename: Option<String>,
    pub label: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub permissions: Vec<String>,
    pub launcher_activity: Option<String>,
    /// Resource id of the application icon, else the launcher activity's.
    pub icon: Option<u32>,
    pub warnings: Vec<String>,
}

/// The elements [`facts`] and verification read; [`XmlTree::build_only`]
/// keeps these (under the root) and skips the rest.
pub fn wanted(name: &str) -> bool {
    matches!(
        name,
        "uses-sdk"
            | "uses-permission"
            | "uses-permission-sdk-23"
            | "uses-permission-sdk-m"
            | "application"
            | "activity"
            | "activity-alias"
            | "intent-filter"
            | "action"
            | "category"
    )
}

/// Android's value for a preview SDK (`Build.VERSION_CODES.CUR_DEVELOPMENT`).
const CUR_DEVELOPMENT: u32 = 10_000;

/// Does any of `<uses-sdk>`'s versions refer into the resource table?
pub fn sdk_needs_table(tree: &XmlTree) -> bool {
    let Some(root) = tree.root() else {
        return false;
    };
    tree.children(root, "uses-sdk").next().is_some_and(|u| {
        [
            (attr::MIN_SDK_VERSION, "minSdkVersion"),
            (attr::TARGET_SDK_VERSION, "targetSdkVersion"),
            (attr::MAX_SDK_VERSION, "maxSdkVersion"),
        ]
        .iter()
        .any(|&(id, name)| {
            u.attr(id, name)
                .is_some_and(|a| a.value.reference().is_some())
        })
    })
}

pub fn facts(tree: &XmlTree, res: &Resolver<'_, '_>) -> ManifestFacts {
    let mut f = ManifestFacts::default();
    let Some(root) = tree.root() else { return f };
    if &*root.name != "manifest" {
        f.warnings
            .push(format!("root element is <{}>, not <manifest>", root.name));
    }
    let mut warn = |w: String| f.warnings.push(w);
    let mut value = |e: &Element, id: u32, name: &str, locale: Option<&str>| -> Option<Resolved> {
        let a = e.attr(id, name)?;
        res.attr(a, locale).unwrap_or_else(|w| {
            warn(format!("{name}: {w}"));
            None
        })
    };

    let package = root
        .plain_attr("package")
        .and_then(|a| a.as_str())
        .map(str::to_string);
    let code = value(root, attr::VERSION_CODE, "versionCode", None).and_then(|v| int_of(&v));
    let major =
        value(root, attr::VERSION_CODE_MAJOR, "versionCodeMajor", None).and_then(|v| int_of(&v));
    // longVersionCode = major << 32 | (code as u32), as PackageInfo computes it.
    f.version_code = code.map(|c| (major.unwrap_or(0) as u32 as u64) << 32 | u64::from(c as u32));
    f.version_name =
        value(root, attr::VERSION_NAME, "versionName", None).and_then(Resolved::into_string);

    let uses_sdk = tree.children(root, "uses-sdk").next();
    let sdk = |v: Option<Resolved>| -> (Option<u32>, Option<String>) {
        match v {
            Some(Resolved::Int(i)) => (u32::try_from(i).ok(), None),
            Some(Resolved::Str(s)) => match s.trim().parse::<u32>() {
                Ok(n) => (Some(n), None),
                Err(_) if !s.is_empty() => (Some(CUR_DEVELOPMENT), Some(s)),
                Err(_) => (None, None),
            },
            _ => (None, None),
        }
    };
    if let Some(u) = uses_sdk {
        let (min, codename) = sdk(value(u, attr::MIN_SDK_VERSION, "minSdkVersion", None));
        let (target, target_codename) =
            sdk(value(u, attr::TARGET_SDK_VERSION, "targetSdkVersion", None));
        f.min_sdk = min;
        f.min_sdk_codename = codename;
        f.target_sdk = target.or(target_codename.map(|_| CUR_DEVELOPMENT));
        f.max_sdk = sdk(value(u, attr::MAX_SDK_VERSION, "maxSdkVersion", None)).0;
    }
    // Android's defaults: minSdkVersion 1; targetSdkVersion = minSdkVersion.
    let min = *f.min_sdk.get_or_insert(1);
    f.target_sdk.get_or_insert(min);

    for name in [
        "uses-permission",
        "uses-permission-sdk-23",
        "uses-permission-sdk-m",
    ] {
        for p in tree.children(root, name) {
            if let Some(n) = p.attr(attr::NAME, "name").and_then(|a| a.as_str()) {
                if !f.permissions.iter().any(|x| x == n) {
                    f.permissions.push(n.to_string());
                }
            }
        }
    }

    let app = tree.children(root, "application").next();
    if let Some(app) = app {
        if let Some(a) = app.attr(attr::LABEL, "label") {
            f.label = value(app, attr::LABEL, "label", None).and_then(Resolved::into_string);
            for locale in res.locales_of(a.value) {
                if let Some(l) =
                    value(app, attr::LABEL, "label", Some(&locale)).and_then(Resolved::into_string)
                {
                    f.labels.insert(locale, l);
                }
            }
        }
        f.icon = app
            .attr(attr::ICON, "icon")
            .and_then(|a| a.value.reference());
        let launcher = launcher(tree, app);
        if let Some(act) = launcher {
            let name = act.attr(attr::NAME, "name").and_then(|a| a.as_str());
            f.launcher_activity = name.map(|n| class_name(package.as_deref(), n));
            if f.icon.is_none() {
                f.icon = act
                    .attr(attr::ICON, "icon")
                    .and_then(|a| a.value.reference());
            }
        }
    }
    f.package = package;
    f
}

fn int_of(v: &Resolved) -> Option<i64> {
    match v {
        Resolved::Int(i) => Some(*i),
        // Android's TypedArray.getInt parses strings, hex included.
        Resolved::Str(s) => {
            let s = s.trim();
            match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                Some(h) => i64::from_str_radix(h, 16).ok(),
                None => s.parse().ok(),
            }
        }
        Resolved::Other(_) => None,
    }
}

/// The first enabled activity or alias with a MAIN/LAUNCHER intent filter.
fn launcher<'t>(tree: &'t XmlTree, app: &'t Element) -> Option<&'t Element> {
    let has = |e: &Element, child: &str, want: &str| {
        tree.children(e, child)
            .any(|c| c.attr(attr::NAME, "name").and_then(|a| a.as_str()) == Some(want))
    };
    app.children
        .iter()
        .filter_map(|&i| tree.elements.get(i))
        .filter(|e| &*e.name == "activity" || &*e.name == "activity-alias")
        .filter(|e| {
            e.attr(attr::ENABLED, "enabled")
                .and_then(|a| a.value.as_int())
                != Some(0)
        })
        .find(|e| {
            tree.children(e, "intent-filter").any(|f| {
                has(f, "action", "android.intent.action.MAIN")
                    && has(f, "category", "android.intent.category.LAUNCHER")
            })
        })
}

/// Expand a component name as PackageParser does: ".Foo" and "Foo" live in the package.
fn class_name(package: Option<&str>, name: &str) -> String {
    match package {
        Some(p) if name.starts_with('.') => format!("{p}{name}"),
        Some(p) if !name.contains('.') => format!("{p}.{name}"),
        _ => name.to_string(),
    }
}
