use super::*;

fn names(f: &Findings) -> Vec<&str> {
    f.sdks.iter().map(|s| s.name.as_str()).collect()
}

#[test]
fn every_rule_pattern_compiles() {
    for r in rules::RULES.iter().filter(|r| r.regex) {
        assert!(
            Regex::new(&format!("^(?:{})$", r.pattern)).is_ok(),
            "rule {:?} does not compile",
            r.pattern
        );
    }
}

#[test]
fn the_table_is_big_enough_and_complete() {
    assert!(rules::SDKS.len() >= 80, "{} SDKs", rules::SDKS.len());
    for s in rules::SDKS {
        for f in [s.name, s.name_zh, s.provider, s.provider_zh] {
            assert!(!f.trim().is_empty(), "{} lacks a field", s.id);
        }
    }
    // Every SDK of the table can be found: it owns at least one strong rule.
    for (i, s) in rules::SDKS.iter().enumerate() {
        let owner = Owner::Sdk(i as u16);
        assert!(
            rules::RULES.iter().any(|r| r.owner == owner && !r.weak),
            "{} has no strong rule",
            s.id
        );
    }
}

#[test]
fn prefixes_match_whole_segments() {
    let mut s = Signals::default();
    s.dex_packages
        .insert("com.tencent.mm.opensdk.openapi".into());
    assert_eq!(names(&identify(&s)).len(), 1);
    assert!(names(&identify(&s))[0].starts_with("WeChat OpenSDK"));
    let mut s = Signals::default();
    for p in [
        "com.tencentx.mm.opensdk",
        "com.tencent.mm.opensdkx",
        "com.example.com.tencent.mm.opensdk",
        "com.tencent",
    ] {
        s.dex_packages.insert(p.into());
    }
    assert!(identify(&s).sdks.is_empty(), "{:?}", names(&identify(&s)));
}

#[test]
fn weak_signals_alone_find_nothing() {
    let mut s = Signals::default();
    s.components
        .insert("com.example.wxapi.WXEntryActivity".into());
    s.meta_data.insert("UMENG_CHANNEL".into());
    s.meta_data.insert("com.amap.api.v2.apikey".into());
    assert!(identify(&s).sdks.is_empty());
    // With the SDK's own classes, the entry activity is shown as evidence.
    s.dex_packages
        .insert("com.tencent.mm.opensdk.modelpay".into());
    let f = identify(&s);
    let wechat = f
        .sdks
        .iter()
        .find(|s| s.name.starts_with("WeChat OpenSDK"))
        .unwrap();
    assert!(wechat
        .evidence
        .iter()
        .any(|e| e.kind == "component" && e.value.ends_with(".wxapi.WXEntryActivity")));
    assert_eq!(wechat.category, "login-share");
    assert_eq!(wechat.category_zh, "登录分享");
}

#[test]
fn libraries_are_kept_apart_from_sdks() {
    let mut s = Signals::default();
    s.dex_packages.insert("okhttp3.internal".into());
    s.dex_packages.insert("com.bumptech.glide.load".into());
    let f = identify(&s);
    assert!(f.sdks.is_empty());
    let libs: Vec<&str> = f.libraries.iter().map(|l| l.name.as_str()).collect();
    assert!(
        libs.contains(&"OkHttp3") && libs.contains(&"Glide"),
        "{libs:?}"
    );
}

#[test]
fn ios_signals() {
    let mut s = Signals::default();
    s.objc_classes.insert("WXApi".into());
    s.objc_classes.insert("AppDelegate".into());
    s.dylibs.push("@rpath/AlipaySDK.framework/AlipaySDK".into());
    let f = identify(&s);
    let n = names(&f);
    assert!(n.iter().any(|n| n.starts_with("WeChat OpenSDK")), "{n:?}");
    assert!(n.iter().any(|n| n.starts_with("Alipay")), "{n:?}");
    assert_eq!(
        framework_of("@rpath/AlipaySDK.framework/AlipaySDK"),
        Some("AlipaySDK")
    );
    assert_eq!(
        framework_of("/System/Library/Frameworks/UIKit.framework/UIKit"),
        Some("UIKit")
    );
    assert_eq!(framework_of("/usr/lib/libz.1.dylib"), None);
}

#[test]
fn packers_come_with_a_warning() {
    let mut s = Signals {
        application: Some("com.stub.StubApp".into()),
        ..Signals::default()
    };
    s.files.push("assets/libjiagu.so".into());
    let f = identify(&s);
    let p = f.packer.unwrap();
    assert!(p.name_zh.contains("360"), "{p:?}");
    assert!(f.warnings.iter().any(|w| w.contains("hidden")));
}

#[test]
fn categories_have_the_forms_names() {
    assert_eq!(Category::MapsLocation.key(), "maps-location");
    assert_eq!(Category::OneClickLogin.name_zh(), "一键登录");
    assert_eq!(EvidenceKind::IntentAction.key(), "intent-action");
}
