//! The filing form (域名, 服务器IP, 服务语言, and the rest) on the app that
//! `fixtures/make-filing.sh` builds for Android, iOS and HarmonyOS, with hosts
//! planted in every source the scan reads (`fixtures/tools/filing/hosts.py`).

use apkinfo::report::Report;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/filing")
        .join(name)
}

fn scan(name: &str) -> Report {
    let data = std::fs::read(fixture(name)).unwrap();
    let opts = apkinfo::Options {
        scan: true,
        ..apkinfo::Options::default()
    };
    apkinfo::inspect_opts(name, &data, None, &opts, &apkinfo::Limits::default()).unwrap()
}

/// (host, bucket, level, source paths) of every domain.
fn domains(r: &Report) -> Vec<(String, &'static str, u8, Vec<String>)> {
    r.domains
        .as_ref()
        .unwrap()
        .iter()
        .map(|d| {
            let paths = d.sources.iter().map(|s| s.path.clone()).collect();
            (d.host.clone(), d.bucket, d.level, paths)
        })
        .collect()
}

fn found_in(r: &Report, host: &str, path: &str) -> bool {
    domains(r)
        .iter()
        .any(|(h, b, _, p)| h == host && *b == "own" && p.iter().any(|x| x == path))
}

#[test]
fn android_hosts_come_from_every_source() {
    let r = scan("shop-android.apk");
    for (host, path) in [
        ("api.shopdemo.cn", "classes.dex"),
        ("push.shopdemo.cn", "classes.dex"),
        ("help.shopdemo.cn", "resources.arsc"),
        ("cdn.shopdemo.cn", "res/xml/network_security_config.xml"),
        ("m.shopdemo.cn", "AndroidManifest.xml"),
        ("config.shopdemo.cn", "assets/config.json"),
        ("live.shopdemo.cn", "assets/config.json"),
        ("native.shopdemo.cn", "lib/arm64-v8a/libnet.so"),
        ("xn--fsqu00a.xn--fiqs8s", "classes.dex"),
    ] {
        assert!(
            found_in(&r, host, path),
            "{host} not found in {path}: {:?}",
            domains(&r)
        );
    }
    let d = domains(&r);
    let level = |h: &str| d.iter().find(|x| x.0 == h).map(|x| x.2);
    assert_eq!(level("a.b.c.shopdemo.cn"), Some(5));
    assert_eq!(level("api.shopdemo.cn"), Some(3));
    let bucket = |h: &str| d.iter().find(|x| x.0 == h).map(|x| x.1);
    assert_eq!(bucket("ulogs.umeng.com"), Some("sdk"));
    assert_eq!(bucket("restapi.amap.com"), Some("sdk"));
    assert_eq!(bucket("www.w3.org"), Some("noise"));
    assert_eq!(bucket("example.com"), Some("noise"));
    assert_eq!(bucket("schemas.android.com"), Some("noise"));
    let ips: Vec<(&str, bool, &str)> = r
        .ips
        .as_ref()
        .unwrap()
        .iter()
        .map(|i| (i.address.as_str(), i.public, i.kind))
        .collect();
    assert_eq!(
        ips,
        [
            ("8.8.8.8", true, "public"),
            ("127.0.0.1", false, "loopback"),
            ("192.168.1.10", false, "private")
        ]
    );
    let langs: Vec<&str> = r
        .languages
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| l.tag.as_str())
        .collect();
    assert_eq!(langs, ["zh-CN"]);
}

#[test]
fn ios_hosts_languages_and_the_certificate_to_file() {
    let r = scan("shop-ios.ipa");
    for (host, path) in [
        ("api.shopdemo.cn", "Payload/Shop.app/Shop"),
        (
            "img.shopdemo.cn",
            "Payload/Shop.app/Info.plist (NSExceptionDomains)",
        ),
        ("link.shopdemo.cn", "Payload/Shop.app/Shop (entitlements)"),
        (
            "account.shopdemo.cn",
            "Payload/Shop.app/Shop (entitlements)",
        ),
        ("plist.shopdemo.cn", "Payload/Shop.app/Config.plist"),
        (
            "share.shopdemo.cn",
            "Payload/Shop.app/PlugIns/ShareExt.appex/ShareExt",
        ),
    ] {
        assert!(
            found_in(&r, host, path),
            "{host} not found in {path}: {:?}",
            domains(&r)
        );
    }
    // A host only a bundled framework names is that SDK's, not the app's.
    let pay = r
        .domains
        .as_ref()
        .unwrap()
        .iter()
        .find(|d| d.host == "gw.paysdkvendor.com")
        .unwrap();
    assert_eq!(
        (pay.bucket, pay.sdk.as_deref()),
        ("sdk", Some("PaySDK (framework)"))
    );
    let langs: Vec<(&str, Option<&str>)> = r
        .languages
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| (l.tag.as_str(), l.name_zh.as_deref()))
        .collect();
    assert_eq!(langs, [("en", Some("英语")), ("zh-Hans", Some("中文简体"))]);
    let f = r.filing.as_ref().unwrap();
    assert_eq!(f.basis, "code-signature");
    assert!(f.certificate.contains("Apple Distribution: apkinfo Test"));
    assert!(r.filing_withheld.is_none());
}

#[test]
fn a_signer_that_is_not_the_profiles_is_never_filed() {
    let other = scan("shop-ios-resigned.ipa");
    assert!(other.filing.is_none());
    let w = other.filing_withheld.as_ref().unwrap();
    assert_eq!(w.cause, "re-signed");
    assert!(
        w.note.contains("none of the provisioning profile's"),
        "{}",
        w.note
    );
    let renewed = scan("shop-ios-renewed.ipa");
    let w = renewed.filing_withheld.as_ref().unwrap();
    assert_eq!(w.cause, "re-signed");
    assert!(w.note.contains("same public key"), "{}", w.note);
}

#[test]
fn harmony_hosts_from_skills_rawfile_abc_and_libs() {
    let r = scan("shop-harmony.hap");
    for (host, path) in [
        ("link.shopdemo.cn", "module.json"),
        ("res.shopdemo.cn", "resources.index"),
        ("api.shopdemo.cn", "resources/rawfile/config.json"),
        ("api.shopdemo.cn", "ets/modules.abc"),
        ("api.shopdemo.cn", "libs/arm64-v8a/libnet.so"),
    ] {
        assert!(
            found_in(&r, host, path),
            "{host} not found in {path}: {:?}",
            domains(&r)
        );
    }
    let langs: Vec<&str> = r
        .languages
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| l.tag.as_str())
        .collect();
    assert!(
        langs.contains(&"zh-CN") && langs.contains(&"en-US"),
        "{langs:?}"
    );
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apkinfo"))
}

#[test]
fn the_filing_command_fills_the_form_for_three_platforms() {
    let dir = std::env::temp_dir().join(format!("apkinfo-filing-{}", std::process::id()));
    let html = dir.join("form.html");
    std::fs::create_dir_all(&dir).unwrap();
    let out = bin()
        .arg("filing")
        .arg("--json")
        .arg("--icon-dir")
        .arg(&dir)
        .arg("--html")
        .arg(&html)
        .args([
            fixture("shop-android.apk"),
            fixture("shop-ios.ipa"),
            fixture("shop-harmony.hap"),
        ])
        .output()
        .unwrap();
    // Every platform has a value to file: exit 0.
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let form: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(form["app"]["name"], "购物");
    let langs: Vec<&str> = form["app"]["languages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["name_zh"].as_str())
        .collect();
    assert_eq!(langs, ["中文简体", "英语"]);
    let platforms: Vec<&str> = form["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["platform"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, ["android", "ios", "harmonyos"]);
    // iOS's 签名MD5值 is the SHA-1.
    assert_eq!(
        form["platforms"][1]["signature_value"],
        form["platforms"][1]["sha1"]
    );
    assert_eq!(
        form["platforms"][0]["signature_value"],
        form["platforms"][0]["md5"]
    );
    let groups = form["platforms"][0]["domains"].as_array().unwrap();
    assert_eq!(groups[0]["registrable"], "shopdemo.cn");
    assert_eq!(groups[0]["max_level"], 5);
    assert_eq!(form["server_ips"].as_array().unwrap().len(), 1);
    assert_eq!(form["server_ips"][0]["address"], "8.8.8.8");
    let warnings = form["warnings"].to_string();
    assert!(warnings.contains("level-5"), "{warnings}");
    assert!(
        !warnings.contains("no signing certificate found"),
        "{warnings}"
    );
    assert_eq!(form["platforms"][2]["basis"], "signing-block-leaf");
    // The HarmonyOS icon was written, and the page inlines it.
    assert!(dir.join("icon-harmonyos.png").is_file());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("data:image/png;base64,") && page.contains("复制 copy"));
    assert!(
        !page.contains("src=\"http"),
        "the page must be self-contained"
    );
    if let Some(chromium) = ["chromium", "chromium-browser"].iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) {
        let shot = dir.join("form.png");
        let status = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=1200,2000",
            ])
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", html.display()))
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let png = std::fs::read(&shot).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "screenshot of {} bytes",
            png.len()
        );
    } else {
        eprintln!("no chromium: the HTML form's rendering is not checked");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn own_domains_split_the_rest_off() {
    let out = bin()
        .args(["filing", "--json", "--own-domain", "shopdemo.cn"])
        .arg(fixture("shop-android.apk"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let form: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups: Vec<&str> = form["platforms"][0]["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["registrable"].as_str().unwrap())
        .collect();
    // The IDN host is not under shopdemo.cn: third-party, not the filer's.
    assert_eq!(groups, ["shopdemo.cn"]);
}

/// `apkinfo check` of the Android build against `domains`: exit code and stdout.
fn check_domains(domains: &str) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("apkinfo-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let toml = dir.join("filed.toml");
    let text = format!("[android]\npackage = \"com.shopdemo.app\"\ndomains = [{domains}]\n");
    std::fs::write(&toml, text).unwrap();
    let out = bin()
        .args(["check", "--expect"])
        .arg(&toml)
        .arg(fixture("shop-android.apk"))
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn check_fails_on_a_domain_that_was_never_filed() {
    let (code, text) = check_domains("\"shopdemo.cn\"");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("xn--fsqu00a.xn--fiqs8s") && text.contains("classes.dex"),
        "{text}"
    );
    let (code, text) = check_domains("\"shopdemo.cn\", \"xn--fsqu00a.xn--fiqs8s\"");
    assert_eq!(code, Some(0), "{text}");
}

/// The form of the three builds, as `filing --json` gives it (without icons),
/// against `fixtures/filing/form.json`; `APKINFO_BLESS=1` rewrites it.
#[test]
fn the_form_matches_its_golden() {
    let reports: Vec<Report> = ["shop-android.apk", "shop-ios.ipa", "shop-harmony.hap"]
        .iter()
        .map(|n| {
            let mut r = scan(n);
            r.path = format!("fixtures/filing/{n}");
            r
        })
        .collect();
    let got = serde_json::to_string_pretty(&apkinfo::filing::form(&reports)).unwrap() + "\n";
    let golden = fixture("form.json");
    if std::env::var_os("APKINFO_BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("no form.json (run with APKINFO_BLESS=1)");
    assert!(
        want == got,
        "form differs from fixtures/filing/form.json\n--- got\n{got}"
    );
}

#[test]
fn android_locale_config_names_the_languages() {
    let r = scan("shop-android-locales.apk");
    let langs: Vec<(&str, Option<&str>, &str)> = r
        .languages
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| (l.tag.as_str(), l.name_zh.as_deref(), l.source))
        .collect();
    assert_eq!(
        langs,
        [
            ("en-US", Some("英语"), "localeConfig"),
            ("zh-CN", Some("中文简体"), "localeConfig"),
            ("zh-TW", Some("中文繁体"), "localeConfig"),
            ("ja", Some("日语"), "localeConfig"),
        ]
    );
}
