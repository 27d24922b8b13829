//! Provisioning profiles (`embedded.mobileprovision`): a CMS SignedData whose
//! content is a plist.

use crate::cert::{self, pkcs7};
use crate::report::ProvisioningReport;
use crate::Limits;
use plist::Value;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProfileError {
    #[error("provisioning profile: {0}")]
    Cms(#[from] pkcs7::Pkcs7Error),
    #[error("provisioning profile has no plist content")]
    NoContent,
    #[error("provisioning profile plist: {0}")]
    Plist(String),
}

/// Parse the plist out of a profile; a bare plist (unsigned) is accepted too.
fn plist(data: &[u8], limits: &Limits) -> Result<Value, ProfileError> {
    let content = match pkcs7::parse_limited(data, limits.max_certificates) {
        Ok(sd) => sd.content.ok_or(ProfileError::NoContent)?,
        Err(e) if !data.starts_with(b"<?xml") && !data.starts_with(b"bplist") => {
            return Err(e.into())
        }
        Err(_) => data,
    };
    super::plist_value_limited(content, limits.max_plist_depth).map_err(ProfileError::Plist)
}

fn date(v: Option<&Value>) -> Option<String> {
    let d = v?.as_date()?;
    Some(d.to_xml_format())
}

/// Read a profile with the default [`Limits`].
pub fn read(data: &[u8], warnings: &mut Vec<String>) -> Result<ProvisioningReport, ProfileError> {
    read_limited(data, &Limits::default(), warnings)
}

/// Read a profile within `limits`: at most `max_certificates` developer
/// certificates are described, nothing nested past `max_plist_depth` is parsed.
pub fn read_limited(
    data: &[u8],
    limits: &Limits,
    warnings: &mut Vec<String>,
) -> Result<ProvisioningReport, ProfileError> {
    let max_certificates = limits.max_certificates;
    let value = plist(data, limits)?;
    let dict = value
        .as_dictionary()
        .ok_or_else(|| ProfileError::Plist("top level is not a dictionary".into()))?;
    let s = |k: &str| dict.get(k).and_then(Value::as_string).map(str::to_string);
    let ents = dict.get("Entitlements").and_then(Value::as_dictionary);
    let get_task_allow = ents
        .and_then(|e| e.get("get-task-allow"))
        .and_then(Value::as_boolean)
        .or_else(|| {
            ents.and_then(|e| e.get("com.apple.security.get-task-allow"))
                .and_then(Value::as_boolean)
        })
        .unwrap_or(false);
    let devices = dict
        .get("ProvisionedDevices")
        .and_then(Value::as_array)
        .map(Vec::len);
    let all_devices = dict
        .get("ProvisionsAllDevices")
        .and_then(Value::as_boolean)
        .unwrap_or(false);
    let macos = dict
        .get("Platform")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .filter_map(Value::as_string)
                .any(|p| p == "OSX" || p == "macOS")
        });
    // Xcode's own rules: development profiles allow debugging; ad hoc lists
    // devices; enterprise provisions all devices; the rest is App Store.
    // macOS has no ad hoc: a device list there means development.
    let kind = if get_task_allow || (macos && devices.is_some()) {
        "development"
    } else if devices.is_some() {
        "ad-hoc"
    } else if all_devices {
        "enterprise"
    } else {
        "app-store"
    };
    let certificates = dict
        .get("DeveloperCertificates")
        .and_then(Value::as_array)
        .map(|a| {
            if a.len() > max_certificates {
                warnings.push(format!(
                    "profile lists {} developer certificates; the first {max_certificates} are described (the max-certificates limit)",
                    a.len()
                ));
            }
            a.iter()
                .take(max_certificates)
                .filter_map(Value::as_data)
                .map(|der| {
                    let (c, err) = cert::describe_lenient(der);
                    if let Some(e) = err {
                        warnings.push(format!("profile certificate {}: {e}", c.sha256));
                    }
                    c
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ProvisioningReport {
        name: s("Name"),
        uuid: s("UUID"),
        team_id: dict
            .get("TeamIdentifier")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(Value::as_string)
            .map(str::to_string),
        team_name: s("TeamName"),
        app_id: ents
            .and_then(|e| e.get("application-identifier"))
            .and_then(Value::as_string)
            .map(str::to_string),
        kind,
        created: date(dict.get("CreationDate")),
        expires: date(dict.get("ExpirationDate")),
        devices: devices.unwrap_or(0),
        entitlements: ents
            .map(|e| serde_json::to_value(e).unwrap_or(serde_json::Value::Null))
            .unwrap_or(serde_json::Value::Null),
        certificates,
    })
}
