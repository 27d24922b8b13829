//! iOS fixtures (made by fixtures/make-ios.sh) against the facts the script
//! put in them, and certificates against `fixtures/ios/certs.tsv` (openssl).

use std::path::{Path, PathBuf};

fn ios(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/ios")
        .join(name)
}

fn inspect(name: &str) -> Result<apkinfo::Report, apkinfo::Error> {
    let data = std::fs::read(ios(name)).unwrap();
    apkinfo::inspect(name, &data, &apkinfo::Limits::default())
}

/// openssl's SHA-1 of each fixture certificate, by name.
fn cert_sha1(name: &str) -> String {
    let text = std::fs::read_to_string(ios("certs.tsv")).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{name}\t")))
        .unwrap();
    line.split('\t').nth(3).unwrap().to_string()
}

/// file, bundle id, version, build, label, device family, architectures, profile type, filing cert
type Facts = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const FACTS: &[Facts] = &[
    (
        "basic-xml-plist.ipa",
        "com.example.basic",
        "1.2.3",
        "45",
        "Basic",
        "iphone",
        "arm64",
        "app-store",
        "distribution",
    ),
    (
        "binary-plist-universal.ipa",
        "com.example.universal",
        "2.0.1",
        "2001",
        "Universal",
        "universal",
        "arm64,armv7",
        "ad-hoc",
        "distribution",
    ),
    (
        "ipad-only.ipa",
        "com.example.ipadonly",
        "3.0",
        "300",
        "iPad Only",
        "ipad",
        "arm64",
        "development",
        "development",
    ),
    (
        "tvos.ipa",
        "com.example.tv",
        "1.0",
        "1",
        "TV App",
        "tv",
        "arm64",
        "enterprise",
        "distribution",
    ),
    (
        "with-extensions.ipa",
        "com.example.basic",
        "4.5.6",
        "456",
        "Host",
        "iphone",
        "arm64",
        "app-store",
        "distribution",
    ),
    (
        "nested-folder.ipa",
        "com.example.nested",
        "1.0.0",
        "100",
        "Nested",
        "iphone",
        "arm64",
        "app-store",
        "distribution",
    ),
    (
        "names-with-spaces.ipa",
        "com.example.spaces",
        "1.0",
        "7",
        "My App 测试",
        "iphone",
        "arm64",
        "app-store",
        "distribution",
    ),
    (
        "apple-resigned.ipa",
        "com.example.resigned",
        "5.0",
        "500",
        "Resigned",
        "iphone",
        "arm64",
        "app-store",
        "distribution",
    ),
    (
        "icons-only-in-assets-car.ipa",
        "com.example.assetsonly",
        "1.1",
        "11",
        "Assets Only",
        "iphone",
        "arm64",
        "app-store",
        "distribution",
    ),
    (
        "fat-reversed-order.ipa",
        "com.example.fatreversed",
        "0.1",
        "1",
        "Fat Reversed",
        "iphone",
        "x86_64,arm64",
        "ad-hoc",
        "distribution",
    ),
];

#[test]
fn bundle_facts_profile_and_filing_certificate() {
    for &(file, id, version, build, label, family, archs, profile, cert) in FACTS {
        let r = inspect(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(r.platform, "ios");
        assert_eq!(r.format, "ipa");
        assert_eq!(r.package.as_deref(), Some(id), "{file}");
        assert_eq!(r.version_name.as_deref(), Some(version), "{file}");
        assert_eq!(r.build.as_deref(), Some(build), "{file}");
        assert_eq!(r.label.as_deref(), Some(label), "{file}");
        assert_eq!(r.min_os.as_deref(), Some("13.0"), "{file}");
        assert_eq!(r.device_family.as_deref(), Some(family), "{file}");
        assert_eq!(r.architectures.as_ref().unwrap().join(","), archs, "{file}");
        let p = r.provisioning.as_ref().unwrap();
        assert_eq!(p.kind, profile, "{file}");
        assert_eq!(p.team_id.as_deref(), Some("TEAM123456"), "{file}");
        if cert == "development" {
            // A development certificate is not the one to file: said, not shown.
            assert!(r.filing.is_none(), "{file}");
            let w = r.filing_withheld.as_ref().unwrap();
            assert_eq!(w.cause, "development-certificate", "{file}");
            assert_eq!(r.warnings.first(), Some(&w.note), "{file}");
            let signer = &r.signers[0].certificate;
            assert_eq!(signer.sha1, cert_sha1(cert), "{file}");
            assert_eq!(w.certificate_sha256, signer.sha256, "{file}");
        } else {
            let filing = r.filing.as_ref().unwrap();
            assert_eq!(filing.platform, "ios");
            assert_eq!(filing.package.as_deref(), Some(id));
            assert_eq!(
                filing.signature_sha1,
                cert_sha1(cert),
                "{file}: filing certificate"
            );
        }
        // Code signature signer: the leaf found by issuer+serial (rcodesign lists the CA first).
        let signer = &r.signers[0].certificate;
        let expected_signer = if file == "apple-resigned.ipa" {
            "apple-app-signing"
        } else {
            cert
        };
        assert_eq!(
            signer.sha1,
            cert_sha1(expected_signer),
            "{file}: code-signing leaf"
        );
    }
}

#[test]
fn apple_resigned_falls_back_to_the_profile_certificate() {
    let r = inspect("apple-resigned.ipa").unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("Apple's own re-signing")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn localized_names_extensions_schemes() {
    let r = inspect("binary-plist-universal.ipa").unwrap();
    assert_eq!(r.labels.get("en").map(String::as_str), Some("Universal EN"));
    assert_eq!(r.labels.get("zh-Hans").map(String::as_str), Some("示例"));
    assert_eq!(r.labels.get("ja").map(String::as_str), Some("ユニバーサル"));
    let r = inspect("with-extensions.ipa").unwrap();
    let ids: Vec<_> = r
        .extensions
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.bundle_id.unwrap_or_default()))
        .collect();
    assert!(
        ids.contains(&("appex".into(), "com.example.basic.share".into())),
        "{ids:?}"
    );
    assert!(
        ids.contains(&("app".into(), "com.example.basic.watchkitapp".into())),
        "{ids:?}"
    );
    let r = inspect("basic-xml-plist.ipa").unwrap();
    assert_eq!(r.url_schemes.unwrap(), ["basic", "com.example.basic"]);
    let mut ats = r.ats_exception_domains.unwrap();
    ats.sort();
    assert_eq!(ats, ["api.example.cn", "example.com"]);
    let icon = r.icon.unwrap();
    assert_eq!(
        (icon.width, icon.height, icon.crushed),
        (Some(180), Some(180), Some(true))
    );
    let r = inspect("icons-only-in-assets-car.ipa").unwrap();
    assert!(r.icon.is_none());
    assert!(r.warnings.iter().any(|w| w.contains("Assets.car")));
}

#[test]
fn not_an_app_is_an_error() {
    assert!(inspect("not-an-ipa.ipa").is_err());
    let e = inspect("no-app-bundle.ipa").unwrap_err().to_string();
    assert!(e.contains("no app bundle"), "{e}");
}

/// The decoder's output against the uncrushed original: alpha exact, colour
/// exact where opaque and within 1 where translucent (premultiplication loses a bit).
#[test]
fn crushed_pngs_decode_to_the_original_pixels() {
    for name in ["cgbi-120", "cgbi-152", "cgbi-split-idat-180"] {
        let crushed = std::fs::read(ios(&format!("icons/{name}.png"))).unwrap();
        let png = apkinfo::ipa::cgbi::to_standard_png(&crushed).unwrap();
        let got = image::load_from_memory(&png).unwrap().to_rgba8();
        let want = image::open(ios(&format!("icons/{name}.expected.png")))
            .unwrap()
            .to_rgba8();
        assert_eq!(got.dimensions(), want.dimensions());
        for (g, w) in got.pixels().zip(want.pixels()) {
            assert_eq!(g[3], w[3], "{name}: alpha");
            let tolerance = match w[3] {
                0 => continue,
                255 => 0,
                _ => 1,
            };
            for c in 0..3 {
                assert!(
                    (i16::from(g[c]) - i16::from(w[c])).abs() <= tolerance,
                    "{name}: {g:?} vs {w:?}"
                );
            }
        }
    }
    // A normal PNG passes through untouched.
    let plain = std::fs::read(ios("icons/plain-64.png")).unwrap();
    assert_eq!(apkinfo::ipa::cgbi::to_standard_png(&plain).unwrap(), plain);
}

#[test]
fn check_accepts_an_ios_table() {
    let toml = std::env::temp_dir().join(format!("apkinfo-ios-{}.toml", std::process::id()));
    std::fs::write(
        &toml,
        format!(
            "[ios]\npackage = \"com.example.basic\"\nsignature_sha1 = \"{}\"\n",
            cert_sha1("distribution").to_uppercase()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_apkinfo"))
        .args(["check", "--expect"])
        .arg(&toml)
        .arg(ios("basic-xml-plist.ipa"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_apkinfo"))
        .args(["check", "--expect"])
        .arg(&toml)
        .arg(ios("ipad-only.ipa"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn icon_command_writes_a_decoded_png() {
    let out_path =
        std::env::temp_dir().join(format!("apkinfo-ios-icon-{}.png", std::process::id()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_apkinfo"))
        .arg("icon")
        .arg(ios("basic-xml-plist.ipa"))
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
    let img = image::open(&out_path).unwrap();
    assert_eq!((img.width(), img.height()), (180, 180));
}
