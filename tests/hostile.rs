//! Hostile input: the built binary on every hostile fixture, every fuzz
//! regression and every corpus file, under a memory limit and a deadline.
//! Each run must end with exit status 0, 1 or 2 and a message — never a
//! signal (panic=abort, stack overflow, SIGBUS), never a hang.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Anonymous memory a run may use (RLIMIT_DATA: heap, stacks, anonymous maps;
/// file-backed maps of the package are not counted, as they are page cache).
const MEMORY_LIMIT: u64 = 64 << 20;
/// Wall time a run may take. Debug builds are several times slower.
const DEADLINE: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(20)
} else {
    Duration::from_secs(2)
};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else if !p
            .extension()
            .is_some_and(|e| e == "json" || e == "md" || e == "tsv" || e == "txt" || e == "toml")
        {
            out.push(p);
        }
    }
}

/// Run `apkinfo ARGS FILE` under the limits; the failure text when it misbehaved.
fn run(args: &[&str], file: &Path) -> Result<Duration, String> {
    let bin = env!("CARGO_BIN_EXE_apkinfo");
    let mut cmd = if Path::new("/usr/bin/prlimit").exists() {
        let mut c = Command::new("/usr/bin/prlimit");
        c.arg(format!("--data={MEMORY_LIMIT}")).arg("--").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    let out_png = std::env::temp_dir().join(format!("apkinfo-hostile-{}.png", std::process::id()));
    let mut child = cmd
        .args(args)
        .arg(file)
        .args(if args.first() == Some(&"icon") {
            vec!["-o".as_ref(), out_png.as_os_str()]
        } else {
            vec![]
        })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let took = start.elapsed();
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut stderr);
            }
            return match status.code() {
                // 1 is a verdict (verify/check), printed on stdout.
                Some(0 | 1) => Ok(took),
                // 2 must say what was wrong.
                Some(2) if !stderr.trim().is_empty() => Ok(took),
                Some(c) => Err(format!("exit {c} with message {stderr:?}")),
                None => Err(format!("killed by a signal ({status}); stderr {stderr:?}")),
            };
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {DEADLINE:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn check_all(files: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, PathBuf::new());
    for f in files {
        for args in [
            &["--json"][..],
            &["verify"][..],
            &["icon"][..],
            &["manifest"][..],
            &["inspect", "--verify", "--hashes", "--scan"][..],
        ] {
            match run(args, f) {
                Ok(t) if t > slowest.0 => slowest = (t, f.clone()),
                Ok(_) => {}
                Err(e) => failures.push(format!("{} {}: {e}", args.join(" "), f.display())),
            }
        }
    }
    eprintln!(
        "{} files × 5 commands; slowest {:?} ({})",
        files.len(),
        slowest.0,
        slowest.1.display()
    );
    failures
}

#[test]
fn hostile_fixtures_and_fuzz_regressions_under_limits() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("fixtures/hostile"), &mut files);
    files_under(&root.join("fuzz/regressions"), &mut files);
    // The ordinary fixtures too: they must pass the same limits.
    files_under(&root.join("fixtures/android"), &mut files);
    files_under(&root.join("fixtures/verify"), &mut files);
    files_under(&root.join("fixtures/bundles"), &mut files);
    files_under(&root.join("fixtures/sets"), &mut files);
    files_under(&root.join("fixtures/harmony"), &mut files);
    files_under(&root.join("fixtures/sdk"), &mut files);
    files_under(&root.join("fixtures/filing"), &mut files);
    // A split folder is read as one package too.
    files.push(root.join("fixtures/sets/split-folder"));
    let failures = check_all(&files);
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty(), "{} runs misbehaved", failures.len());
}

#[test]
fn corpus_files_under_limits() {
    let Some(dir) = common::corpus() else { return };
    let mut files = Vec::new();
    for sub in [
        "androguard",
        "apks",
        "apksig",
        "app-info",
        "bundletool",
        "fastlane",
        "fdroidserver",
        "harmony",
        "isign",
    ] {
        files_under(&dir.join(sub), &mut files);
    }
    // One command per file keeps this under a minute; the fixtures get all five.
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, PathBuf::new());
    for f in &files {
        match run(&["inspect", "--json", "--verify", "--scan"], f) {
            Ok(t) if t > slowest.0 => slowest = (t, f.clone()),
            Ok(_) => {}
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    eprintln!(
        "corpus: {} files; slowest {:?} ({})",
        files.len(),
        slowest.0,
        slowest.1.display()
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus files misbehaved",
        failures.len()
    );
}

/// `icon -o` writes the named file and nothing else, whatever the names
/// inside the package say (`../../evil.txt`, absolute paths).
#[test]
fn icon_writes_only_the_named_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("apkinfo-icon-jail-{}", std::process::id()));
    let inner = dir.join("a/b");
    std::fs::create_dir_all(&inner).unwrap();
    for fixture in [
        "hostile/entry-name-dotdot.apk",
        "hostile/entry-name-absolute.apk",
        "android/minimal.apk",
    ] {
        let status = Command::new(env!("CARGO_BIN_EXE_apkinfo"))
            .current_dir(&inner)
            .args(["icon", "-o", "out.png"])
            .arg(root.join("fixtures").join(fixture))
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.code().is_some());
        let mut found = Vec::new();
        files_under(&dir, &mut found);
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert!(
            names.iter().all(|n| n == "a/b/out.png"),
            "{fixture}: wrote {names:?}"
        );
        let _ = std::fs::remove_file(inner.join("out.png"));
    }
    assert!(!Path::new("/etc/evil").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every fuzz regression replayed in-process through what each fuzz target
/// calls, so a crash or a slow path comes back in `cargo test` without the
/// fuzzer. Each input must finish within the deadline.
#[test]
fn fuzz_regressions_replay_in_process() {
    let mut files = Vec::new();
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions"),
        &mut files,
    );
    let limits = apkinfo::Limits::default();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let start = Instant::now();
        if let Ok(a) = apkinfo::zip::Archive::parse(&data, &limits) {
            for e in a.entries() {
                let _ = a.read(&e);
            }
        }
        if let Ok(doc) = apkinfo::apk::axml::XmlDocument::parse(&data) {
            let _ = apkinfo::apk::axml::XmlTree::build(&doc, 256);
        }
        if let Ok(t) = apkinfo::apk::arsc::ResourceTable::parse(&data) {
            for id in t.resource_ids().into_iter().take(200) {
                let _ = t.entries(id);
            }
        }
        let _ = apkinfo::cert::pkcs7::parse(&data);
        let _ = apkinfo::ipa::macho::read(&mut &data[..]);
        let opts = apkinfo::ipa::macho::ReadOptions {
            objc_classnames: true,
            cstrings: true,
        };
        let _ = apkinfo::ipa::macho::read_with(&mut &data[..], &opts);
        if let Ok(dex) = apkinfo::dex::Dex::parse(&data) {
            let _ = dex.classes().count() + dex.strings().count();
        }
        let _ = apkinfo::ipa::profile::read(&data, &mut Vec::new());
        let _ = apkinfo::ipa::cgbi::to_standard_png(&data);
        let scan = apkinfo::Options {
            scan: true,
            ..apkinfo::Options::default()
        };
        let _ = apkinfo::inspect_opts("regression", &data, None, &scan, &limits);
        let _ = apkinfo::verify(&data, None, None, None, &limits);
        let took = start.elapsed();
        assert!(took < DEADLINE, "{}: {took:?}", f.display());
    }
    eprintln!("{} fuzz regressions replayed", files.len());
}
