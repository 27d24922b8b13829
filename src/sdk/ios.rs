//! iOS signals: bundled frameworks (with their own bundle id and version),
//! the main executable's load commands and its Objective-C classes.

use super::{Framework, Signals};
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
        ..Default::default()
    };
    match ipa.main_executable(&opts) {
        Ok((path, slices)) => {
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
