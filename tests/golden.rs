//! Golden tests: every package under `fixtures/` has its expected report as
//! JSON beside it (`x.apk`, `x.ipa`, `x.aab`, `x.apks`, `x.xapk`, `x.apkm`,
//! `x.hap`, `x.hsp`, `x.app` →
//! `x.json`; a split folder `x/` holding `base.apk` → `x.json`).
//! Packages under `fixtures/sdk/` and `fixtures/filing/` are inspected with
//! `--scan` (SDKs, packers, domains, languages).
//! `APKINFO_BLESS=1 cargo test` rewrites the goldens from the current output;
//! review the diff before committing.

use std::path::{Path, PathBuf};

const PACKAGES: [&str; 9] = [
    "apk", "ipa", "aab", "apks", "xapk", "apkm", "hap", "hsp", "app",
];

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && p.join("base.apk").is_file() {
                out.push(p);
            } else if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| PACKAGES.iter().any(|x| e == *x))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The report as the golden stores it: for a package that cannot be read,
/// `{"path", "error"}` as the CLI prints it.
fn actual(path: &Path) -> String {
    let rel = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .display()
        .to_string();
    let limits = apkinfo::Limits::default();
    let result = if path.is_dir() {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "apk"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        files.sort();
        let named = files
            .iter()
            .map(|(n, d)| (n.clone(), d.as_slice()))
            .collect();
        apkinfo::inspect_files(&rel, named, &apkinfo::Options::default(), &limits)
    } else {
        let data = std::fs::read(path).unwrap();
        let opts = apkinfo::Options {
            scan: ["fixtures/sdk/", "fixtures/filing/", "fixtures/hostile/dex-"]
                .iter()
                .any(|p| rel.starts_with(p)),
            ..apkinfo::Options::default()
        };
        apkinfo::inspect_opts(&rel, &data, None, &opts, &limits)
    };
    let value = match result {
        Ok(r) => serde_json::to_value(r).unwrap(),
        Err(e) => serde_json::json!({ "path": rel, "error": e.to_string() }),
    };
    serde_json::to_string_pretty(&value).unwrap() + "\n"
}

#[test]
fn every_fixture_matches_its_golden() {
    let bless = std::env::var_os("APKINFO_BLESS").is_some();
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for apk in &files {
        let golden = if apk.is_dir() {
            apk.with_file_name(format!(
                "{}.json",
                apk.file_name().unwrap().to_string_lossy()
            ))
        } else {
            apk.with_extension("json")
        };
        let got = actual(apk);
        if bless {
            std::fs::write(&golden, &got).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: report differs from golden\n--- want\n{want}\n--- got\n{got}",
                apk.display()
            )),
            Err(_) => failures.push(format!(
                "{}: no golden (run with APKINFO_BLESS=1)",
                apk.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{} fixtures match their goldens", files.len());
}
