//! The provisioning profile a HarmonyOS package carries in its signing
//! block (sub-block 0x20000002): a PKCS#7 SignedData whose content is the
//! profile JSON (`hapsigner`'s `sign-profile`), or the bare JSON when the
//! package was signed with an unsigned profile (`profileSigned = 0`).

use super::module::{parse_json, str_of as s};
use crate::cert::{self, pkcs7};
use crate::report::{Cert, HarmonyProfileReport};
use serde_json::Value;

/// A profile, read: the report and the bytes to check.
pub struct Profile<'a> {
    pub report: HarmonyProfileReport,
    /// DER of the certificate the profile names (distribution or
    /// development), when it carries one that parses.
    pub certificate_der: Option<Vec<u8>>,
    /// The PKCS#7 around the JSON, when signed.
    pub signed: Option<pkcs7::SignedData<'a>>,
    /// The JSON bytes as stored.
    pub content: &'a [u8],
}

fn list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// PEM → DER of the first certificate.
fn pem_der(pem: &str) -> Option<Vec<u8>> {
    use base64ct::Encoding;
    let body = pem.split("-----BEGIN CERTIFICATE-----").nth(1)?;
    let body = body.split("-----END CERTIFICATE-----").next()?;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64ct::Base64::decode_vec(&b64).ok()
}

/// Read a profile sub-block's value.
pub fn read<'a>(value: &'a [u8], max_certificates: usize) -> Result<Profile<'a>, String> {
    let trimmed = value
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| value.get(i..));
    let (signed, content) = if trimmed.and_then(|t| t.first()) == Some(&b'{') {
        (None, value)
    } else {
        let sd =
            pkcs7::parse_limited(value, max_certificates).map_err(|e| format!("profile: {e}"))?;
        let content = sd.content.ok_or("profile: the PKCS#7 carries no content")?;
        (Some(sd), content)
    };
    let json = parse_json(content).map_err(|e| format!("profile JSON: {e}"))?;
    let null = Value::Null;
    let bundle = json.get("bundle-info").unwrap_or(&null);
    let kind = s(&json, "type");
    let cert_pem =
        s(bundle, "distribution-certificate").or_else(|| s(bundle, "development-certificate"));
    let certificate_der = cert_pem.as_deref().and_then(pem_der);
    let certificate: Option<Cert> = certificate_der
        .as_deref()
        .map(|d| cert::describe_lenient(d).0);
    let validity = json.get("validity").unwrap_or(&null);
    let time = |k: &str| {
        validity
            .get(k)
            .and_then(Value::as_i64)
            .and_then(cert::rfc3339)
    };
    let debug = json.get("debug-info").unwrap_or(&null);
    let signer = signed.as_ref().and_then(|sd| {
        let si = sd.signers.first()?;
        sd.certificate_of(si).map(|c| cert::describe_lenient(c).0)
    });
    Ok(Profile {
        report: HarmonyProfileReport {
            kind,
            app_distribution_type: s(&json, "app-distribution-type"),
            bundle_name: s(bundle, "bundle-name"),
            developer_id: s(bundle, "developer-id"),
            app_identifier: s(bundle, "app-identifier"),
            apl: s(bundle, "apl"),
            app_feature: s(bundle, "app-feature"),
            not_before: time("not-before"),
            not_after: time("not-after"),
            issuer: s(&json, "issuer"),
            uuid: s(&json, "uuid"),
            version_name: s(&json, "version-name"),
            version_code: json.get("version-code").and_then(Value::as_u64),
            restricted_permissions: list(
                json.get("permissions")
                    .and_then(|p| p.get("restricted-permissions")),
            ),
            allowed_acls: list(json.get("acls").and_then(|p| p.get("allowed-acls"))),
            devices: list(debug.get("device-ids")).len(),
            certificate,
            signed: signed.is_some(),
            signer,
        },
        certificate_der,
        signed,
        content,
    })
}
