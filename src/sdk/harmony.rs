//! HarmonyOS signals: native library names, and hosts from module.json (its
//! skills' URIs and text), `resources.index`, rawfile files, `.abc` bytecode
//! and native libraries.

use super::{android, Signals};
use crate::report::ScanReport;

/// HarmonyOS: `libs/<abi>/*.so` names, and hosts from module.json (its
/// skills' URIs and text), `resources.index`, rawfile files, `.abc`
/// bytecode and native libraries, of the module or of every module of an
/// `.app`.
pub(super) fn collect(
    h: &crate::hap::Hap<'_>,
    limits: &crate::Limits,
    s: &mut Signals,
    stats: &mut ScanReport,
    warnings: &mut Vec<String>,
) {
    let zip = h.archive();
    if h.format != crate::hap::Format::App {
        harmony_module(zip, "", s, stats, warnings);
        return;
    }
    for e in zip.entries() {
        let name = e.name_normalized();
        s.files.push(name.to_string());
        if name.contains('/') || !(name.ends_with(".hap") || name.ends_with(".hsp")) {
            continue;
        }
        // Modules are stored in an .app (read in place at any size).
        let bytes = match e.method {
            crate::zip::Method::Stored => zip.raw_data(&e).map(std::borrow::Cow::Borrowed),
            _ => zip.read(&e),
        };
        match bytes.map_err(|e| e.to_string()).and_then(|b| {
            crate::zip::Archive::parse(&b, limits)
                .map(|z| harmony_module(&z, &format!("{name}!"), s, stats, warnings))
                .map_err(|e| e.to_string())
        }) {
            Ok(()) => {}
            Err(err) => warnings.push(format!("{name}: not scanned: {err}")),
        }
    }
}

fn harmony_module(
    zip: &crate::zip::Archive<'_>,
    prefix: &str,
    s: &mut Signals,
    stats: &mut ScanReport,
    warnings: &mut Vec<String>,
) {
    use android::Item;
    let mut items = Vec::new();
    let mut libs: Vec<(String, crate::zip::CentralRecord<'_>)> = Vec::new();
    let mut raw = 0usize;
    for e in zip.entries() {
        if e.is_dir() {
            continue;
        }
        let name = e.name_normalized();
        if prefix.is_empty() {
            s.files.push(name.to_string());
        }
        if let Some(lib) = android::native_lib(&name) {
            s.native_libs.insert(lib.to_string());
            let abi = name.split('/').nth(1).unwrap_or_default().to_string();
            libs.push((abi, e));
            continue;
        }
        if matches!(
            &*name,
            "module.json" | "config.json" | "pack.info" | "resources.index"
        ) || name.ends_with(".abc")
        {
            items.push((e, Item::Blob));
        } else if name.starts_with("resources/rawfile/") && raw < 2000 {
            raw += 1;
            items.push((e, Item::Blob));
        }
        if name == "module.json" || name == "config.json" {
            if let Ok(bytes) = zip.read_capped(&e, 16 << 20) {
                skill_uris(&format!("{prefix}{name}"), &bytes, s);
            }
        }
    }
    let abi = android::preferred_abi(&libs);
    items.extend(
        libs.into_iter()
            .filter(|(a, _)| Some(a) == abi.as_ref())
            .map(|(_, e)| (e, Item::Blob)),
    );
    let found = android::read_all(zip, &items);
    stats.files_searched += found.searched;
    if prefix.is_empty() {
        s.hosts.merge(found.hosts);
    } else {
        // Sources named inside the .app: entry.hap!resources.index.
        s.hosts.merge_prefixed(prefix, found.hosts);
    }
    warnings.extend(found.warnings.into_iter().map(|w| format!("{prefix}{w}")));
}

/// `module.abilities[].skills[].uris[]` (FA: `module.abilities[].skills[].uris[]`
/// too): `{scheme, host}` pairs the app opens links for.
fn skill_uris(source: &str, json: &[u8], s: &mut Signals) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(json) else {
        return;
    };
    let abilities = v
        .get("module")
        .and_then(|m| m.get("abilities"))
        .and_then(|a| a.as_array());
    for ability in abilities.into_iter().flatten() {
        let skills = ability.get("skills").and_then(|x| x.as_array());
        for skill in skills.into_iter().flatten() {
            let uris = skill.get("uris").and_then(|x| x.as_array());
            for uri in uris.into_iter().flatten() {
                let host = uri.get("host").and_then(|x| x.as_str()).unwrap_or_default();
                let scheme = uri
                    .get("scheme")
                    .and_then(|x| x.as_str())
                    .unwrap_or_default();
                if host.is_empty() {
                    continue;
                }
                if matches!(
                    scheme.to_ascii_lowercase().as_str(),
                    "http" | "https" | "ws" | "wss"
                ) {
                    s.hosts
                        .scan(source, format!("{scheme}://{host}/").as_bytes());
                } else {
                    s.hosts
                        .add_host(source, host, crate::domains::Found::Config);
                }
            }
        }
    }
}
