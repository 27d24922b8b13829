//! Verifying v2, v3 and v3.1 signers (apksig `V2SchemeVerifier`,
//! `V3SchemeVerifier`): signatures over the signed data, certificates against
//! the signer's key, SDK ranges, lineage, and the content digests.

use super::crypto::{self, Hash, SigAlg};
use super::digest::ContentDigest;
use crate::apk::signing::block::LengthPrefixed;
use crate::apk::signing::v2v3::{Scheme, SchemeSigner, ATTR_ROTATION_MIN_SDK};
use std::collections::BTreeMap;
use x509_parser::prelude::{FromDer, X509Certificate};

/// Android refuses more signers than this in one scheme.
const MAX_SIGNERS: usize = 10;

/// v2 signed-data attribute: "this APK was also signed with scheme N" (stripping protection).
const ATTR_STRIPPING_PROTECTION: u32 = 0xbeef_f00d;

/// A signature algorithm id of the v2+ schemes: how to check it and what it covers.
#[derive(Debug, Clone, Copy)]
pub struct Algorithm {
    pub id: u32,
    pub sig: SigAlg,
    pub content: ContentDigest,
    /// First Android version that verifies it.
    pub min_sdk: u32,
}

pub fn algorithm(id: u32) -> Option<Algorithm> {
    let (sig, content, min_sdk) = match id {
        0x0101 => (
            SigAlg::RsaPss(Hash::Sha256),
            ContentDigest::ChunkedSha256,
            24,
        ),
        0x0102 => (
            SigAlg::RsaPss(Hash::Sha512),
            ContentDigest::ChunkedSha512,
            24,
        ),
        0x0103 => (
            SigAlg::RsaPkcs1(Hash::Sha256),
            ContentDigest::ChunkedSha256,
            24,
        ),
        0x0104 => (
            SigAlg::RsaPkcs1(Hash::Sha512),
            ContentDigest::ChunkedSha512,
            24,
        ),
        0x0201 => (
            SigAlg::Ecdsa(Hash::Sha256),
            ContentDigest::ChunkedSha256,
            24,
        ),
        0x0202 => (
            SigAlg::Ecdsa(Hash::Sha512),
            ContentDigest::ChunkedSha512,
            24,
        ),
        0x0301 => (SigAlg::Dsa(Hash::Sha256), ContentDigest::ChunkedSha256, 24),
        0x0421 => (
            SigAlg::RsaPkcs1(Hash::Sha256),
            ContentDigest::VerityChunkedSha256,
            28,
        ),
        0x0423 => (
            SigAlg::Ecdsa(Hash::Sha256),
            ContentDigest::VerityChunkedSha256,
            28,
        ),
        0x0425 => (
            SigAlg::Dsa(Hash::Sha256),
            ContentDigest::VerityChunkedSha256,
            28,
        ),
        _ => return None,
    };
    Some(Algorithm {
        id,
        sig,
        content,
        min_sdk,
    })
}

/// What verifying one scheme's signers found.
#[derive(Debug, Default)]
pub struct SchemeResult {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Certificates (as stored) of the verified signers, first certificate each.
    pub certificates: Vec<Vec<u8>>,
    /// Lineage certificates of a v3 signer, oldest first.
    pub lineage: Vec<Vec<u8>>,
    /// (algorithm, expected digest) pairs to check against the file.
    pub digests: Vec<(ContentDigest, Vec<u8>)>,
    /// Smallest signer min SDK (for v3.1's rotation min SDK).
    pub min_signer_sdk: Option<u32>,
    /// v3: the rotation-min-SDK attribute a signer carries.
    pub rotation_min_sdk_attr: Option<u32>,
}

fn spki_of(cert: &[u8]) -> Option<Vec<u8>> {
    let (_, c) = X509Certificate::from_der(cert).ok()?;
    Some(c.tbs_certificate.subject_pki.raw.to_vec())
}

/// Verify the signers of one scheme for the SDK range `min..=max`.
pub fn verify(
    scheme: Scheme,
    signers: &[SchemeSigner<'_>],
    min: u32,
    max: u32,
    supported: &[u32],
    found: &[u32],
    coverage: bool,
) -> SchemeResult {
    let mut r = SchemeResult::default();
    let tag = match scheme {
        Scheme::V2 => "V2",
        Scheme::V3 => "V3",
        Scheme::V31 => "V31",
    };
    let mut covered: Vec<(u32, u32)> = Vec::new();
    if signers.len() > MAX_SIGNERS {
        r.errors.push(format!(
            "{tag}_SIG_MAX_SIGNATURES_EXCEEDED: {} signers, at most {MAX_SIGNERS}",
            signers.len()
        ));
        return r;
    }
    for (n, s) in signers.iter().enumerate() {
        let who = format!("{} signer #{}", scheme.name(), n + 1);
        if scheme != Scheme::V2 {
            let (lo, hi) = (s.min_sdk.unwrap_or(0), s.max_sdk.unwrap_or(0));
            // Signers for other platform versions are not this range's business.
            if lo > max || hi < min {
                continue;
            }
            covered.push((lo, hi));
            r.min_signer_sdk = Some(r.min_signer_sdk.map_or(lo, |m| m.min(lo)));
            if let Some(inner) = signed_data_sdk(s) {
                if inner != (lo, hi) {
                    r.errors.push(format!(
                        "{tag}_SIG_SDK_VERSION_MISMATCH: {who}: SDK range {lo}..{hi} differs from the signed data's {}..{}",
                        inner.0, inner.1
                    ));
                }
            }
        }
        verify_signer(tag, &who, s, min, max, supported, found, &mut r);
    }
    if scheme != Scheme::V2 && coverage {
        covered.sort_unstable();
        // v3.1 signers start where rotation applies (possibly above the range's
        // start, e.g. SDK 10000 for a development release); v3 covers below that.
        let mut next = match scheme {
            Scheme::V31 => covered.first().map_or(min, |(lo, _)| (*lo).max(min)),
            _ => min,
        };
        for (lo, hi) in &covered {
            if *lo > next {
                break;
            }
            next = next.max(hi.saturating_add(1));
        }
        if covered.is_empty() || next <= max {
            r.errors.push(format!(
                "{tag}_MISSING_SDK_VERSIONS: no {} signer covers SDK versions from {next}",
                scheme.name()
            ));
        }
    }
    r
}

/// The min/max SDK inside a v3 signer's signed data.
fn signed_data_sdk(s: &SchemeSigner<'_>) -> Option<(u32, u32)> {
    let mut sd = LengthPrefixed::new(s.signed_data, 0);
    sd.item().ok()?;
    sd.item().ok()?;
    Some((sd.u32().ok()?, sd.u32().ok()?))
}

#[allow(clippy::too_many_arguments)]
fn verify_signer(
    tag: &str,
    who: &str,
    s: &SchemeSigner<'_>,
    min: u32,
    max: u32,
    supported: &[u32],
    found: &[u32],
    r: &mut SchemeResult,
) {
    let err = |r: &mut SchemeResult, code: &str, msg: String| {
        r.errors.push(format!("{tag}_{code}: {who}: {msg}"))
    };
    if s.signatures.is_empty() {
        return err(r, "SIG_NO_SIGNATURES", "no signatures".into());
    }
    let known: Vec<(Algorithm, &[u8])> = s
        .signatures
        .iter()
        .filter_map(|(id, sig)| algorithm(*id).map(|a| (a, *sig)))
        .filter(|(a, _)| a.min_sdk <= max)
        .collect();
    for (id, _) in &s.signatures {
        if algorithm(*id).is_none() {
            r.warnings.push(format!(
                "{tag}_SIG_UNKNOWN_SIG_ALGORITHM: {who}: algorithm 0x{id:04x}"
            ));
        }
    }
    if !known.iter().any(|(a, _)| a.min_sdk <= min.max(24)) {
        return err(
            r,
            "SIG_NO_SUPPORTED_SIGNATURES",
            format!("no signature algorithm supported on SDK {min}"),
        );
    }
    for (a, sig) in &known {
        if let Err(e) = crypto::verify(a.sig, s.public_key, s.signed_data, sig) {
            return err(
                r,
                "SIG_DID_NOT_VERIFY",
                format!("signature 0x{:04x} did not verify: {e}", a.id),
            );
        }
    }
    let sig_algs: Vec<u32> = s.signatures.iter().map(|(id, _)| *id).collect();
    let dig_algs: Vec<u32> = s.digests.iter().map(|(id, _)| *id).collect();
    if sig_algs != dig_algs {
        return err(
            r,
            "SIG_SIG_ALG_MISMATCH_BETWEEN_SIGNATURES_AND_DIGESTS_RECORDS",
            format!("signatures {sig_algs:04x?}, digests {dig_algs:04x?}"),
        );
    }
    let Some(cert) = s.certificates.first() else {
        return err(r, "SIG_NO_CERTIFICATES", "no certificates".into());
    };
    match spki_of(cert) {
        None => {
            return err(
                r,
                "SIG_MALFORMED_CERTIFICATE",
                "certificate does not parse".into(),
            )
        }
        Some(spki) if spki != s.public_key => {
            return err(
                r,
                "SIG_PUBLIC_KEY_MISMATCH_BETWEEN_CERTIFICATE_AND_SIGNATURES_RECORD",
                "the certificate's key is not the signer's".into(),
            )
        }
        Some(_) => {}
    }
    for (id, value) in &s.attributes {
        if *id == ATTR_STRIPPING_PROTECTION && tag == "V2" {
            let referenced = value
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_le_bytes);
            if let Some(v) = referenced {
                if supported.contains(&v) && !found.contains(&v) {
                    err(r, "SIG_MISSING_APK_SIG_REFERENCED", format!("the signature says the APK was also signed with scheme v{v}, which is missing (stripped?)"));
                }
            }
        }
        if *id == ATTR_ROTATION_MIN_SDK {
            r.rotation_min_sdk_attr = value
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_le_bytes);
        }
    }
    // Lineage: each certificate signed by its predecessor, ending in the signer's.
    if !s.lineage.is_empty() {
        if s.lineage.last().map(|n| n.certificate) != Some(*cert) {
            err(
                r,
                "SIG_POR_CERT_MISMATCH",
                "the lineage does not end with the signer's certificate".into(),
            );
        }
        if let Err(e) = verify_lineage(s) {
            err(r, "SIG_POR_DID_NOT_VERIFY", e);
        }
        r.lineage = s.lineage.iter().map(|n| n.certificate.to_vec()).collect();
    }
    for (id, d) in &s.digests {
        if let Some(a) = algorithm(*id) {
            if a.min_sdk <= max {
                r.digests.push((a.content, d.to_vec()));
            }
        }
    }
    r.certificates.push(cert.to_vec());
}

/// Check each lineage node's signature by the previous node's key.
fn verify_lineage(s: &SchemeSigner<'_>) -> Result<(), String> {
    let value = s
        .attributes
        .iter()
        .find(|(id, _)| *id == crate::apk::signing::v2v3::ATTR_PROOF_OF_ROTATION)
        .map(|(_, v)| *v)
        .ok_or("no lineage attribute")?;
    let mut r = LengthPrefixed::new(value, 0);
    r.u32()?;
    // Node i is signed by node i-1's key with node i-1's algorithm.
    let mut prev: Option<(Vec<u8>, u32)> = None;
    let mut index = 0;
    while !r.is_empty() {
        let mut node = r.seq()?;
        let (_, signed) = node.item()?;
        let mut sd = LengthPrefixed::new(signed, 0);
        let (_, cert) = sd.item()?;
        let _flags = node.u32()?;
        let alg = node.u32()?;
        let (_, sig) = node.item()?;
        if let Some((spki, prev_alg)) = &prev {
            let a = algorithm(*prev_alg).ok_or_else(|| {
                format!("lineage node {index}: unknown algorithm 0x{prev_alg:04x}")
            })?;
            crypto::verify(a.sig, spki, signed, sig)
                .map_err(|e| format!("lineage node {index}: {e}"))?;
        }
        prev = Some((
            spki_of(cert).ok_or_else(|| format!("lineage node {index}: bad certificate"))?,
            alg,
        ));
        index += 1;
    }
    Ok(())
}

/// Compare expected digests with the file's (`computed` holds every
/// algorithm any scheme asked for, from one pass over the file).
pub fn check_digests(
    expected: &[(ContentDigest, Vec<u8>)],
    computed: &BTreeMap<ContentDigest, Vec<u8>>,
) -> Result<(), ContentDigest> {
    match expected
        .iter()
        .find(|(alg, want)| computed.get(alg) != Some(want))
    {
        Some((alg, _)) => Err(*alg),
        None => Ok(()),
    }
}
