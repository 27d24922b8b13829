//! Verdict parity with AOSP apksig: every `verify(...) => VERIFIED|FAIL …`
//! assertion that apksig's own tests make on the corpus APKs (transcribed in
//! `../shared/corpus/MANIFEST.tsv`) is replayed with the same SDK range.

use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("APKINFO_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "note: corpus not found at {} — verify parity skipped",
            dir.display()
        );
        None
    }
}

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
