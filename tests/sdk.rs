//! `inspect --scan` on the fixtures made by `fixtures/make-sdk.sh`: what each
//! must find and, as important, what it must not. (The goldens beside them
//! pin the whole report; these say what matters in words.)

use apkinfo::report::Report;
use std::path::Path;

fn scan(name: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/sdk")
        .join(name);
    let data = std::fs::read(&path).unwrap();
    let opts = apkinfo::Options {
        scan: true,
        ..apkinfo::Options::default()
    };
    apkinfo::inspect_opts(name, &data, None, &opts, &apkinfo::Limits::default()).unwrap()
}

fn names(r: &Report) -> Vec<String> {
    r.sdks
        .as_ref()
        .unwrap()
        .iter()
        .map(|s| s.name.clone())
        .collect()
}

fn has(r: &Report, prefix: &str) -> bool {
    names(r).iter().any(|n| n.starts_with(prefix))
}

#[test]
fn the_chinese_stack_is_found_with_providers_and_categories() {
    let r = scan("china-stack.apk");
    for want in [
        "WeChat OpenSDK",
        "Alipay",
        "AMap Location",
        "AMap Map",
        "JiGuang JPush",
        "Getui",
        "Umeng",
        "Tencent Bugly",
        "Xiaomi Push",
        "HUAWEI Push",
        "Pangle",
        "China Mobile",
    ] {
        assert!(has(&r, want), "{want} not in {:?}", names(&r));
    }
    let wechat = r
        .sdks
        .as_ref()
        .unwrap()
        .iter()
        .find(|s| s.name.starts_with("WeChat"))
        .unwrap();
    assert_eq!(
        (wechat.category, wechat.category_zh),
        ("login-share", "登录分享")
    );
    assert_eq!(wechat.provider_zh, "深圳市腾讯计算机系统有限公司");
    // The app's own entry activities are evidence of the SDK found in DEX.
    assert!(wechat
        .evidence
        .iter()
        .any(|e| e.value == "com.example.shop.wxapi.WXEntryActivity"));
    // Both DEX files were read (035 and 039), and open-source libraries stay apart.
    let scan = r.scan.as_ref().unwrap();
    assert_eq!((scan.dex_files, scan.classes), (2, 17));
    let libs: Vec<&str> = r
        .libraries
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert!(libs.contains(&"Glide"), "{libs:?}");
    assert!(!names(&r)
        .iter()
        .any(|n| n.contains("OkHttp") || n.contains("Glide")));
    assert_eq!(r.packer, Some(None));
}

#[test]
fn decoys_find_nothing() {
    let r = scan("decoys.apk");
    assert_eq!(names(&r), Vec::<String>::new());
    assert_eq!(r.scan.as_ref().unwrap().classes, 6);
}

#[test]
fn a_packed_app_names_its_packer_and_says_what_is_hidden() {
    let r = scan("packed-360.apk");
    let p = r.packer.clone().flatten().unwrap();
    assert_eq!(p.name, "360 Jiagu");
    let kinds: Vec<&str> = p.evidence.iter().map(|e| e.kind).collect();
    assert!(
        kinds.contains(&"application") && kinds.contains(&"file"),
        "{kinds:?}"
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("hidden")),
        "{:?}",
        r.warnings
    );
    // The manifest and native libraries still speak.
    assert!(has(&r, "JiGuang JCore"), "{:?}", names(&r));
}

#[test]
fn a_dex_041_container_is_read_section_by_section() {
    let r = scan("dex041.apk");
    assert_eq!(r.scan.as_ref().unwrap().classes, 4);
    for want in [
        "Google Analytics for Firebase",
        "Sentry",
        "Google Mobile Ads",
    ] {
        assert!(has(&r, want), "{want} not in {:?}", names(&r));
    }
}

#[test]
fn ios_frameworks_load_commands_and_classes() {
    let r = scan("ios-stack.ipa");
    for want in [
        "Alipay",
        "AMap Location",
        "Facebook",
        "Google Analytics for Firebase",
        "WeChat",
        "JiGuang JPush",
        "Umeng",
        "Tencent Bugly",
        "Baidu Map",
        "QQ Connect",
        "Weibo",
    ] {
        assert!(has(&r, want), "{want} not in {:?}", names(&r));
    }
    // WXApiManager and MyJPUSHServiceHelper are the app's own classes.
    let all: Vec<&str> = r
        .sdks
        .as_ref()
        .unwrap()
        .iter()
        .flat_map(|s| &s.evidence)
        .map(|e| e.value.as_str())
        .collect();
    assert!(!all.contains(&"WXApiManager") && !all.contains(&"MyJPUSHServiceHelper"));
    let alipay = r
        .sdks
        .as_ref()
        .unwrap()
        .iter()
        .find(|s| s.name.starts_with("Alipay"))
        .unwrap();
    assert!(alipay
        .evidence
        .iter()
        .any(|e| e.kind == "framework" && e.value.contains("com.alipay.sdk 15.8.16")));
    assert!(alipay
        .evidence
        .iter()
        .any(|e| e.kind == "dylib" && e.value == "@rpath/AlipaySDK.framework/AlipaySDK"));
    assert_eq!(r.scan.as_ref().unwrap().objc_classes, Some(13));
}

#[test]
fn an_encrypted_executable_is_said_and_the_rest_still_read() {
    let r = scan("ios-encrypted.ipa");
    assert!(
        r.warnings.iter().any(|w| w.contains("cryptid 1")),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.scan.as_ref().unwrap().objc_classes, Some(0));
    assert!(has(&r, "Alipay") && has(&r, "Facebook"), "{:?}", names(&r));
    assert!(
        !has(&r, "WeChat"),
        "class names of an encrypted binary cannot be read"
    );
}

#[test]
fn harmony_native_libraries() {
    let r = scan("harmony-libs.hap");
    assert!(has(&r, "Agora"), "{:?}", names(&r));
    let libs: Vec<&str> = r
        .libraries
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert!(libs.contains(&"MMKV"), "{libs:?}");
}

#[test]
fn plain_inspect_does_not_scan() {
    let data =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sdk/china-stack.apk"))
            .unwrap();
    let r = apkinfo::inspect("x", &data, &apkinfo::Limits::default()).unwrap();
    assert!(r.sdks.is_none() && r.packer.is_none() && r.scan.is_none());
    let json = serde_json::to_value(&r).unwrap();
    assert!(json.get("sdks").is_none() && json.get("packer").is_none());
}
