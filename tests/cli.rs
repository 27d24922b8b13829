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

// The fixtures' test key, as `openssl x509 -fingerprint` prints it (an
// independent tool: these constants are not apkinfo's own output).
const TESTKEY_MD5: &str = "AD:92:65:72:12:A0:72:D3:FA:47:96:57:60:B2:B0:C1";
const TESTKEY_SHA1: &str = "86:85:44:DC:43:43:AB:CF:7A:6F:6B:D3:24:80:D3:4A:D7:54:86:4C";
const TESTKEY_SPKI_B64: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnZjXTsO0t9CXwf2NQstPk4nFCeKS0EWjbFXIazNw72Qcu29GEjQw1+88/bBiPlywQx1f1kH9LJt7Nked2pQv/3HMMVGupvNvTJvRdHuBEgphaWwaLYpexglpgQA9pZbcPICQuY2gSk3OAyVFqE8v1+EcbvrTcBwWvnH97yom2KYaHkNm4qj/RXkwpzc2TJNnErDJozz0aNPdanTGbgku2f2DKUaE1V1H7Rg6W4EcoJu1UL9fZj5zz7Or+eeWp+xZ/pfM4brsXAIBcoWlA2Lw4XONhJcgI8e6ZnOMXJQxSplF+4YhIHr/RI3Olby5FFw7gafebIVDSaKHxHoYvEBhsQIDAQAB";

#[test]
fn check_passes_on_the_filed_values() {
    let toml = tmp("filing-ok.toml");
    std::fs::write(
        &toml,
        format!(
            "[android]\npackage = \"com.example.minimal\"\nsignature_md5 = \"{TESTKEY_MD5}\"\nsignature_sha1 = \"{}\"\npublic_key = \"{TESTKEY_SPKI_B64}\"\n",
            TESTKEY_SHA1.replace(':', "").to_lowercase()
        ),
    )
    .unwrap();
    let out = bin()
        .arg("check")
        .arg("--expect")
        .arg(&toml)
        .arg(fixture("minimal.apk"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bin()
        .args(["check", "--md5", TESTKEY_MD5, "--sha1", TESTKEY_SHA1])
        .arg(fixture("minimal.apk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_fails_and_names_each_wrong_field() {
    let cases = [
        ("--package", "com.example.other", "package"),
        (
            "--md5",
            "AD:92:65:72:12:A0:72:D3:FA:47:96:57:60:B2:B0:C2",
            "signature_md5",
        ),
        (
            "--sha1",
            "0000000000000000000000000000000000000000",
            "signature_sha1",
        ),
        (
            "--public-key",
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAAAAA",
            "public_key",
        ),
    ];
    for (flag, value, field) in cases {
        let out = bin()
            .args(["check", "--json", flag, value])
            .arg(fixture("minimal.apk"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{flag}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["mismatches"][0]["field"], field, "{v}");
        let text = bin()
            .args(["check", flag, value])
            .arg(fixture("minimal.apk"))
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&text.stdout).contains(field));
    }
    // An unreadable file wins over a mismatch: exit 2.
    let bad = tmp("check-bad.apk");
    std::fs::write(&bad, b"nope").unwrap();
    let out = bin()
        .args(["check", "--package", "x"])
        .arg(fixture("minimal.apk"))
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `inspect --json --limit max-certificates=0 FILE`: exit status and the report.
fn inspect_with_no_certificates_allowed(path: &Path) -> (Option<i32>, serde_json::Value) {
    let out = bin()
        .args(["--json", "--limit", "max-certificates=0"])
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

/// The two limits on what a signer and a string pool may hold, hit on purpose:
/// each is named in what the user sees.
#[test]
fn limits_on_certificates_and_string_pools_are_named_when_hit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let signed = root.join("fixtures/signing/rsa-2048-v1v2v3.apk");
    let (code, v) = inspect_with_no_certificates_allowed(&signed);
    assert_eq!(code, Some(0));
    let warnings = v["warnings"].to_string();
    // v1 (PKCS#7), v2 and v3 signer lists all refuse the one certificate.
    assert_eq!(
        warnings.matches("max-certificates").count(),
        3,
        "{warnings}"
    );
    assert_eq!(v["signers"].as_array().map(Vec::len), Some(0));

    let verify = bin()
        .args(["verify", "--limit", "max-certificates=0"])
        .arg(&signed)
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("max-certificates"));

    // iOS: the profile's CMS and the code signature's CMS.
    let (_, v) =
        inspect_with_no_certificates_allowed(&root.join("fixtures/ios/apple-resigned.ipa"));
    let warnings = v["warnings"].to_string();
    assert_eq!(
        warnings.matches("max-certificates").count(),
        2,
        "{warnings}"
    );

    // The manifest's string pool is a few hundred bytes: 64 is too few.
    let out = bin()
        .args(["--limit", "max-string-pool=64"])
        .arg(fixture("string-label-locales.apk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("max-string-pool"));
}

#[test]
fn help_names_every_limit() {
    let out = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for (name, _) in apkinfo::Limits::NAMES {
        assert!(help.contains(name), "--help does not name {name}");
    }
}

/// Every limit, set low enough to be hit on a fixture, is named in what the
/// user sees: the error (exit 2), a warning, or a verify error (exit 1). The
/// `--limit` options come before the command, as a user would write them.
#[test]
fn every_limit_is_named_when_hit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let minimal = "fixtures/android/minimal.apk";
    // (limit it names, --limit values, command and its options, file, exit status)
    type Case = (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
        &'static str,
        i32,
    );
    let cases: [Case; 10] = [
        ("max-entries", &["max-entries=3"], &["inspect"], minimal, 2),
        (
            "max-entry-size",
            &["max-entry-size=100"],
            &["inspect"],
            minimal,
            2,
        ),
        (
            "max-total-inflated",
            &["max-total-inflated=1000"],
            &["inspect"],
            minimal,
            2,
        ),
        (
            "max-stream-factor",
            // 4 MiB hashed by v1 against max(1 × 230 KB, 1 MiB).
            &["max-stream-factor=1", "max-total-inflated=1048576"],
            &["verify", "--min-sdk", "14"],
            "fixtures/verify/big-entry.apk",
            1,
        ),
        (
            "max-ratio",
            &["max-ratio=200"],
            &["verify"],
            "fixtures/hostile/zip-bomb-entry.apk",
            1,
        ),
        (
            "max-reference-depth",
            &["max-reference-depth=4"],
            &["inspect"],
            "fixtures/hostile/resource-reference-cycle.apk",
            0,
        ),
        (
            "max-xml-depth",
            &["max-xml-depth=2"],
            &["inspect"],
            minimal,
            2,
        ),
        (
            "max-plist-depth",
            &["max-plist-depth=2"],
            &["inspect"],
            "fixtures/ios/basic-xml-plist.ipa",
            2,
        ),
        (
            "max-string-pool",
            &["max-string-pool=64"],
            &["inspect"],
            minimal,
            2,
        ),
        (
            "max-certificates",
            &["max-certificates=0"],
            &["verify"],
            "fixtures/signing/rsa-2048-v1v2v3.apk",
            1,
        ),
    ];
    for (name, _) in apkinfo::Limits::NAMES {
        assert!(
            cases.iter().any(|c| c.0 == name),
            "no case hits the {name} limit"
        );
    }
    for (name, limits, command, file, status) in cases {
        let mut cmd = bin();
        for l in limits {
            cmd.args(["--limit", l]);
        }
        let out = cmd.args(command).arg(root.join(file)).output().unwrap();
        let seen = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(status), "{name}: {seen}");
        assert!(
            seen.contains(&format!("(the {name} limit")),
            "{name} is not named: {seen}"
        );
    }
}

fn sets(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/sets")
        .join(name)
}

fn json_lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_split_folder_is_one_package_given_or_walked() {
    // Given directly.
    let out = bin()
        .args(["--json"])
        .arg(sets("split-folder"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["format"], "apk-set");
    assert_eq!(lines[0]["base_apk"], "base.apk");
    assert_eq!(lines[0]["splits"].as_array().unwrap().len(), 3);
    assert_eq!(lines[0]["abis"], serde_json::json!(["arm64-v8a"]));
    // Met while walking a folder: one report for it, one per container file.
    let out = bin().args(["--json"]).arg(sets("")).output().unwrap();
    let lines = json_lines(&out);
    let formats: Vec<&str> = lines.iter().filter_map(|l| l["format"].as_str()).collect();
    assert_eq!(
        formats,
        ["apkm", "apks", "apks", "apks", "apk-set", "xapk", "xapk", "xapk"],
        "{lines:?}"
    );
    // The encrypted .apkm is the one error line, with its reason.
    assert_eq!(out.status.code(), Some(2));
    let err = lines.iter().find(|l| l["error"].is_string()).unwrap();
    assert!(
        err["error"].as_str().unwrap().contains("encrypted .apkm"),
        "{err}"
    );
}

#[test]
fn verify_gives_one_verdict_per_set_and_fails_on_a_foreign_signer() {
    let out = bin()
        .args(["verify", "--json"])
        .arg(sets("apks-splits.apks"))
        .arg(sets("split-folder"))
        .arg(sets("xapk-splits.xapk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(json_lines(&out).iter().all(|l| l["verified"] == true));
    let out = bin()
        .args(["verify", "--json"])
        .arg(sets("xapk-mixed-signers.xapk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = &json_lines(&out)[0];
    assert_eq!(v["verified"], false);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0].as_str().unwrap();
    assert!(
        e.starts_with("config.arm64_v8a.apk: SPLIT_SIGNER_MISMATCH"),
        "{e}"
    );
    // inspect says it as a warning, and still reads the set.
    let out = bin()
        .args(["--json"])
        .arg(sets("xapk-mixed-signers.xapk"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = &json_lines(&out)[0];
    assert!(r["warnings"].as_array().unwrap().iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("config.arm64_v8a.apk is signed by af9b13ec")));
}

#[test]
fn check_and_manifest_and_icon_read_a_sets_base() {
    let out = bin()
        .args(["check", "--package", "com.example.splits"])
        .args(["--md5", "AD:92:65:72:12:A0:72:D3:FA:47:96:57:60:B2:B0:C1"])
        .arg(sets("apkm-splits.apkm"))
        .arg(sets("split-folder"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = bin()
        .arg("manifest")
        .arg(sets("apks-splits.apks"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains("package=\"com.example.splits\""), "{xml}");
    assert!(
        !xml.contains("split="),
        "the base's manifest, not a split's"
    );
    let png = tmp("set-icon.png");
    let out = bin()
        .arg("icon")
        .arg(sets("split-folder"))
        .arg("-o")
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let data = std::fs::read(&png).unwrap();
    assert!(data.starts_with(b"\x89PNG"));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("base.apk!res/mipmap-xxhdpi-v4/ic_launcher.png"));
}
