//! iOS signals: bundled frameworks (with their own bundle id and version),
//! the main executable's load commands and its Objective-C classes.

use super::{Framework, Signals};
use crate::domains::Found;
use crate::ipa::macho::{ObjcState, ReadOptions};
use crate::ipa::Ipa;
use crate::report::ScanReport;
use plist::Value;

pub(crate) fn collect(
    ipa: &Ipa<'_>,
    s: &mut Signals,
    stats: &mut ScanReport,
    warnings: &mut Vec<String>,
) {
    let frameworks = format!("{}Frameworks/", ipa.app);
    for e in ipa.zip.entries() {
        let name = e.name_normalized();
        s.files.push(name.to_string());
        // Payload/X.app/Frameworks/Name.framework/Info.plist
        let Some(rest) = name.strip_prefix(frameworks.as_str()) else {
            continue;
        };
        let Some((bundle, "Info.plist")) = rest.split_once(".framework/") else {
            continue;
        };
        if bundle.is_empty() || bundle.contains('/') {
            continue;
        }
        let info = ipa
            .zip
            .read_capped(&e, 1 << 20)
            .ok()
            .and_then(|b| crate::ipa::plist_value_limited(&b, 64).ok());
        let field = |k: &str| {
            info.as_ref()
                .and_then(Value::as_dictionary)
                .and_then(|d| d.get(k))
                .and_then(Value::as_string)
                .map(str::to_string)
        };
        s.frameworks.push(Framework {
            name: bundle.to_string(),
            bundle_id: field("CFBundleIdentifier"),
            version: field("CFBundleShortVersionString").or_else(|| field("CFBundleVersion")),
        });
    }
    stats.frameworks = Some(s.frameworks.len());
    let opts = ReadOptions {
        objc_classnames: true,
        cstrings: true,
    };
    match ipa.main_executable(&opts) {
        Ok((path, slices)) => {
            strings_of(&path, &slices, s);
            associated_domains(&path, &slices, s, warnings);
            for slice in &slices {
                for d in &slice.dylibs {
                    if !s.dylibs.contains(&d.name) {
                        s.dylibs.push(d.name.clone());
                    }
                }
            }
            let encrypted = slices
                .iter()
                .any(|sl| sl.encryption.is_some_and(|e| e.cryptid != 0));
            // The first slice whose section was read speaks for all; else the
            // first that says why it was not.
            if let Some(names) = slices.iter().find_map(|sl| sl.objc_classnames.as_ref()) {
                s.objc_classes.extend(names.iter().cloned());
            } else {
                match slices.iter().map(|sl| &sl.objc).find(|st| **st != ObjcState::NotAsked) {
                    Some(ObjcState::Encrypted) => warnings.push(format!(
                        "{path} is encrypted (App Store FairPlay, cryptid 1): its Objective-C class names cannot be read, so SDKs linked statically into it are not seen; frameworks and load commands still are"
                    )),
                    Some(ObjcState::Unreadable(why)) => {
                        warnings.push(format!("{path}: Objective-C class names unreadable: {why}"));
                    }
                    _ if encrypted => warnings.push(format!(
                        "{path} is encrypted (App Store FairPlay, cryptid 1): SDKs linked statically into it may not be seen"
                    )),
                    _ => {}
                }
            }
            stats.objc_classes = Some(s.objc_classes.len());
        }
        Err(e) => warnings.push(e),
    }
}

/// The string literals of an executable, searched for URLs.
fn strings_of(path: &str, slices: &[crate::ipa::macho::SliceInfo], s: &mut Signals) {
    if let Some(c) = slices.iter().find_map(|sl| sl.cstrings.as_ref()) {
        s.hosts.scan(path, c);
    }
    if let Some(u) = slices.iter().find_map(|sl| sl.ustrings.as_ref()) {
        s.hosts.scan(path, u);
    }
}

/// `com.apple.developer.associated-domains` of the code signature's
/// entitlements: `applinks:example.com`, `webcredentials:…`.
fn associated_domains(
    path: &str,
    slices: &[crate::ipa::macho::SliceInfo],
    s: &mut Signals,
    warnings: &mut Vec<String>,
) {
    let Some(ent) = slices
        .iter()
        .find_map(|sl| sl.signature.as_ref()?.entitlements.as_ref())
    else {
        return;
    };
    let value = match crate::ipa::plist_value_limited(ent, 64) {
        Ok(v) => v,
        Err(e) => {
            warnings.push(format!("{path}: entitlements: {e}"));
            return;
        }
    };
    let source = format!("{path} (entitlements)");
    let list = value
        .as_dictionary()
        .and_then(|d| d.get("com.apple.developer.associated-domains"))
        .and_then(Value::as_array);
    for v in list.into_iter().flatten().filter_map(Value::as_string) {
        // service:host[:port][?mode=developer]
        let Some((_, rest)) = v.split_once(':') else {
            continue;
        };
        let host = rest.split('?').next().unwrap_or_default();
        if !host.is_empty() {
            s.hosts.add_host(&source, host, Found::Config);
        }
    }
}

/// Hosts from everything else the app ships: Info.plist and the other
/// plists of the main app, ATS exception domains, app extensions' and
/// frameworks' string literals (frameworks' hosts are SDK hosts).
pub(crate) fn hosts(
    ipa: &Ipa<'_>,
    s: &mut Signals,
    stats: &mut ScanReport,
    warnings: &mut Vec<String>,
) {
    for d in ipa.ats_domains() {
        s.hosts.add_host(
            &format!("{}Info.plist (NSExceptionDomains)", ipa.app),
            &d,
            Found::Config,
        );
    }
    let opts = ReadOptions {
        objc_classnames: false,
        cstrings: true,
    };
    let mut plists = 0usize;
    let mut executables: Vec<String> = Vec::new();
    for e in ipa.zip.entries() {
        let name = e.name_normalized();
        let Some(rest) = name.strip_prefix(ipa.app.as_str()) else {
            continue;
        };
        if rest.ends_with(".plist") && plists < MAX_PLISTS {
            plists += 1;
            if let Ok(bytes) = ipa.zip.read_capped(&e, 4 << 20) {
                s.hosts.scan(&name, &bytes);
                stats.files_searched += 1;
            }
        }
        // PlugIns/X.appex/Info.plist and Frameworks/X.framework/Info.plist
        // name their executables.
        let bundle = rest
            .strip_prefix("PlugIns/")
            .or_else(|| rest.strip_prefix("Frameworks/"))
            .and_then(|r| r.strip_suffix("/Info.plist"))
            .filter(|b| !b.contains('/'));
        if bundle.is_some() {
            let exe = ipa
                .zip
                .read_capped(&e, 1 << 20)
                .ok()
                .and_then(|d| crate::ipa::plist_value_limited(&d, 64).ok())
                .and_then(|v| {
                    v.as_dictionary()?
                        .get("CFBundleExecutable")?
                        .as_string()
                        .map(str::to_string)
                });
            if let Some(exe) = exe.filter(|x| !x.contains('/')) {
                let dir = name.strip_suffix("Info.plist").unwrap_or_default();
                executables.push(format!("{dir}{exe}"));
            }
        }
    }
    for path in executables.iter().take(MAX_BUNDLES) {
        match ipa.executable_at(path, &opts) {
            Ok(slices) => {
                strings_of(path, &slices, s);
                stats.files_searched += 1;
            }
            Err(e) => warnings.push(format!("not searched for domains: {e}")),
        }
    }
}

/// Bounds on what `hosts` reads: plists, and bundles' executables.
const MAX_PLISTS: usize = 2000;
const MAX_BUNDLES: usize = 256;
