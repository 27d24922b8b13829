//! The built binary: exit codes, JSON shape, a bad file among good ones.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apkinfo"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/android")
        .join(name)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apkinfo-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn json_one_object_per_file_in_order_with_bad_file_in_the_middle() {
    let bad = tmp("not-a-zip.apk");
    std::fs::write(&bad, b"this is not a zip file at all").unwrap();
    let out = bin()
        .args(["inspect", "--json"])
        .arg(fixture("minimal.apk"))
        .arg(&bad)
        .arg(fixture("string-label-locales.apk"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad file makes the exit status 2"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["package"], "com.example.minimal");
    assert_eq!(lines[0]["platform"], "android");
    assert_eq!(lines[0]["format"], "apk");
    assert!(lines[0]["version_code"].is_u64());
    assert!(lines[0]["labels"].is_object());
    assert!(lines[0]["permissions"].is_array());
    assert!(lines[0]["warnings"].is_array());
    assert!(
        lines[1]["error"].as_str().unwrap().contains("not a ZIP"),
        "{}",
        lines[1]
    );
    assert!(lines[1]["path"]
        .as_str()
        .unwrap()
        .ends_with("not-a-zip.apk"));
    assert!(lines[2]["package"].is_string());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("not-a-zip.apk"),
        "error names the file: {stderr}"
    );
}

#[test]
fn plain_invocation_is_inspect_and_exits_zero() {
    let out = bin().arg(fixture("minimal.apk")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("com.example.minimal"), "{text}");
    assert!(
        text.contains("包名"),
        "filing labels in the text view: {text}"
    );
}

#[test]
fn missing_file_and_folder_walk() {
    let out = bin().arg("/nonexistent/x.apk").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin()
        .args(
            ["--json"]
                .iter()
                .map(|s| s.to_string())
                .chain([fixture("").display().to_string()])
                .collect::<Vec<_>>(),
        )
        .output()
        .unwrap();
    let n = String::from_utf8(out.stdout).unwrap().lines().count();
    assert!(n >= 5, "the fixtures folder is walked for .apk files: {n}");
}

#[test]
fn manifest_prints_xml() {
    let out = bin()
        .arg("manifest")
        .arg(fixture("minimal.apk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("package=\"com.example.minimal\""), "{xml}");
    assert!(xml.contains("<uses-permission"), "{xml}");
}

#[test]
fn icon_writes_a_png_for_png_and_webp_sources() {
    for name in ["minimal.apk", "webp-icon.apk"] {
        let out_path = tmp(&format!("{name}.png"));
        let out = bin()
            .arg("icon")
            .arg(fixture(name))
            .arg("-o")
            .arg(&out_path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let png = std::fs::read(&out_path).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: output is a PNG");
    }
}

#[test]
fn no_arguments_is_a_usage_error() {
    let out = bin().arg("inspect").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
