//! App Bundles and split sets: the facts `fixtures/make-bundles.sh` and
//! `fixtures/make-sets.sh` put in their fixtures (see the READMEs beside
//! them), read back through the library and the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn inspect(rel: &str) -> Result<apkinfo::Report, apkinfo::Error> {
    let data = std::fs::read(fixture(rel)).unwrap();
    apkinfo::inspect(rel, &data, &apkinfo::Limits::default())
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apkinfo"))
}

/// `apkinfo icon FIXTURE -o TMP` must succeed; the picture it wrote.
fn icon_of(rel: &str) -> image::DynamicImage {
    let png = std::env::temp_dir().join(format!(
        "apkinfo-icon-{}-{}.png",
        std::process::id(),
        rel.replace('/', "_")
    ));
    let out = bin()
        .arg("icon")
        .arg(fixture(rel))
        .arg("-o")
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{rel}: {out:?}");
    let img = image::load_from_memory(&std::fs::read(&png).unwrap()).unwrap();
    let _ = std::fs::remove_file(&png);
    img
}

/// The TEST key's certificate (fixtures/keys/testkey.x509.pem), per openssl.
const TESTKEY_MD5: &str = "ad92657212a072d3fa47965760b2b0c1";
const TESTKEY_SHA256: &str = "7df65523e4477fcf7f235cf6d71878802bab729a7fc19615ac860b189e7469bd";

#[test]
fn the_bundle_reads_like_the_app_it_holds() {
    let r = inspect("bundles/app.aab").unwrap();
    assert_eq!((r.platform, r.format), ("android", "aab"));
    assert_eq!(r.package.as_deref(), Some("com.example.bundle"));
    assert_eq!(r.version_code, Some(42));
    assert_eq!(r.version_name.as_deref(), Some("4.2.0"));
    assert_eq!((r.min_sdk, r.target_sdk), (Some(24), Some(34)));
    assert_eq!(r.label.as_deref(), Some("Bundle"));
    let labels: Vec<(&str, &str)> = r
        .labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        labels,
        [("fr", "Paquet"), ("ru", "Пакет"), ("zh-CN", "捆绑包")]
    );
    assert_eq!(
        r.permissions,
        [
            "android.permission.INTERNET",
            "android.permission.ACCESS_FINE_LOCATION"
        ]
    );
    assert_eq!(
        r.launcher_activity.as_deref(),
        Some("com.example.bundle.MainActivity")
    );
    // Every module's native libraries count.
    assert_eq!(r.abis, ["arm64-v8a", "armeabi-v7a", "x86_64"]);
    let icon = r.icon.as_ref().unwrap();
    assert_eq!(
        icon.path.as_deref(),
        Some("base/res/mipmap-xxxhdpi-v4/ic_launcher.png")
    );
    assert_eq!(
        (icon.width, icon.height, icon.density),
        (Some(32), Some(32), Some(640))
    );
    let adaptive = icon.adaptive.as_ref().unwrap();
    assert_eq!(adaptive.path, "base/res/mipmap-anydpi-v26/ic_launcher.xml");
    assert_eq!(
        adaptive.background,
        Some(apkinfo::report::LayerReport::Color("#ff3ddc84".into()))
    );
    let modules: Vec<(&str, &str, &str, Option<&str>)> = r
        .modules
        .as_ref()
        .unwrap()
        .iter()
        .map(|m| (m.name.as_str(), m.kind, m.delivery, m.title.as_deref()))
        .collect();
    assert_eq!(
        modules,
        [
            ("base", "base", "install-time", None),
            ("assetpack", "asset-pack", "fast-follow", None),
            (
                "feature_conditional",
                "feature",
                "conditional",
                Some("Conditional")
            ),
            (
                "feature_installtime",
                "feature",
                "install-time",
                Some("Install time")
            ),
            ("feature_legacy", "feature", "on-demand", Some("Legacy")),
            (
                "feature_ondemand",
                "feature",
                "on-demand",
                Some("On demand")
            ),
        ]
    );
    let b = r.bundle.as_ref().unwrap();
    assert_eq!(b.bundletool_version.as_deref(), Some("1.15.6"));
    assert_eq!(b.android_gradle_plugin.as_deref(), Some("8.5.0"));
    let dims: Vec<(&str, bool)> = b
        .split_dimensions
        .iter()
        .map(|d| (d.dimension.as_str(), d.negate))
        .collect();
    assert_eq!(
        dims,
        [("abi", false), ("density", false), ("language", true)]
    );
    assert_eq!(b.uncompressed_globs, ["assets/**"]);
}

#[test]
fn an_upload_key_is_listed_and_never_filed() {
    for (rel, md5) in [
        ("bundles/app.aab", TESTKEY_MD5),
        (
            "bundles/upload-key-rsa3072.aab",
            "a9836465135241f361f351181c321582",
        ),
    ] {
        let r = inspect(rel).unwrap();
        assert!(r.filing.is_none(), "{rel}");
        assert_eq!(r.signers.len(), 1, "{rel}");
        assert_eq!(r.signers[0].role, Some("upload"), "{rel}");
        assert_eq!(r.signers[0].schemes, ["v1"], "{rel}");
        assert_eq!(r.signers[0].certificate.md5, md5, "{rel}");
        assert!(r.warnings.iter().any(|w| w.contains("upload key")), "{rel}");
        let text = apkinfo::report::text::render(&r);
        assert!(
            text.contains("APP备案 filing: no value from an .aab"),
            "{text}"
        );
        assert!(!text.contains(&apkinfo::cert::colon_hex(md5)), "{text}");
    }
    let r = inspect("bundles/unsigned.aab").unwrap();
    assert!(r.filing.is_none() && r.signers.is_empty());
    assert!(!r.warnings.iter().any(|w| w.contains("upload key")));
}

#[test]
fn check_fails_a_bundle_and_says_which_key_it_holds() {
    let out = bin()
        .args([
            "check",
            "--json",
            "--package",
            "com.example.bundle",
            "--md5",
            TESTKEY_MD5,
        ])
        .arg(fixture("bundles/app.aab"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = &v["mismatches"][0];
    assert_eq!(m["field"], "signature_md5");
    assert!(m["actual"].is_null());
    let note = m["note"].as_str().unwrap();
    assert!(note.contains("is this bundle's upload key"), "{note}");
    assert!(note.contains(TESTKEY_SHA256), "{note}");
    // The package alone is comparable.
    let out = bin()
        .args(["check", "--package", "com.example.bundle"])
        .arg(fixture("bundles/app.aab"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn verify_checks_a_bundles_jar_signature() {
    let out = bin()
        .args(["verify", "--json"])
        .arg(fixture("bundles/app.aab"))
        .arg(fixture("bundles/unsigned.aab"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["verified"], true, "{}", lines[0]);
    assert_eq!(lines[0]["schemes"]["v1"], true);
    assert_eq!(lines[0]["signers"][0]["sha256"], TESTKEY_SHA256);
    assert_eq!(lines[1]["verified"], false);
    assert!(lines[1]["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("JAR_SIG_NO_MANIFEST"));
}

#[test]
fn manifest_and_icon_of_a_bundle() {
    let out = bin()
        .arg("manifest")
        .arg(fixture("bundles/app.aab"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains(r#"package="com.example.bundle""#), "{xml}");
    assert!(xml.contains(r#"android:label="@string/app_name""#), "{xml}");
    assert!(xml.contains(r#"android:versionCode="42""#), "{xml}");
    let img = icon_of("bundles/app.aab");
    assert_eq!((img.width(), img.height()), (32, 32));
}

#[test]
fn broken_or_partial_bundles() {
    let e = inspect("bundles/manifest-truncated.aab")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("base/manifest/AndroidManifest.xml: protobuf XML: "),
        "{e}"
    );
    let r = inspect("bundles/no-bundleconfig.aab").unwrap();
    assert_eq!(r.package.as_deref(), Some("com.example.bundle"));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.starts_with("no BundleConfig.pb")));
    let r = inspect("bundles/minimal.aab").unwrap();
    assert_eq!(r.package.as_deref(), Some("com.example.minimalbundle"));
    assert_eq!(r.label.as_deref(), Some("Minimal bundle"));
    assert_eq!((r.min_sdk, r.target_sdk), (Some(1), Some(1)));
    assert!(r.icon.is_none());
}

#[test]
fn a_set_gathers_labels_and_icons_from_its_config_splits() {
    // bundletool's layout: the zh-CN label and the xxhdpi icon live only in
    // their config splits; the base alone has "Splits" and an 8 px icon.
    let r = inspect("sets/apks-resource-splits.apks").unwrap();
    assert_eq!(r.format, "apks");
    assert_eq!(r.base_apk.as_deref(), Some("splits/base-master.apk"));
    assert_eq!(r.label.as_deref(), Some("Splits"));
    assert_eq!(r.labels.get("zh-CN").map(String::as_str), Some("分包"));
    let icon = r.icon.as_ref().unwrap();
    assert_eq!(
        icon.path.as_deref(),
        Some("splits/base-xxhdpi.apk!res/mipmap-xxhdpi-v4/ic_launcher.png")
    );
    assert_eq!((icon.width, icon.density), (Some(24), Some(480)));
    let filing = r.filing.as_ref().unwrap();
    assert_eq!(filing.signature_md5, TESTKEY_MD5);
    let splits: Vec<(&str, Option<&str>)> = r
        .splits
        .as_ref()
        .unwrap()
        .iter()
        .map(|s| (s.path.as_str(), s.split.as_deref()))
        .collect();
    assert_eq!(
        splits,
        [
            ("splits/base-arm64_v8a.apk", Some("config.arm64_v8a")),
            ("splits/base-xxhdpi.apk", Some("config.xxhdpi")),
            ("splits/base-zh.apk", Some("config.zh")),
        ]
    );
    // `icon` writes the split's 24 px file.
    assert_eq!(icon_of("sets/apks-resource-splits.apks").width(), 24);
}

/// `fixtures/bundles/from-apk/X.aab` is `fixtures/android/X.apk` as aapt2
/// writes it in protobuf form, repacked as a bundle's base module: the same
/// app, so the same facts (icon paths gain the module's folder).
#[test]
fn bundles_aapt2_converted_from_apks_give_the_apks_facts() {
    let dir = fixture("bundles/from-apk");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".aab").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for n in &names {
        let apk = inspect(&format!("android/{n}.apk")).unwrap();
        let aab = inspect(&format!("bundles/from-apk/{n}.aab")).unwrap();
        assert_eq!(aab.format, "aab", "{n}");
        assert_eq!(apk.package, aab.package, "{n}");
        assert_eq!(apk.version_code, aab.version_code, "{n}");
        assert_eq!(apk.version_name, aab.version_name, "{n}");
        assert_eq!(
            (apk.min_sdk, apk.target_sdk, apk.max_sdk),
            (aab.min_sdk, aab.target_sdk, aab.max_sdk),
            "{n}"
        );
        assert_eq!(apk.label, aab.label, "{n}");
        assert_eq!(apk.labels, aab.labels, "{n}");
        assert_eq!(apk.permissions, aab.permissions, "{n}");
        assert_eq!(apk.abis, aab.abis, "{n}");
        assert_eq!(apk.launcher_activity, aab.launcher_activity, "{n}");
        let icon = |r: &apkinfo::Report, prefix: &str| {
            r.icon.as_ref().map(|i| {
                (
                    i.path.as_ref().map(|p| format!("{prefix}{p}")),
                    i.density,
                    i.width,
                    i.height,
                    i.adaptive.as_ref().map(|a| format!("{prefix}{}", a.path)),
                )
            })
        };
        assert_eq!(icon(&apk, "base/"), icon(&aab, ""), "{n}");
    }
}
