//! v1 (JAR) signature verification, after apksig's `V1SchemeVerifier`:
//! PKCS#7 signatures over the .SF files (with signed attributes), the .SF
//! digests of MANIFEST.MF, and every entry's digest in MANIFEST.MF, with the
//! digest algorithms each Android version in the SDK range would check.

use super::crypto::{self, Hash};
use super::jar::{self, Section};
use crate::cert::pkcs7::{self, SignerInfo};
use crate::zip::{Archive, CentralRecord};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

const JELLY_BEAN_MR2: u32 = 18;
const KITKAT: u32 = 19;
const N: u32 = 24;
/// Android refuses APKs with more JAR signers than this.
const MAX_SIGNERS: usize = 10;

#[derive(Debug, Default)]
pub struct V1Result {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Signer certificates, as stored.
    pub certificates: Vec<Vec<u8>>,
}

/// Is this entry one the manifest must list? (Signature files and folders are not.)
fn needs_digest(name: &str) -> bool {
    if name.ends_with('/') {
        return false;
    }
    let Some(file) = name.strip_prefix("META-INF/") else {
        return true;
    };
    if file.contains('/') {
        return true;
    }
    let upper = file.to_ascii_uppercase();
    !(upper == "MANIFEST.MF"
        || upper.ends_with(".SF")
        || upper.ends_with(".RSA")
        || upper.ends_with(".DSA")
        || upper.ends_with(".EC")
        || upper.starts_with("SIG-"))
}

fn hash_of(name: &str) -> Option<Hash> {
    match name.to_ascii_uppercase().as_str() {
        "SHA1" | "SHA-1" => Some(Hash::Sha1),
        "SHA-224" => Some(Hash::Sha224),
        "SHA-256" => Some(Hash::Sha256),
        "SHA-384" => Some(Hash::Sha384),
        "SHA-512" => Some(Hash::Sha512),
        _ => None,
    }
}

/// The digests Android versions in `min..=max` check in a section, as
/// (hash, base64 value): before 4.3 only SHA-1; from 4.3 the strongest present.
fn digests_to_verify(
    section: &Section<'_>,
    suffix: &str,
    min: u32,
    max: u32,
) -> Vec<(Hash, String)> {
    let mut out = Vec::new();
    if min < JELLY_BEAN_MR2 {
        for alg in ["SHA1", "SHA-1"] {
            if let Some(v) = section.get_joined(alg, suffix) {
                out.push((Hash::Sha1, v.to_string()));
                break;
            }
        }
    }
    if max >= JELLY_BEAN_MR2 {
        for alg in ["SHA-512", "SHA-384", "SHA-256", "SHA-1", "SHA1"] {
            if let Some(v) = section.get_joined(alg, suffix) {
                if let Some(h) = hash_of(alg) {
                    if !out.iter().any(|(o, _)| *o == h) {
                        out.push((h, v.to_string()));
                    }
                }
                break;
            }
        }
    }
    out
}

fn matches(hash: Hash, b64: &str, data: &[u8]) -> bool {
    matches_digest(b64, &crypto::digest(hash, data))
}

/// Is `got` the digest the manifest wrote as `b64`?
fn matches_digest(b64: &str, got: &[u8]) -> bool {
    use base64ct::Encoding;
    base64ct::Base64::decode_vec(b64.trim()).is_ok_and(|w| w == got)
}

/// Check one SignerInfo's signature over the .SF bytes, in apksig's terms.
fn verify_signer_info(
    si: &SignerInfo<'_>,
    cert: &[u8],
    sf: &[u8],
    max: u32,
) -> Result<(), (&'static str, String)> {
    use crate::cert::signer::{self, SignerError as E};
    signer::verify(si, cert, sf, max >= N, false).map_err(|e| match e {
        E::UnsupportedAlgorithm(m) => ("JAR_SIG_UNSUPPORTED_SIG_ALG", m),
        E::Parse(m) => ("JAR_SIG_PARSE_EXCEPTION", m),
        E::NoContentType => (
            "JAR_SIG_VERIFY_EXCEPTION",
            "signed attributes carry no content type".into(),
        ),
        E::WrongContentType(other) => (
            "JAR_SIG_DID_NOT_VERIFY",
            format!("signed content type is {other}, not data"),
        ),
        E::NoMessageDigest => (
            "JAR_SIG_VERIFY_EXCEPTION",
            "signed attributes carry no message digest".into(),
        ),
        E::DigestMismatch => (
            "JAR_SIG_DID_NOT_VERIFY",
            "signed message digest does not match the .SF".into(),
        ),
        E::SeveralMessageDigests => (
            "JAR_SIG_PARSE_EXCEPTION",
            "several message digests in signed attributes".into(),
        ),
        E::BadSignature(m) => ("JAR_SIG_DID_NOT_VERIFY", m),
    })
}

/// An entry to check: its record, its name, and the digests to compare.
type Job<'z> = (CentralRecord<'z>, Cow<'z, str>, Vec<(Hash, String)>);

/// Neighbouring entries checked together, and the span of the file they lie in.
struct Group<'j, 'z> {
    size: u64,
    jobs: Vec<&'j Job<'z>>,
    extent: Option<(usize, usize)>,
}

/// Stream one entry through its hashes and compare them with the manifest's.
fn check_entry(zip: &Archive<'_>, (e, name, digests): &Job<'_>) -> Vec<String> {
    let mut hashers: Vec<_> = digests.iter().map(|(h, _)| crypto::hasher(*h)).collect();
    let streamed = zip.stream(e, |piece| {
        for h in hashers.iter_mut() {
            h.update(piece);
        }
    });
    if let Err(x) = streamed {
        return vec![format!(
            "JAR_SIG_ZIP_ENTRY_DIGEST_DID_NOT_VERIFY: {name}: {x}"
        )];
    }
    digests
        .iter()
        .zip(hashers)
        .filter_map(|((h, v), hasher)| (!matches_digest(v, &hasher.finalize())).then_some(h))
        .map(|h| format!("JAR_SIG_ZIP_ENTRY_DIGEST_DID_NOT_VERIFY: {name}: {h:?} digest differs"))
        .collect()
}

/// Record an error in apksig's terms: its code, then what was wrong.
fn err(r: &mut V1Result, code: &str, msg: String) {
    r.errors.push(format!("{code}: {msg}"));
}

/// The signers: each .SF with its signature block, the PKCS#7 signature over
/// the .SF, and the .SF's digests of MANIFEST.MF. Returns the names each
/// signer's .SF lists, or `None` when verification stops here (errors in `r`).
#[allow(clippy::too_many_arguments)]
fn check_signers(
    zip: &Archive<'_>,
    mf_bytes: &[u8],
    by_name: &HashMap<&str, &Section<'_>>,
    min: u32,
    max: u32,
    supported: &[u32],
    found: &[u32],
    r: &mut V1Result,
) -> Option<(Vec<String>, Vec<HashSet<String>>)> {
    // Signers: each .SF (any case) directly in META-INF/, with its name
    // less the extension, which names its signature block.
    let sf_names: Vec<(String, String)> = zip
        .with_prefix("META-INF/")
        .filter_map(|e| {
            let n = e.name_normalized().into_owned();
            let (base, ext) = n.split_at_checked(n.len().checked_sub(3)?)?;
            let signer = ext.eq_ignore_ascii_case(".SF")
                && base
                    .strip_prefix("META-INF/")
                    .is_some_and(|file| !file.contains('/'));
            signer.then(|| base.to_owned()).map(|base| (n, base))
        })
        .collect();
    let mut signers: Vec<(String, Vec<u8>, Vec<u8>)> = Vec::new();
    for (sf, base) in &sf_names {
        let block = ["RSA", "DSA", "EC"].iter().find_map(|ext| {
            let wanted = format!("{base}.{ext}");
            zip.with_prefix("META-INF/")
                .find(|e| e.name_normalized().eq_ignore_ascii_case(&wanted))
        });
        let (Some(block), Some(sf_entry)) = (block, zip.find(sf)) else {
            continue;
        };
        // A block or .SF that cannot be read (a limit, bad data) is named:
        // "no JAR signatures" alone would hide why.
        match (zip.read(&sf_entry), zip.read_capped(&block, 4 << 20)) {
            (Ok(sf_bytes), Ok(block_bytes)) => {
                signers.push((sf.clone(), sf_bytes.into_owned(), block_bytes.into_owned()))
            }
            (Err(e), _) => err(r, "JAR_SIG_PARSE_EXCEPTION", format!("{sf}: {e}")),
            (_, Err(e)) => err(
                r,
                "JAR_SIG_PARSE_EXCEPTION",
                format!("{}: {e}", block.name_normalized()),
            ),
        }
    }
    if signers.is_empty() {
        err(r, "JAR_SIG_NO_SIGNATURES", "no JAR signatures".into());
        return None;
    }
    if signers.len() > MAX_SIGNERS {
        err(
            r,
            "JAR_SIG_MAX_SIGNATURES_EXCEEDED",
            format!("{} signers, at most {MAX_SIGNERS}", signers.len()),
        );
        return None;
    }

    let mut signed_names: Vec<HashSet<String>> = Vec::new();
    for (sf_name, sf_bytes, block) in &signers {
        let sd = match pkcs7::parse_limited(block, zip.limits().max_certificates) {
            Ok(sd) => sd,
            Err(e) => {
                err(r, "JAR_SIG_PARSE_EXCEPTION", format!("{sf_name}: {e}"));
                continue;
            }
        };
        // Android before N checks only the first SignerInfo; from N, any one that
        // verifies will do. Malformed signed attributes fail on every version, and
        // versions before 4.4 (KitKat) do not support signed attributes at all.
        let mut outcomes = Vec::new();
        for si in &sd.signers {
            let res = if si.signed_attrs.is_some() && min < KITKAT {
                Err((
                    "JAR_SIG_VERIFY_EXCEPTION",
                    format!("signed attributes are not supported before API {KITKAT}"),
                ))
            } else {
                match sd.certificate_of(si) {
                    Some(cert) => {
                        verify_signer_info(si, cert, sf_bytes, max).map(|()| cert.to_vec())
                    }
                    None => Err((
                        "JAR_SIG_NO_SIGNER_CERT_IN_SIG_BLOCK",
                        "no certificate for the signer".into(),
                    )),
                }
            };
            outcomes.push(res);
        }
        let exception = outcomes.iter().find_map(|o| match o {
            Err((code, msg)) if code.ends_with("_EXCEPTION") => Some((*code, msg.clone())),
            _ => None,
        });
        let first = outcomes
            .first()
            .cloned()
            .unwrap_or(Err(("JAR_SIG_NO_SIGNERS", "no SignerInfo".into())));
        let chosen = match exception {
            Some(e) => Err(e),
            None if min < N => first,
            None => outcomes
                .iter()
                .find_map(|o| o.as_ref().ok().cloned())
                .ok_or_else(|| {
                    first
                        .err()
                        .unwrap_or(("JAR_SIG_NO_SIGNERS", "no SignerInfo".into()))
                }),
        };
        let cert = match chosen {
            Ok(c) => c,
            Err((code, msg)) => {
                err(r, code, format!("{sf_name}: {msg}"));
                continue;
            }
        };
        r.certificates.push(cert);

        // The .SF against MANIFEST.MF.
        let (sf_main, sf_sections) = jar::parse(sf_bytes);
        if let Some(ids) = sf_main.get("X-Android-APK-Signed") {
            for id in ids.split(',').filter_map(|s| s.trim().parse::<u32>().ok()) {
                if supported.contains(&id) && !found.contains(&id) {
                    err(r, "JAR_SIG_MISSING_APK_SIG_REFERENCED", format!("{sf_name} says the APK was signed with scheme v{id}, which is missing (stripped?)"));
                }
            }
        }
        let whole = digests_to_verify(&sf_main, "-Digest-Manifest", min, max);
        let created_by_signtool = sf_main
            .get("Created-By")
            .is_some_and(|c| c.contains("signtool"));
        if whole.is_empty() && !created_by_signtool {
            err(
                r,
                "JAR_SIG_NO_MANIFEST_DIGEST_IN_SF",
                format!("{sf_name} has no digest of MANIFEST.MF"),
            );
        }
        let whole_ok = !whole.is_empty() && whole.iter().all(|(h, v)| matches(*h, v, mf_bytes));
        if !whole_ok {
            let main_digests =
                digests_to_verify(&sf_main, "-Digest-Manifest-Main-Attributes", min, max);
            let (mf_main, _) = jar::parse(mf_bytes);
            for (h, v) in &main_digests {
                if !matches(*h, v, mf_main.bytes) {
                    err(
                        r,
                        "JAR_SIG_MANIFEST_MAIN_SECTION_DIGEST_DID_NOT_VERIFY",
                        sf_name.to_string(),
                    );
                }
            }
        }
        let mut names = HashSet::new();
        for s in &sf_sections {
            let Some(name) = s.name() else {
                err(
                    r,
                    "JAR_SIG_UNNNAMED_SIG_FILE_SECTION",
                    format!("{sf_name} has a section without Name"),
                );
                continue;
            };
            names.insert(name.to_string());
            let Some(mf_section) = by_name.get(name) else {
                err(
                    r,
                    "JAR_SIG_NO_ZIP_ENTRY_DIGEST_IN_MANIFEST",
                    format!("{sf_name} signs {name}, which MANIFEST.MF does not list"),
                );
                continue;
            };
            if whole_ok {
                continue;
            }
            let digests = digests_to_verify(s, "-Digest", min, max);
            if digests.is_empty() {
                err(
                    r,
                    "JAR_SIG_NO_MANIFEST_SECTION_DIGEST",
                    format!("{sf_name}: no digest for {name}"),
                );
            }
            for (h, v) in &digests {
                if !matches(*h, v, mf_section.bytes) {
                    err(
                        r,
                        "JAR_SIG_MANIFEST_SECTION_DIGEST_DID_NOT_VERIFY",
                        format!("{sf_name}: section {name}"),
                    );
                }
            }
        }
        signed_names.push(names);
    }
    let sf_names = signers.into_iter().map(|(n, _, _)| n).collect();
    r.errors.is_empty().then_some((sf_names, signed_names))
}

/// What the entry pass found for one entry, replayed in directory order once
/// the signers are known (the "not signed by" check needs their .SF files).
enum Step<'z> {
    Duplicate(Cow<'z, str>),
    Unlisted(Cow<'z, str>),
    Listed { name: Cow<'z, str>, no_digest: bool },
}

/// Every entry against MANIFEST.MF, and the entries to hash.
struct Plan<'z> {
    steps: Vec<Step<'z>>,
    /// In file order.
    jobs: Vec<Job<'z>>,
    seen: HashSet<Cow<'z, str>>,
}

/// Every entry against MANIFEST.MF: listed or not, and the digests to check.
fn plan_entries<'z>(
    zip: &Archive<'z>,
    by_name: &HashMap<&str, &Section<'_>>,
    min: u32,
    max: u32,
) -> Plan<'z> {
    let mut plan = Plan {
        steps: Vec::new(),
        jobs: Vec::new(),
        seen: HashSet::new(),
    };
    for e in zip.entries() {
        let name = e.name_lossy();
        if !needs_digest(&name) {
            continue;
        }
        if !plan.seen.insert(name.clone()) {
            plan.steps.push(Step::Duplicate(name));
            continue;
        }
        let Some(section) = by_name.get(name.as_ref()) else {
            plan.steps.push(Step::Unlisted(name));
            continue;
        };
        let digests = digests_to_verify(section, "-Digest", min, max);
        plan.steps.push(Step::Listed {
            name: name.clone(),
            no_digest: digests.is_empty(),
        });
        if !digests.is_empty() {
            plan.jobs.push((e, name, digests));
        }
    }
    plan.jobs.sort_by_key(|(e, _, _)| e.local_header_offset);
    plan
}

/// Inflating and hashing every entry is v1's whole cost: spread it over the
/// cores. Each entry is streamed through its hashes (none is held in
/// memory, so a 1 GB asset verifies like a small one). Neighbouring
/// entries go in groups of about 1 MiB of stored bytes, and a group's span
/// of the file is released once hashed: most entries are smaller than a
/// page and could not release their own. Largest groups first, so the big
/// one (resources.arsc) starts at once. Groups not started when `cancel` is
/// set are skipped. Returns the failures, group by group.
/// (Spans come from the central directory: reading every local header up
/// front would fault in the whole file before anything is released.)
fn hash_entries(zip: &Archive<'_>, jobs: &[Job<'_>], cancel: &AtomicBool) -> Vec<String> {
    let data = zip.data();
    let mut groups: Vec<Group<'_, '_>> = Vec::new();
    for job in jobs {
        let extent = zip.extent(&job.0);
        let size = extent.map_or(0, |(a, b)| (b - a) as u64);
        match groups.last_mut() {
            Some(g) if g.size < 1 << 20 => {
                g.size += size;
                g.jobs.push(job);
                g.extent = match (g.extent, extent) {
                    (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
                    (x, y) => x.or(y),
                };
            }
            _ => groups.push(Group {
                size,
                jobs: vec![job],
                extent,
            }),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.size));
    let failures = super::digest::par_map(&groups, |g| -> Vec<String> {
        if cancel.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let out = g
            .jobs
            .iter()
            .flat_map(|job| check_entry(zip, job))
            .collect();
        if let Some((a, b)) = g.extent {
            zip.release(data.get(a..b).unwrap_or_default());
        }
        out
    });
    failures.into_iter().flatten().collect()
}

/// Verify the JAR signature for SDK versions `min..=max`. `supported`: scheme
/// ids the range supports; `found`: those verified (stripping protection).
pub fn verify(zip: &Archive<'_>, min: u32, max: u32, supported: &[u32], found: &[u32]) -> V1Result {
    let mut r = V1Result::default();
    let Some(mf_entry) = zip.find("META-INF/MANIFEST.MF") else {
        err(
            &mut r,
            "JAR_SIG_NO_MANIFEST",
            "META-INF/MANIFEST.MF is missing".into(),
        );
        return r;
    };
    let mf_bytes = match zip.read(&mf_entry) {
        Ok(b) => b,
        Err(e) => {
            err(&mut r, "JAR_SIG_PARSE_EXCEPTION", e.to_string());
            return r;
        }
    };
    let (mf_main, mf_sections) = jar::parse(&mf_bytes);
    let _ = mf_main;
    // Hashed, not sorted: thousands of lookups, and SipHash's random key
    // keeps crafted names from colliding.
    let mut by_name: HashMap<&str, &Section<'_>> = HashMap::new();
    for s in &mf_sections {
        match s.name() {
            None => {
                err(
                    &mut r,
                    "JAR_SIG_UNNNAMED_MANIFEST_SECTION",
                    "a MANIFEST.MF section has no Name".into(),
                );
                return r;
            }
            Some(n) => {
                if by_name.insert(n, s).is_some() {
                    err(
                        &mut r,
                        "JAR_SIG_DUPLICATE_MANIFEST_SECTION",
                        format!("{n} appears twice in MANIFEST.MF"),
                    );
                }
            }
        }
    }

    // Which entries to hash, and how, needs MANIFEST.MF alone: start hashing
    // them (v1's whole cost) now, and check the signers meanwhile.
    let plan = plan_entries(zip, &by_name, min, max);
    let cancel = AtomicBool::new(false);
    std::thread::scope(|s| {
        let hashing = s.spawn(|| hash_entries(zip, &plan.jobs, &cancel));
        let signed = check_signers(zip, &mf_bytes, &by_name, min, max, supported, found, &mut r);
        let Some((sf_names, signed_names)) = signed else {
            cancel.store(true, Ordering::Relaxed);
            return;
        };
        // In directory order, as apksig reports them.
        for step in &plan.steps {
            match step {
                Step::Duplicate(name) => err(
                    &mut r,
                    "JAR_SIG_DUPLICATE_ZIP_ENTRY",
                    format!("{name} appears twice in the archive"),
                ),
                Step::Unlisted(name) => err(
                    &mut r,
                    "JAR_SIG_NO_ZIP_ENTRY_DIGEST_IN_MANIFEST",
                    format!("{name} is not in MANIFEST.MF (unsigned entry)"),
                ),
                Step::Listed { name, no_digest } => {
                    for (i, names) in signed_names.iter().enumerate() {
                        if !names.contains(name.as_ref()) {
                            let sf = sf_names.get(i).map(String::as_str).unwrap_or("?");
                            err(
                                &mut r,
                                "JAR_SIG_ZIP_ENTRY_NOT_SIGNED",
                                format!("{name} is not signed by {sf}"),
                            );
                        }
                    }
                    if *no_digest {
                        err(
                            &mut r,
                            "JAR_SIG_NO_ZIP_ENTRY_DIGEST_IN_MANIFEST",
                            format!("no usable digest for {name}"),
                        );
                    }
                }
            }
        }
        r.errors.extend(hashing.join().unwrap_or_default());
        let mut missing: Vec<&str> = by_name
            .keys()
            .filter(|name| !plan.seen.contains(**name) && needs_digest(name))
            .copied()
            .collect();
        missing.sort_unstable();
        for name in missing {
            r.warnings.push(format!("JAR_SIG_MISSING_ZIP_ENTRY_REFERENCED_IN_MANIFEST: MANIFEST.MF lists {name}, which the archive does not hold"));
        }
    });
    r
}
