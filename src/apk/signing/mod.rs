//! Who signed an APK: v1 (JAR), v2, v3, v3.1 and v4, merged by certificate.

pub mod block;
pub mod v1;
pub mod v2v3;
pub mod v4;

use crate::cert;
use crate::report::{BlockReport, Cert, Signer, SigningBlockReport};
use crate::zip::Archive;
use block::{BlockId, SigningBlock};
use v2v3::Scheme;

/// Everything read about the signatures of one APK.
#[derive(Debug, Clone, Default)]
pub struct Signatures {
    pub signers: Vec<Signer>,
    /// The certificate Android reports to apps asking for the package's
    /// signature: with rotation, the oldest of the lineage; else the first signer's.
    pub filing: Option<Cert>,
    pub block: Option<SigningBlockReport>,
    pub warnings: Vec<String>,
}

/// Signers as found, before merging: (scheme, certificate, lineage, chain).
struct Found {
    scheme: &'static str,
    certificate: Vec<u8>,
    lineage: Vec<Vec<u8>>,
    chain: Vec<Vec<u8>>,
    sdk_range: Option<[u32; 2]>,
}

pub fn read(zip: &Archive<'_>, idsig: Option<&[u8]>) -> Signatures {
    let mut out = Signatures::default();
    let mut found: Vec<Found> = Vec::new();

    match SigningBlock::find(zip.data(), zip.cd_offset) {
        Ok(Some(block)) => {
            for scheme in [Scheme::V31, Scheme::V3, Scheme::V2] {
                let id = match scheme {
                    Scheme::V2 => BlockId::V2,
                    Scheme::V3 => BlockId::V3,
                    Scheme::V31 => BlockId::V31,
                };
                let Some(pair) = block.get(id) else { continue };
                match v2v3::parse(
                    pair.value,
                    pair.offset,
                    scheme,
                    zip.limits().max_certificates,
                ) {
                    Ok(signers) => {
                        for s in signers {
                            let Some(first) = s.certificates.first() else {
                                out.warnings
                                    .push(format!("{} signer has no certificate", scheme.name()));
                                continue;
                            };
                            found.push(Found {
                                scheme: scheme.name(),
                                certificate: first.to_vec(),
                                lineage: s.lineage.iter().map(|n| n.certificate.to_vec()).collect(),
                                chain: s.certificates.iter().skip(1).map(|c| c.to_vec()).collect(),
                                sdk_range: s.min_sdk.zip(s.max_sdk).map(|(a, b)| [a, b]),
                            });
                        }
                    }
                    Err(e) => out.warnings.push(e),
                }
            }
            out.block = Some(block_report(&block, &mut out.warnings));
        }
        Ok(None) => {}
        Err(e) => out.warnings.push(e.to_string()),
    }
    for s in v1::signers(zip, &mut out.warnings) {
        found.push(Found {
            scheme: "v1",
            certificate: s.certificate,
            lineage: Vec::new(),
            chain: s.chain,
            sdk_range: None,
        });
    }
    if let Some(idsig) = idsig {
        match v4::certificate(idsig) {
            Ok(c) => found.push(Found {
                scheme: "v4",
                certificate: c.to_vec(),
                lineage: Vec::new(),
                chain: Vec::new(),
                sdk_range: None,
            }),
            Err(e) => out.warnings.push(format!(".idsig: {e}")),
        }
    }

    // Merge by certificate bytes, keeping first-seen order (v3.1, v3, v2, v1, v4).
    let mut merged: Vec<(Vec<u8>, Signer)> = Vec::new();
    let describe = cert::describe_noting;
    for f in found {
        if let Some((_, s)) = merged.iter_mut().find(|(raw, _)| *raw == f.certificate) {
            if !s.schemes.contains(&f.scheme) {
                s.schemes.push(f.scheme);
            }
            if let Some(r) = f.sdk_range {
                s.sdk_ranges.insert(f.scheme, r);
            }
            if s.lineage.is_empty() && !f.lineage.is_empty() {
                s.lineage = f
                    .lineage
                    .iter()
                    .map(|c| describe(c, &mut out.warnings))
                    .collect();
            }
            continue;
        }
        let signer = Signer {
            role: None,
            sdk_ranges: f.sdk_range.map(|r| (f.scheme, r)).into_iter().collect(),
            schemes: vec![f.scheme],
            certificate: describe(&f.certificate, &mut out.warnings),
            lineage: f
                .lineage
                .iter()
                .map(|c| describe(c, &mut out.warnings))
                .collect(),
            chain: f
                .chain
                .iter()
                .map(|c| describe(c, &mut out.warnings))
                .collect(),
        };
        merged.push((f.certificate, signer));
    }
    out.signers = merged.into_iter().map(|(_, s)| s).collect();

    // The filing certificate.
    let rotated = out.signers.iter().find_map(|s| s.lineage.first());
    out.filing = rotated
        .or_else(|| out.signers.first().map(|s| &s.certificate))
        .cloned();
    if let Some(filing) = &out.filing {
        let in_lineage = |c: &Cert| {
            out.signers
                .iter()
                .any(|s| s.lineage.iter().any(|l| l.sha256 == c.sha256))
        };
        let others: Vec<String> = out
            .signers
            .iter()
            .filter(|s| s.certificate.sha256 != filing.sha256 && !in_lineage(&s.certificate))
            .map(|s| format!("{} ({})", s.certificate.subject, s.certificate.sha256))
            .collect();
        if !others.is_empty() {
            out.warnings.push(format!(
                "signed by {} certificates; the filing uses the first ({}), the others are: {}",
                others.len() + 1,
                filing.sha256,
                others.join("; ")
            ));
        }
    }
    out
}

fn block_report(block: &SigningBlock<'_>, warnings: &mut Vec<String>) -> SigningBlockReport {
    let mut channel = None;
    let blocks = block
        .pairs
        .iter()
        .map(|p| {
            match p.id {
                BlockId::WalleChannel | BlockId::VasDollyChannel | BlockId::PackerNgChannel => {
                    channel = Some(String::from_utf8_lossy(p.value).into_owned());
                }
                BlockId::Unknown(id) => warnings.push(format!(
                    "APK Signing Block holds an unknown block 0x{id:08x} ({} bytes)",
                    p.value.len()
                )),
                _ => {}
            }
            BlockReport {
                id: format!("0x{:08x}", p.raw_id),
                name: p.id.name(),
                size: p.value.len(),
            }
        })
        .collect();
    SigningBlockReport {
        offset: block.offset,
        size: block.len,
        blocks,
        channel,
        version: None,
    }
}
