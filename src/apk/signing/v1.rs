//! v1 (JAR) signatures: the PKCS#7 signature block files in META-INF/.

use crate::cert::pkcs7;
use crate::zip::Archive;

/// Bound on signature block files looked at.
const MAX_BLOCKS: usize = 16;

/// One signer of a JAR signature block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V1Signer {
    /// The signature block file, e.g. `META-INF/CERT.RSA`.
    pub block: String,
    /// The signer's certificate, as stored.
    pub certificate: Vec<u8>,
    /// Other certificates in the block (chain), as stored.
    pub chain: Vec<Vec<u8>>,
}

/// Signature block files: `META-INF/<name>.RSA|.DSA|.EC` directly in META-INF
/// (the ones a `.SF` of the same base name points at, plus strays), in name order.
pub fn block_files(zip: &Archive<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for e in zip.with_prefix("META-INF/") {
        let name = e.name_normalized();
        let Some(file) = name.strip_prefix("META-INF/") else {
            continue;
        };
        if file.contains('/') {
            continue;
        }
        let upper = file.to_ascii_uppercase();
        if [".RSA", ".DSA", ".EC"].iter().any(|x| upper.ends_with(x))
            && !out.iter().any(|o| *o == name)
        {
            out.push(name.into_owned());
        }
        if out.len() >= MAX_BLOCKS {
            break;
        }
    }
    out
}

/// Read every v1 signer. Problems with one block become warnings.
pub fn signers(zip: &Archive<'_>, warnings: &mut Vec<String>) -> Vec<V1Signer> {
    let mut out = Vec::new();
    for block in block_files(zip) {
        let Some(entry) = zip.find(&block) else {
            continue;
        };
        let data = match zip.read_capped(&entry, 4 << 20) {
            Ok(d) => d,
            Err(e) => {
                warnings.push(format!("{block}: {e}"));
                continue;
            }
        };
        let sd = match pkcs7::parse_limited(&data, zip.limits().max_certificates) {
            Ok(sd) => sd,
            Err(e) => {
                warnings.push(format!("{block}: {e}"));
                continue;
            }
        };
        if sd.signers.is_empty() {
            warnings.push(format!("{block}: PKCS#7 block has no signers"));
        }
        for si in &sd.signers {
            let cert = match sd.certificate_of(si) {
                Some(c) => c,
                None => match sd.certificates.first() {
                    // Android itself takes the signer's certificate by issuer and
                    // serial; say so when we had to guess.
                    Some(first) => {
                        warnings.push(format!(
                            "{block}: no certificate matches the signer's issuer and serial; using the first of {}",
                            sd.certificates.len()
                        ));
                        first
                    }
                    None => {
                        warnings.push(format!("{block}: PKCS#7 block carries no certificate"));
                        continue;
                    }
                },
            };
            out.push(V1Signer {
                block: block.clone(),
                certificate: cert.to_vec(),
                chain: sd
                    .certificates
                    .iter()
                    .filter(|c| **c != cert)
                    .map(|c| c.to_vec())
                    .collect(),
            });
        }
    }
    out
}
