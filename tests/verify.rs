//! Verdict parity with AOSP apksig: every `verify(...) => VERIFIED|FAIL …`
//! assertion that apksig's own tests make on the corpus APKs (transcribed in
//! `../shared/corpus/MANIFEST.tsv`) is replayed with the same SDK range.

mod common;
use common::corpus;

/// `AndroidSdkVersion.N - 1`, `18`, `V3SchemeConstants.MIN_SDK_WITH_V31_SUPPORT` → API level.
fn sdk(expr: &str) -> Option<u32> {
    let expr = expr.trim();
    let (base, delta) = match expr.split_once(" - ") {
        Some((b, d)) => (b, -(d.trim().parse::<i64>().ok()?)),
        None => match expr.split_once(" + ") {
            Some((b, d)) => (b, d.trim().parse::<i64>().ok()?),
            None => (expr, 0),
        },
    };
    let name = base.rsplit('.').next()?;
    let v: i64 = match name {
        "JELLY_BEAN_MR2" => 18,
        "KITKAT" => 19,
        "LOLLIPOP" => 21,
        "M" => 23,
        "N" => 24,
        "O" => 26,
        "P" => 28,
        "Q" => 29,
        "R" => 30,
        "S" => 31,
        "T" | "MIN_SDK_WITH_V31_SUPPORT" => 33,
        n => n.parse().ok()?,
    };
    u32::try_from(v + delta).ok()
}

/// Cases a verdict differs on, with the reason. Keep each one explained.
const HELD: &[(&str, &str)] = &[];

#[test]
fn verdicts_match_apksig() {
    let Some(dir) = corpus() else { return };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let limits = apkinfo::Limits::default();
    let (mut cases, mut agree, mut code_agree, mut fails_expected) = (0, 0, 0, 0);
    let mut differ = Vec::new();
    for line in manifest.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (rel, kind, expected) = (f[0], f[3], f.get(6).copied().unwrap_or(""));
        if kind != "apk" {
            continue;
        }
        let Ok(data) = std::fs::read(dir.join(rel)) else {
            continue;
        };
        let mut seen = std::collections::BTreeSet::new();
        for part in expected.split(" || ") {
            let Some(i) = part.find(": verify(") else {
                continue;
            };
            let rest = &part[i + 9..];
            let Some(close) = rest.find(") => ") else {
                continue;
            };
            let args = &rest[..close];
            let verdict = rest[close + 5..].trim();
            let want = if verdict.starts_with("VERIFIED") || verdict.starts_with("WARNING") {
                true
            } else if verdict.starts_with("FAIL") {
                false
            } else {
                continue;
            };
            let (mut min, mut max) = (None, None);
            let mut ok = true;
            for a in args.split(',').map(str::trim).filter(|a| !a.is_empty()) {
                match a.split_once('=') {
                    Some(("minSdk", v)) => min = sdk(v),
                    Some(("maxSdk", v)) => max = sdk(v),
                    _ => ok = false,
                }
                let unparsed = (a.starts_with("minSdk") && min.is_none())
                    || (a.starts_with("maxSdk") && max.is_none());
                ok &= !unparsed;
            }
            if !ok || !seen.insert((min, max, want)) {
                continue;
            }
            cases += 1;
            let idsig = std::fs::read(dir.join(format!("{rel}.idsig"))).ok();
            let result = std::panic::catch_unwind(|| {
                apkinfo::verify(&data, idsig.as_deref(), min, max, &limits)
            })
            .unwrap_or_else(|_| panic!("{rel}: verify panicked"));
            let (got, errors) = match &result {
                Ok(v) => (v.verified, v.errors.clone()),
                Err(e) => (false, vec![e.to_string()]),
            };
            if !want {
                fails_expected += 1;
            }
            if got == want {
                agree += 1;
                let code = verdict.strip_prefix("FAIL ").unwrap_or("").trim();
                if want || code.is_empty() || errors.iter().any(|e| e.starts_with(code)) {
                    code_agree += 1;
                }
            } else if !HELD.iter().any(|(r, _)| *r == rel) {
                differ.push(format!(
                    "{rel} (min {min:?}, max {max:?}): apksig {verdict}, apkinfo {got} {errors:?}"
                ));
            }
        }
    }
    let pct = agree as f64 * 100.0 / cases.max(1) as f64;
    eprintln!(
        "verify parity: {cases} cases ({fails_expected} expected to fail), {agree} same verdict ({pct:.1}%), {code_agree} also with apksig's error code; {} unexplained differences",
        differ.len()
    );
    for d in &differ {
        eprintln!("  {d}");
    }
    assert!(pct >= 98.0, "verdict parity {pct:.1}% is below 98%");
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .unwrap()
}

/// Each tampered fixture fails with the issue apksig reports for it.
#[test]
fn tampered_fixtures_fail_with_the_expected_error() {
    let limits = apkinfo::Limits::default();
    for (file, code) in [
        (
            "verify/tampered-entry.apk",
            "V3_SIG_APK_DIGEST_DID_NOT_VERIFY",
        ),
        (
            "verify/tampered-central-directory.apk",
            "V3_SIG_APK_DIGEST_DID_NOT_VERIFY",
        ),
        (
            "verify/stripped-v2-v3-block.apk",
            "JAR_SIG_MISSING_APK_SIG_REFERENCED",
        ),
        ("verify/wrong-sf-digest.apk", "JAR_SIG_DID_NOT_VERIFY"),
    ] {
        let v = apkinfo::verify(&fixture(file), None, Some(14), None, &limits).unwrap();
        assert!(!v.verified, "{file} must not verify");
        assert!(
            v.errors.iter().any(|e| e.starts_with(code)),
            "{file}: expected {code}, got {:?}",
            v.errors
        );
    }
    // The untampered original verifies, with every scheme it carries.
    let v = apkinfo::verify(
        &fixture("signing/v1v2v3.apk"),
        None,
        Some(14),
        None,
        &limits,
    )
    .unwrap();
    assert!(
        v.verified && v.schemes.v1 && v.schemes.v2 && v.schemes.v3,
        "{v:?}"
    );
}

/// The signing fixtures verify at the SDK level apksigner verified them with
/// (apks.tsv), and the schemes verified are those apksigner reported.
#[test]
fn signing_fixtures_verify_like_apksigner() {
    let limits = apkinfo::Limits::default();
    let text = String::from_utf8(fixture("signing/apks.tsv")).unwrap();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (apk, schemes, min) = (f[0], f[1], f[4]);
        let idsig = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/signing")
                .join(format!("{apk}.idsig")),
        )
        .ok();
        let min = min.parse().ok();
        let v = apkinfo::verify(
            &fixture(&format!("signing/{apk}")),
            idsig.as_deref(),
            min,
            None,
            &limits,
        )
        .unwrap();
        if schemes.is_empty() {
            assert!(!v.verified, "{apk}: unsigned must not verify");
            continue;
        }
        assert!(v.verified, "{apk}: {:?}", v.errors);
        let mut ours = Vec::new();
        for (on, name) in [
            (v.schemes.v1, "v1"),
            (v.schemes.v2, "v2"),
            (v.schemes.v3, "v3"),
            (v.schemes.v4, "v4"),
        ] {
            if on {
                ours.push(name);
            }
        }
        // apksigner skips v1 when min SDK >= 24 and v2 when >= 28, as we do;
        // apks.tsv lists what it verified at that level.
        assert_eq!(ours.join(","), schemes, "{apk}");
    }
}

#[test]
fn cli_verify_exit_codes() {
    let bin = env!("CARGO_BIN_EXE_apkinfo");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let ok = std::process::Command::new(bin)
        .args(["verify", "--min-sdk", "14"])
        .arg(dir.join("signing/v1v2v3.apk"))
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let bad = std::process::Command::new(bin)
        .args(["verify", "--json", "--min-sdk", "14"])
        .arg(dir.join("verify/tampered-entry.apk"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(v["verified"], false);
    assert!(v["schemes"]["v1"].is_boolean() && v["errors"].is_array() && v["signers"].is_array());
    assert!(v["path"].as_str().unwrap().ends_with("tampered-entry.apk"));
    let unreadable = std::process::Command::new(bin)
        .args(["verify", "/nonexistent.apk"])
        .output()
        .unwrap();
    assert_eq!(unreadable.status.code(), Some(2));
    // inspect --verify --hashes adds both objects.
    let out = std::process::Command::new(bin)
        .args(["inspect", "--json", "--verify", "--hashes"])
        .arg(dir.join("android/minimal.apk"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verification"]["verified"], true);
    assert_eq!(v["file"]["sha256"].as_str().unwrap().len(), 64);
}

/// v1 hashes every entry; it streams them, so an entry bigger than the
/// per-entry inflate limit (which bounds what is held in memory) still
/// verifies, as it does for apksigner. The old buffered read failed here.
#[test]
fn v1_streams_entries_past_the_inflate_limit() {
    let limits = apkinfo::Limits {
        max_entry_size: 1 << 20,
        ..apkinfo::Limits::default()
    };
    let data = fixture("verify/big-entry.apk");
    let v = apkinfo::verify(&data, None, Some(14), None, &limits).unwrap();
    assert!(v.verified && v.schemes.v1 && v.schemes.v2, "{v:?}");
    // The same entry read whole is refused under that limit.
    let zip = apkinfo::zip::Archive::parse(&data, &limits).unwrap();
    let big = zip.find("assets/big.txt").unwrap();
    assert!(big.uncompressed_size > 4_000_000);
    assert!(zip.read(&big).is_err());
    // The release hook sees every byte of the content digests' pass: the
    // entries before the signing block, the central directory, and more.
    let released = std::sync::atomic::AtomicUsize::new(0);
    let hook = |b: &[u8]| {
        released.fetch_add(b.len(), std::sync::atomic::Ordering::Relaxed);
    };
    let opts = apkinfo::Options {
        min_sdk: Some(14),
        release: Some(&hook),
        ..apkinfo::Options::default()
    };
    let v = apkinfo::verify_opts(&data, None, &opts, &limits).unwrap();
    assert!(v.verified);
    let n = released.load(std::sync::atomic::Ordering::Relaxed);
    assert!(n > data.len() / 2, "released {n} of {} bytes", data.len());
}
