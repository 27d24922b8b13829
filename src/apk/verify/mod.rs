//! `apkinfo verify`: would Android install this APK, and signed by whom?
//!
//! The verdict follows AOSP apksig's `ApkVerifier`: the SDK range defaults to
//! the manifest's minSdkVersion..∞; v3.1, v3 and v2 are tried where the range
//! needs them, v1 where the range reaches below Android 7.0 or nothing newer
//! was found; stripping protection, rotation and cross-scheme signer rules
//! apply. Error codes are apksig's `Issue` names.

pub use crate::crypto;
pub use crate::digest;
pub mod jar;
pub mod scheme;
pub mod v1;

use crate::apk::signing::block::{BlockId, SigningBlock};
use crate::apk::signing::v2v3::{self, Scheme};
use crate::apk::Apk;
use crate::report::VerificationReport;
use digest::{ContentDigest, Sections};
use std::collections::BTreeMap;

/// A scheme's expected content digests, by algorithm.
type Expected = Vec<(ContentDigest, Vec<u8>)>;

const N: u32 = 24;
const O: u32 = 26;
const P: u32 = 28;
const R: u32 = 30;
const T: u32 = 33;

/// `android:targetSandboxVersion`.
const ATTR_TARGET_SANDBOX_VERSION: u32 = 0x0101_054c;

pub fn verify(
    apk: &Apk<'_>,
    idsig: Option<&[u8]>,
    min_sdk: Option<u32>,
    max_sdk: Option<u32>,
) -> VerificationReport {
    let facts = apk.sdk_facts();
    let min = min_sdk.unwrap_or(facts.min_sdk.unwrap_or(1));
    let mut out = match start(apk, min, max_sdk) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let max = out.max_sdk;
    let zip = &apk.zip;
    let data = zip.data();
    if data.starts_with(b"dex\n") {
        out.warnings.push(
            "the file starts with a DEX header (Janus, CVE-2017-13156): Android before Dec 2017 ran that code with v1 signatures".into(),
        );
    }
    let supported: Vec<u32> = [(2, N), (3, P), (31, T)]
        .iter()
        .filter(|(_, sdk)| max >= *sdk)
        .map(|(id, _)| *id)
        .collect();
    let mut found: Vec<u32> = Vec::new();
    let mut certs: BTreeMap<u32, Vec<Vec<u8>>> = BTreeMap::new();
    let mut lineage: Vec<Vec<u8>> = Vec::new();
    let mut digests_needed: Vec<(u32, Expected)> = Vec::new();
    let mut computed: BTreeMap<ContentDigest, Vec<u8>> = BTreeMap::new();

    let block = match SigningBlock::find(data, zip.cd_offset) {
        Ok(b) => b,
        Err(e) => {
            out.errors.push(format!("APK_SIG_BLOCK_MALFORMED: {e}"));
            return out;
        }
    };
    let parse = |id: BlockId,
                 scheme: Scheme,
                 out: &mut VerificationReport|
     -> Option<Vec<v2v3::SchemeSigner<'_>>> {
        let pair = block.as_ref()?.get(id)?;
        match v2v3::parse(
            pair.value,
            pair.offset,
            scheme,
            zip.limits().max_certificates,
        ) {
            Ok(s) => Some(s),
            Err(e) => {
                out.errors
                    .push(format!("{}_SIG_MALFORMED_SIGNERS: {e}", scheme_tag(scheme)));
                None
            }
        }
    };

    // Schemes whose blocks are present in the range: v1's stripping check
    // needs them, and knowing them lets v1 run beside the newer schemes.
    let has = |id: BlockId| block.as_ref().is_some_and(|b| b.get(id).is_some());
    let mut present: Vec<u32> = Vec::new();
    if max >= T && has(BlockId::V31) {
        present.push(31);
    }
    if max >= P && has(BlockId::V3) {
        present.push(3);
    }
    if max >= N && has(BlockId::V2) && (min < P || present.is_empty()) {
        present.push(2);
    }
    // v1 (when the range reaches below N) and the newer schemes run at once.
    let (v1_early, proceed) = std::thread::scope(|s| {
        let v1_job = (min < N).then(|| s.spawn(|| v1::verify(zip, min, max, &supported, &present)));
        let proceed = (|| -> bool {
            if max >= N {
                let mut rotation_min = 0;
                let v31 = if max >= T {
                    parse(BlockId::V31, Scheme::V31, &mut out)
                } else {
                    None
                };
                if let Some(signers) = &v31 {
                    let r = scheme::verify(
                        Scheme::V31,
                        signers,
                        min.max(T),
                        max,
                        &supported,
                        &found,
                        true,
                    );
                    absorb(&mut out, &r.errors, &r.warnings);
                    rotation_min = r.min_signer_sdk.unwrap_or(0);
                    found.push(31);
                    certs.insert(31, r.certificates.clone());
                    lineage.clone_from(&r.lineage);
                    digests_needed.push((31, r.digests));
                }
                if !out.errors.is_empty() {
                    return false;
                }
                if max >= P {
                    match parse(BlockId::V3, Scheme::V3, &mut out) {
                        Some(signers) => {
                            // With v3.1 rotation, v3 only has to cover the versions below it.
                            let v3_max = if rotation_min > 0 {
                                max.min(rotation_min.saturating_sub(1))
                            } else {
                                max
                            };
                            let coverage = v3_max >= min.max(P);
                            let r = scheme::verify(
                                Scheme::V3,
                                &signers,
                                min.max(P),
                                v3_max.max(min.max(P)),
                                &supported,
                                &found,
                                coverage,
                            );
                            absorb(&mut out, &r.errors, &r.warnings);
                            match (r.rotation_min_sdk_attr, v31.is_some()) {
                        (Some(attr), false) if attr >= T && max >= attr => out.errors.push(format!(
                            "V31_BLOCK_MISSING: the v3 signature names rotation from SDK {attr}, but there is no v3.1 block (stripped?)"
                        )),
                        (Some(attr), true) if attr != rotation_min => out.errors.push(format!(
                            "V31_ROTATION_MIN_SDK_MISMATCH: v3 says {attr}, the v3.1 signers start at {rotation_min}"
                        )),
                        _ => {}
                    }
                            found.push(3);
                            certs.insert(3, r.certificates.clone());
                            if lineage.is_empty() {
                                lineage.clone_from(&r.lineage);
                            }
                            digests_needed.push((3, r.digests));
                        }
                        None if v31.is_some() => out.errors.push(
                            "V31_BLOCK_FOUND_WITHOUT_V3_BLOCK: a v3.1 block needs a v3 block"
                                .into(),
                        ),
                        None => {}
                    }
                    if !out.errors.is_empty() {
                        return false;
                    }
                }
                if min < P || found.is_empty() {
                    if let Some(signers) = parse(BlockId::V2, Scheme::V2, &mut out) {
                        let r = scheme::verify(
                            Scheme::V2,
                            &signers,
                            min.max(N),
                            max,
                            &supported,
                            &found,
                            true,
                        );
                        absorb(&mut out, &r.errors, &r.warnings);
                        found.push(2);
                        certs.insert(2, r.certificates.clone());
                        digests_needed.push((2, r.digests));
                    }
                    if !out.errors.is_empty() {
                        return false;
                    }
                }
                // Content digests, each algorithm computed once for every scheme.
                if !digests_needed.is_empty() {
                    let block_offset = block.as_ref().map_or(zip.cd_offset, |b| b.offset);
                    match Sections::new(data, block_offset, zip.cd_offset, zip.eocd_offset) {
                        Some(sections) => {
                            // Every algorithm any scheme asks for, in one pass over the file.
                            let sections = sections.with_release(zip.release_hook());
                            let mut algs: Vec<ContentDigest> = digests_needed
                                .iter()
                                .flat_map(|(_, e)| e.iter().map(|(a, _)| *a))
                                .filter(|a| !computed.contains_key(a))
                                .collect();
                            algs.sort();
                            algs.dedup();
                            for (a, d) in algs.iter().zip(sections.compute_all(&algs)) {
                                computed.insert(*a, d);
                            }
                            for (id, expected) in &digests_needed {
                                if let Err(alg) = scheme::check_digests(expected, &computed) {
                                    out.errors.push(format!(
                                "{}_SIG_APK_DIGEST_DID_NOT_VERIFY: the {alg:?} digest of the APK's contents does not match the signature",
                                id_tag(*id)
                            ));
                                }
                            }
                        }
                        None => out
                            .errors
                            .push("APK_SIG_BLOCK_MALFORMED: ZIP sections out of range".into()),
                    }
                    if !out.errors.is_empty() {
                        return false;
                    }
                }
                if let Some(idsig) = idsig {
                    match crate::apk::signing::v4::apk_digest(idsig) {
                Ok(d) if computed.values().any(|c| c.get(..d.len().min(c.len())) == Some(d) || c == d) => found.push(4),
                Ok(_) => out
                    .errors
                    .push("V4_SIG_V2_V3_DIGESTS_MISMATCH: the .idsig's APK digest matches no v2/v3 digest".into()),
                Err(e) => out.errors.push(format!("V4_SIG_MALFORMED: {e}")),
            }
                }
            }

            true
        })();
        (v1_job.and_then(|h| h.join().ok()), proceed)
    });
    if !proceed {
        return out;
    }

    // Sandbox v2 apps need a v2+ signature (Android O and later).
    if max >= O && found.is_empty() {
        let sandbox = apk
            .manifest
            .root()
            .and_then(|m| m.attr(ATTR_TARGET_SANDBOX_VERSION, "targetSandboxVersion"))
            .and_then(|a| a.value.as_int());
        if let Some(v) = sandbox.filter(|v| *v > 1) {
            out.errors.push(format!(
                "NO_SIG_FOR_TARGET_SANDBOX_VERSION: targetSandboxVersion {v} needs an APK Signature Scheme v2 or newer signature"
            ));
        }
    }

    let mut v1_verified = false;
    if min < N || found.is_empty() {
        // The early run saw the same schemes unless one was present but failed,
        // and then we returned above.
        let r = match v1_early {
            Some(r)
                if present
                    == found
                        .iter()
                        .copied()
                        .filter(|f| *f != 4)
                        .collect::<Vec<_>>() =>
            {
                r
            }
            _ => v1::verify(zip, min, max, &supported, &found),
        };
        absorb(&mut out, &r.errors, &r.warnings);
        v1_verified = r.errors.is_empty();
        certs.insert(1, r.certificates);
    }
    if !out.errors.is_empty() {
        return out;
    }

    // Signers must agree across schemes.
    let get = |id: u32| certs.get(&id).cloned().unwrap_or_default();
    if v1_verified && found.contains(&2) {
        let (a, b) = (get(1), get(2));
        if a.iter().any(|c| !b.contains(c)) {
            out.errors
                .push("V2_SIG_MISSING: a JAR signer has no v2 signature".into());
        }
        if b.iter().any(|c| !a.contains(c)) {
            out.errors
                .push("JAR_SIG_MISSING: a v2 signer has no JAR signature".into());
        }
    }
    if found.contains(&3) && (v1_verified || found.contains(&2)) {
        let older = if v1_verified { get(1) } else { get(2) };
        if older.len() != 1 {
            out.errors
                .push("V3_SIG_MULTIPLE_PAST_SIGNERS: v3 allows one earlier signer".into());
        }
        let v3 = get(3);
        match older.first() {
            Some(old) if lineage.is_empty() => {
                if v3.len() != 1 {
                    out.errors.push(
                        "V3_SIG_MULTIPLE_SIGNERS: several v3 signers without rotation".into(),
                    );
                }
                if v3.first() != Some(old) {
                    out.errors.push(
                        "V3_SIG_PAST_SIGNERS_MISMATCH: the v3 signer is not the v1/v2 signer"
                            .into(),
                    );
                }
            }
            Some(old) if !lineage.contains(old) => {
                out.errors.push(
                    "V3_SIG_PAST_SIGNERS_MISMATCH: the v1/v2 signer is not in the v3 lineage"
                        .into(),
                );
            }
            _ => {}
        }
    }
    // Apps targeting Android 11+ must carry v2 or newer.
    let target = facts.target_sdk.unwrap_or(min);
    if max >= R
        && target >= R
        && !found.iter().any(|&s| s >= 2)
        && !out.errors.iter().any(|e| e.starts_with("JAR_"))
    {
        out.errors.push(format!(
            "MIN_SIG_SCHEME_FOR_TARGET_SDK_NOT_MET: targetSdkVersion {target} needs APK Signature Scheme v2 or newer"
        ));
    }

    out.schemes.v1 = v1_verified;
    out.schemes.v2 = found.contains(&2);
    out.schemes.v3 = found.contains(&3);
    out.schemes.v31 = found.contains(&31);
    out.schemes.v4 = found.contains(&4);
    out.verified = out.errors.is_empty() && (v1_verified || !found.is_empty());
    if !out.verified && out.errors.is_empty() {
        out.errors
            .push("NO_SIGNATURES: the APK is not signed".into());
    }
    let mut signer_certs: Vec<Vec<u8>> = Vec::new();
    for id in [31, 3, 2, 1] {
        for c in get(id) {
            if !signer_certs.contains(&c) {
                signer_certs.push(c);
            }
        }
    }
    out.signers = signer_certs
        .iter()
        .map(|c| crate::cert::describe_lenient(c).0)
        .collect();
    out
}

/// Verify an App Bundle: its JAR signature, as Play checks an upload. The
/// APK rules (schemes per SDK range, v2 for targetSdk 30+) do not apply to
/// a bundle, so the range defaults to Android 7.0..∞, where SHA-256 and
/// SHA-1 JAR digests are both accepted; `min_sdk`/`max_sdk` override it.
pub fn verify_bundle(
    apk: &Apk<'_>,
    min_sdk: Option<u32>,
    max_sdk: Option<u32>,
) -> VerificationReport {
    let min = min_sdk.unwrap_or(N);
    let mut out = match start(apk, min, max_sdk) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let max = out.max_sdk;
    let zip = &apk.zip;
    let r = v1::verify(zip, min, max, &[], &[]);
    absorb(&mut out, &r.errors, &r.warnings);
    out.schemes.v1 = r.errors.is_empty() && !r.certificates.is_empty();
    out.verified = out.schemes.v1;
    if !out.verified && out.errors.is_empty() {
        out.errors
            .push("NO_SIGNATURES: the bundle is not signed".into());
    }
    out.signers = r
        .certificates
        .iter()
        .map(|c| crate::cert::describe_lenient(c).0)
        .collect();
    out.warnings.push(
        "an App Bundle: only its JAR signature (the upload key) is checked; the APKs Play serves carry the app signing key"
            .into(),
    );
    out
}

/// The checks before any signature: a sane SDK range, and no repeated
/// entry names. `Err` holds the failed verdict.
fn start(
    apk: &Apk<'_>,
    min: u32,
    max_sdk: Option<u32>,
) -> Result<VerificationReport, VerificationReport> {
    let max = max_sdk.unwrap_or(i32::MAX as u32);
    let mut out = VerificationReport {
        min_sdk: min,
        max_sdk: max,
        ..VerificationReport::default()
    };
    if min > max {
        out.errors
            .push(format!("min SDK {min} is above max SDK {max}"));
        return Err(out);
    }
    // Android's ZIP reader refuses repeated names since the "master key" bug
    // (8219321): whichever copy a verifier checks, the other may be installed.
    let zip = &apk.zip;
    if !zip.duplicates().is_empty() {
        out.errors.push(format!(
            "DUPLICATE_ZIP_ENTRY: {} appear more than once; Android refuses to install such an archive",
            zip.duplicates().join(", ")
        ));
        return Err(out);
    }
    Ok(out)
}

fn absorb(out: &mut VerificationReport, errors: &[String], warnings: &[String]) {
    out.errors.extend(errors.iter().cloned());
    out.warnings.extend(warnings.iter().cloned());
}

fn scheme_tag(s: Scheme) -> &'static str {
    match s {
        Scheme::V2 => "V2",
        Scheme::V3 => "V3",
        Scheme::V31 => "V31",
    }
}

fn id_tag(id: u32) -> &'static str {
    match id {
        2 => "V2",
        3 => "V3",
        _ => "V31",
    }
}
