//! `apkinfo check`: compare a package with what was filed (APP备案).
//!
//! The expectations file has one table per platform:
//!
//! ```toml
//! [android]
//! package = "com.example.app"
//! signature_md5 = "AA:BB:…"      # any case, `:` or spaces allowed
//! signature_sha1 = "…"
//! public_key = "MIIBIjAN…"        # SPKI base64 or hex, the RSA modulus in hex or decimal,
//!                                 # or an EC key's point (04‖X‖Y) in hex
//! ```
//!
//! Only the fields given are compared. The report is only read here, never parsed.

use crate::report::{Cert, Report};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What was filed for one platform. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filed {
    pub package: Option<String>,
    pub signature_md5: Option<String>,
    pub signature_sha1: Option<String>,
    pub public_key: Option<String>,
    /// The filed domains (域名): a host of the package's `own` bucket under
    /// none of them is a mismatch. Checking them needs a scanned report.
    pub domains: Option<Vec<String>>,
}

impl Expectations {
    /// Whether any platform lists domains (the package must then be scanned).
    pub fn needs_scan(&self) -> bool {
        [&self.android, &self.ios, &self.harmonyos]
            .iter()
            .any(|t| t.as_ref().is_some_and(|f| f.domains.is_some()))
    }
}

/// The expectations file: `[android]`, `[ios]`, `[harmonyos]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    pub android: Option<Filed>,
    pub ios: Option<Filed>,
    pub harmonyos: Option<Filed>,
}

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CheckError {
    #[error("expectations file: {0}")]
    Toml(String),
}

impl Expectations {
    pub fn from_toml(text: &str) -> Result<Expectations, CheckError> {
        toml::from_str(text).map_err(|e| CheckError::Toml(e.to_string()))
    }

    /// The table for a platform ("android", "ios", "harmonyos").
    pub fn for_platform(&self, platform: &str) -> Option<&Filed> {
        match platform {
            "android" => self.android.as_ref(),
            "ios" => self.ios.as_ref(),
            "harmonyos" => self.harmonyos.as_ref(),
            _ => None,
        }
    }
}

/// One field that does not match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub field: &'static str,
    pub expected: String,
    pub actual: Option<String>,
    /// Set when the filed value belongs to another certificate in the package
    /// (e.g. the new key of a rotation, or a second signer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Lowercase hex with `:`, spaces and a `0x` prefix removed.
fn norm_hex(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A pasted public key: PEM armour and all whitespace removed.
fn norm_key(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect()
}

/// Does `filed` name this certificate's public key, in any accepted form?
pub fn key_matches(filed: &str, cert: &Cert) -> bool {
    let k = &cert.public_key;
    let raw = norm_key(filed);
    if raw.is_empty() {
        return false;
    }
    let hex = norm_hex(&raw);
    let trimmed = hex.trim_start_matches('0');
    raw == k.spki_base64
        || hex == k.spki_hex
        || k.rsa_modulus_hex
            .as_deref()
            .is_some_and(|m| trimmed == m.trim_start_matches('0'))
        || k.rsa_modulus_decimal.as_deref() == Some(raw.as_str())
        || k.ec_point_hex.as_deref() == Some(hex.as_str())
}

/// (field name, filed value, the certificate's digest of that kind).
type DigestField<'f> = (&'static str, &'f Option<String>, fn(&Cert) -> &str);

/// Compare a report with what was filed. Empty when everything given matches.
pub fn compare(report: &Report, filed: &Filed) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let filing = report.filing.as_ref();
    let cert = filing.and_then(|f| {
        report
            .signers
            .iter()
            .flat_map(|s| std::iter::once(&s.certificate).chain(&s.lineage))
            .find(|c| c.sha256 == f.certificate_sha256)
    });
    let others: Vec<&Cert> = report
        .signers
        .iter()
        .flat_map(|s| std::iter::once(&s.certificate).chain(&s.lineage))
        .filter(|c| Some(c.sha256.as_str()) != filing.map(|f| f.certificate_sha256.as_str()))
        .collect();
    // A certificate the package says is not the one to file (an .aab's
    // upload key, a debug or development certificate) can match nothing;
    // a filed value that is that certificate is wrong, and is called so.
    let withheld = report.filing_withheld.as_ref();
    let elsewhere = |hit: &dyn Fn(&Cert) -> bool| {
        let found = others.iter().find(|c| hit(c));
        if let Some(w) = withheld {
            return Some(match found {
                Some(c) if c.sha256 == w.certificate_sha256 => format!(
                    "the filed value is {} ({}), not the certificate to file; {}",
                    w.what(),
                    c.sha256,
                    w.note
                ),
                _ => w.note.clone(),
            });
        }
        found.map(|c| {
            format!(
                "the filed value belongs to another certificate in the package: {} ({})",
                c.subject, c.sha256
            )
        })
    };

    if let Some(want) = &filed.package {
        let actual = report.package.clone();
        if actual.as_deref() != Some(want.trim()) {
            out.push(Mismatch {
                field: "package",
                expected: want.clone(),
                actual,
                note: None,
            });
        }
    }
    let digests: [DigestField<'_>; 2] = [
        ("signature_md5", &filed.signature_md5, |c| c.md5.as_str()),
        ("signature_sha1", &filed.signature_sha1, |c| c.sha1.as_str()),
    ];
    for (field, want, get) in digests {
        let Some(want) = want else { continue };
        let actual = cert.map(|c| get(c).to_string());
        if actual.as_deref() != Some(norm_hex(want).as_str()) {
            let w = norm_hex(want);
            out.push(Mismatch {
                field,
                expected: want.clone(),
                actual,
                note: elsewhere(&|c| get(c) == w),
            });
        }
    }
    if let Some(filed_domains) = &filed.domains {
        let suffixes: Vec<String> = filed_domains
            .iter()
            .map(|d| {
                d.trim()
                    .trim_start_matches("*.")
                    .trim_matches('.')
                    .to_ascii_lowercase()
            })
            .filter(|d| !d.is_empty())
            .collect();
        let under = |host: &str| {
            suffixes
                .iter()
                .any(|s| host == s || host.ends_with(&format!(".{s}")))
        };
        match &report.domains {
            None => out.push(Mismatch {
                field: "domains",
                expected: filed_domains.join(", "),
                actual: None,
                note: Some("the package was not scanned for domains".into()),
            }),
            Some(domains) => {
                for d in domains
                    .iter()
                    .filter(|d| d.bucket == "own" && !under(&d.host))
                {
                    let wheres: Vec<&str> = d.sources.iter().map(|s| s.path.as_str()).collect();
                    out.push(Mismatch {
                        field: "domains",
                        expected: filed_domains.join(", "),
                        actual: Some(d.host.clone()),
                        note: Some(format!(
                            "{} is not under a filed domain; found in {}",
                            d.host,
                            wheres.join(", ")
                        )),
                    });
                }
            }
        }
    }
    if let Some(want) = &filed.public_key {
        if !cert.is_some_and(|c| key_matches(want, c)) {
            out.push(Mismatch {
                field: "public_key",
                expected: want.clone(),
                actual: cert.map(|c| c.public_key.spki_base64.clone()),
                note: elsewhere(&|c| key_matches(want, c)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Filing, PublicKey, Signer};

    fn report() -> Report {
        let cert = Cert {
            md5: "0a1b".into(),
            sha1: "ff00".into(),
            sha256: "aa".into(),
            public_key: PublicKey {
                spki_hex: "3082".into(),
                spki_base64: "MII=".into(),
                rsa_modulus_hex: Some("c0ffee".into()),
                rsa_modulus_decimal: Some("12648430".into()),
                ..PublicKey::default()
            },
            ..Cert::default()
        };
        Report {
            package: Some("com.x".into()),
            filing: Some(Filing {
                certificate_sha256: "aa".into(),
                ..Filing::default()
            }),
            signers: vec![Signer {
                certificate: cert,
                ..Signer::default()
            }],
            ..Report::default()
        }
    }

    #[test]
    fn every_accepted_form_matches() {
        let r = report();
        let ok = Filed {
            package: Some("com.x".into()),
            signature_md5: Some("0A:1B".into()),
            signature_sha1: Some("FF 00".into()),
            public_key: Some("-----BEGIN PUBLIC KEY-----\nMII=\n-----END PUBLIC KEY-----\n".into()),
            domains: None,
        };
        assert_eq!(compare(&r, &ok), vec![]);
        for key in ["3082", "30:82", "00C0FFEE", "0xc0ffee", "12648430"] {
            assert!(key_matches(key, &r.signers[0].certificate), "{key}");
        }
        assert!(!key_matches("1264843", &r.signers[0].certificate));
        assert!(!key_matches("", &r.signers[0].certificate));
    }

    #[test]
    fn each_wrong_field_is_named() {
        let r = report();
        let bad = Filed {
            package: Some("com.y".into()),
            signature_md5: Some("0a1c".into()),
            signature_sha1: Some("ff01".into()),
            public_key: Some("abcd".into()),
            domains: None,
        };
        let fields: Vec<&str> = compare(&r, &bad).iter().map(|m| m.field).collect();
        assert_eq!(
            fields,
            ["package", "signature_md5", "signature_sha1", "public_key"]
        );
    }

    #[test]
    fn a_withheld_certificate_matches_nothing_and_is_named() {
        let mut r = report();
        let sha = r.signers[0].certificate.sha256.clone();
        r.withhold_filing("debug-certificate", sha, "file the release key".into());
        let filed = Filed {
            package: Some("com.x".into()),
            signature_md5: Some("0a1b".into()),
            ..Filed::default()
        };
        let m = compare(&r, &filed);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].field, "signature_md5");
        assert_eq!(m[0].actual, None);
        let note = m[0].note.as_deref().unwrap();
        assert!(
            note.contains("is this package's debug certificate (aa)"),
            "{note}"
        );
        assert!(note.ends_with("file the release key"), "{note}");
    }

    #[test]
    fn toml_tables_and_unknown_fields() {
        let e =
            Expectations::from_toml("[android]\npackage = \"a\"\n[ios]\nsignature_sha1 = \"b\"\n")
                .unwrap();
        assert_eq!(
            e.for_platform("android").unwrap().package.as_deref(),
            Some("a")
        );
        assert!(Expectations::from_toml("[android]\npackge = \"a\"\n").is_err());
    }
}
