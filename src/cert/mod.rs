//! X.509 certificates: the facts, fingerprints and public-key forms the
//! filing needs. Digests are taken over the certificate bytes exactly as the
//! package stores them — BER-encoded certificates exist, and re-encoding them
//! would change every fingerprint.

pub mod pkcs7;
pub mod signer;

use crate::md5::Md5;
use crate::report::{Cert, PublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use thiserror::Error;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey as ParsedKey;
use x509_parser::x509::X509Name;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CertError {
    #[error("certificate ({len} bytes) does not parse: {msg}")]
    Parse { len: usize, msg: String },
}

/// The Android SDK's debug certificate (`~/.android/debug.keystore`, made by
/// the build tools): `CN=Android Debug, O=Android, C=US`. A package signed
/// with it is a debug build.
pub fn is_android_debug(c: &Cert) -> bool {
    let parts: Vec<&str> = c.subject.split(", ").collect();
    parts.contains(&"CN=Android Debug") && parts.contains(&"O=Android")
}

/// An Apple development certificate ("Apple Development: …", formerly
/// "iPhone Developer: …", "Mac Developer: …"): what a developer's own
/// builds are signed with, not the distribution certificate the filing asks for.
pub fn is_apple_development(c: &Cert) -> bool {
    c.subject.split(", ").any(|p| {
        [
            "CN=Apple Development:",
            "CN=iPhone Developer:",
            "CN=Mac Developer:",
        ]
        .iter()
        .any(|prefix| p.starts_with(prefix))
    })
}

/// A certificate issued by OpenHarmony's public test CA ("OpenHarmony
/// Application CA" / "… Root CA", `O=OpenHarmony`), or that CA itself: its
/// keys ship with the SDK (`OpenHarmony.p12`, password 123456), so anyone
/// can sign with it and it identifies nobody.
pub fn is_openharmony_test(c: &Cert) -> bool {
    let ours = |name: &str| {
        let parts: Vec<&str> = name.split(", ").collect();
        parts.contains(&"O=OpenHarmony")
            && parts
                .iter()
                .any(|p| p.starts_with("CN=OpenHarmony Application") && p.ends_with("CA"))
    };
    ours(&c.issuer) || ours(&c.subject)
}

/// Lowercase hex, no separators.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `AA:BB:…`, as keytool prints fingerprints.
pub fn colon_hex(lower_hex: &str) -> String {
    let upper = lower_hex.to_ascii_uppercase();
    let pairs: Vec<&str> = upper
        .as_bytes()
        .chunks(2)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    pairs.join(":")
}

/// Describe a certificate from its stored bytes.
pub fn describe(raw: &[u8]) -> Result<Cert, CertError> {
    let fail = |msg: String| CertError::Parse {
        len: raw.len(),
        msg,
    };
    let (_, cert) = X509Certificate::from_der(raw).map_err(|e| fail(e.to_string()))?;
    let tbs = &cert.tbs_certificate;
    let spki = tbs.public_key();
    Ok(Cert {
        subject: name(tbs.subject()),
        issuer: name(tbs.issuer()),
        serial: hex(tbs.raw_serial()),
        not_before: rfc3339(tbs.validity().not_before.timestamp()),
        not_after: rfc3339(tbs.validity().not_after.timestamp()),
        signature_algorithm: signature_algorithm(
            &cert.signature_algorithm.algorithm.to_id_string(),
        ),
        md5: hex(&Md5::digest(raw)),
        sha1: hex(&Sha1::digest(raw)),
        sha256: hex(&Sha256::digest(raw)),
        public_key: public_key(spki),
    })
}

/// A certificate we could not parse still gets its fingerprints: the filing
/// fields are digests of the stored bytes and need no parse.
pub fn describe_lenient(raw: &[u8]) -> (Cert, Option<CertError>) {
    match describe(raw) {
        Ok(c) => (c, None),
        Err(e) => (
            Cert {
                md5: hex(&Md5::digest(raw)),
                sha1: hex(&Sha1::digest(raw)),
                sha256: hex(&Sha256::digest(raw)),
                ..Cert::default()
            },
            Some(e),
        ),
    }
}

/// [`describe_lenient`], with a certificate that does not parse noted in
/// `warnings` (its digests are still given).
pub fn describe_noting(raw: &[u8], warnings: &mut Vec<String>) -> Cert {
    let (c, err) = describe_lenient(raw);
    if let Some(e) = err {
        warnings.push(format!("certificate {}: {e}", c.sha256));
    }
    c
}

/// The signer of a PKCS#7 signature: its leaf, and every other
/// certificate the structure carries as its chain.
pub fn signer_with_chain(
    scheme: &'static str,
    leaf: &[u8],
    certificates: &[&[u8]],
    warnings: &mut Vec<String>,
) -> crate::report::Signer {
    crate::report::Signer {
        schemes: vec![scheme],
        certificate: describe_noting(leaf, warnings),
        chain: certificates
            .iter()
            .filter(|c| **c != leaf)
            .map(|c| describe_noting(c, warnings))
            .collect(),
        ..crate::report::Signer::default()
    }
}

/// RFC 4514 order (most specific first), as keytool and apksigner print names.
fn name(n: &X509Name<'_>) -> String {
    let registry = x509_parser::objects::oid_registry();
    let mut parts = Vec::new();
    for rdn in n.iter_rdn().collect::<Vec<_>>().into_iter().rev() {
        for attr in rdn.iter() {
            let key = x509_parser::objects::oid2abbrev(attr.attr_type(), registry)
                .map(str::to_string)
                .unwrap_or_else(|_| attr.attr_type().to_id_string());
            let value = attr
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|_| format!("#{}", hex(attr.attr_value().data)));
            parts.push(format!("{key}={}", escape_dn(&value)));
        }
    }
    parts.join(", ")
}

fn escape_dn(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Seconds since the epoch → `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian).
pub fn rfc3339(secs: i64) -> Option<String> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

fn signature_algorithm(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.4" => "MD5withRSA",
        "1.2.840.113549.1.1.5" => "SHA1withRSA",
        "1.2.840.113549.1.1.11" => "SHA256withRSA",
        "1.2.840.113549.1.1.12" => "SHA384withRSA",
        "1.2.840.113549.1.1.13" => "SHA512withRSA",
        "1.2.840.113549.1.1.14" => "SHA224withRSA",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10045.4.1" => "SHA1withECDSA",
        "1.2.840.10045.4.3.1" => "SHA224withECDSA",
        "1.2.840.10045.4.3.2" => "SHA256withECDSA",
        "1.2.840.10045.4.3.3" => "SHA384withECDSA",
        "1.2.840.10045.4.3.4" => "SHA512withECDSA",
        "1.2.840.10040.4.3" => "SHA1withDSA",
        "2.16.840.1.101.3.4.3.1" => "SHA224withDSA",
        "2.16.840.1.101.3.4.3.2" => "SHA256withDSA",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        other => return other.to_string(),
    }
    .to_string()
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        "1.3.132.0.33" => "P-224",
        "1.2.840.10045.3.1.1" => "P-192",
        "1.3.132.0.10" => "secp256k1",
        other => return other.to_string(),
    }
    .to_string()
}

fn curve_bits(curve: &str) -> Option<u32> {
    Some(match curve {
        "P-256" | "secp256k1" => 256,
        "P-384" => 384,
        "P-521" => 521,
        "P-224" => 224,
        "P-192" => 192,
        _ => return None,
    })
}

/// Bit length of a big-endian unsigned integer (leading zero bytes ignored).
fn bit_len(be: &[u8]) -> u32 {
    let trimmed: &[u8] = match be.iter().position(|&b| b != 0) {
        Some(i) => be.get(i..).unwrap_or(&[]),
        None => &[],
    };
    match trimmed.first() {
        Some(&first) => {
            let len = u32::try_from(trimmed.len()).unwrap_or(u32::MAX / 8);
            (len - 1)
                .saturating_mul(8)
                .saturating_add(8 - first.leading_zeros())
        }
        None => 0,
    }
}

fn public_key(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> PublicKey {
    let raw = spki.raw;
    let oid = spki.algorithm.algorithm.to_id_string();
    let mut key = PublicKey {
        algorithm: match oid.as_str() {
            "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => "RSA".into(),
            "1.2.840.10045.2.1" => "EC".into(),
            "1.2.840.10040.4.1" => "DSA".into(),
            "1.3.101.112" => "Ed25519".into(),
            "1.3.101.113" => "Ed448".into(),
            _ => oid.clone(),
        },
        spki_hex: hex(raw),
        spki_base64: <base64ct::Base64 as base64ct::Encoding>::encode_string(raw),
        spki_sha256: hex(&Sha256::digest(raw)),
        ..PublicKey::default()
    };
    match spki.parsed() {
        Ok(ParsedKey::RSA(rsa)) => {
            let modulus = rsa
                .modulus
                .get(rsa.modulus.iter().take_while(|&&b| b == 0).count()..)
                .unwrap_or(&[]);
            key.bits = Some(bit_len(modulus));
            key.rsa_modulus_hex = Some(hex(modulus));
            key.rsa_modulus_decimal = Some(rsa::BigUint::from_bytes_be(modulus).to_str_radix(10));
            key.rsa_exponent = rsa.try_exponent().ok();
        }
        Ok(ParsedKey::EC(point)) => {
            key.ec_point_hex = Some(hex(point.data()));
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| curve_name(&o.to_id_string()));
            key.bits = curve.as_deref().and_then(curve_bits);
            key.curve = curve;
        }
        Ok(ParsedKey::DSA(_)) => {
            // Key size is that of the prime p, the first integer of Dss-Parms.
            key.bits = spki.algorithm.parameters.as_ref().and_then(|p| {
                // Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER }
                let seq = p.as_sequence().ok()?;
                let (_, first) = x509_parser::asn1_rs::Any::from_der(seq.content.as_ref()).ok()?;
                Some(bit_len(first.data))
            });
        }
        _ => {
            if key.algorithm == "Ed25519" {
                key.bits = Some(256);
            } else if key.algorithm == "Ed448" {
                key.bits = Some(456);
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_and_development_certificates_are_told_apart() {
        let with = |subject: &str| Cert {
            subject: subject.into(),
            ..Cert::default()
        };
        assert!(is_android_debug(&with("CN=Android Debug, O=Android, C=US")));
        assert!(is_android_debug(&with("C=US, O=Android, CN=Android Debug")));
        assert!(!is_android_debug(&with(
            "CN=Android Debugger, O=Android, C=US"
        )));
        assert!(!is_android_debug(&with(
            "CN=Android Debug, O=Example, C=US"
        )));
        assert!(is_apple_development(&with(
            "C=US, O=X, OU=T, CN=Apple Development: dev@example.com (T1)"
        )));
        assert!(is_apple_development(&with(
            "CN=iPhone Developer: A B (T2), O=X"
        )));
        assert!(!is_apple_development(&with(
            "CN=Apple Distribution: X (T3), O=X"
        )));
        assert!(!is_apple_development(&with(
            "CN=iPhone Distribution: X (T3)"
        )));
    }

    use super::*;

    #[test]
    fn dates_and_hex() {
        assert_eq!(rfc3339(0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000).unwrap(), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_782_400).unwrap(), "2000-02-29T00:00:00Z");
        assert_eq!(colon_hex("0aff10"), "0A:FF:10");
        assert_eq!(bit_len(&[0, 0x01, 0]), 9);
        assert_eq!(bit_len(&[0x80; 256]), 2048);
    }
}
