use super::*;
use std::time::{Duration, Instant};

fn no_sdk(_: &str) -> Option<&'static str> {
    None
}

fn finish(c: Collector) -> Domains {
    c.finish(&Context {
        sdk_domains: &no_sdk,
        own: &[],
    })
}

fn scanned(bytes: &[u8]) -> Domains {
    let mut c = Collector::default();
    c.scan("f", bytes);
    finish(c)
}

fn hosts(d: &Domains) -> Vec<&str> {
    d.domains.iter().map(|r| r.host.as_str()).collect()
}

fn ips(d: &Domains) -> Vec<(&str, &str)> {
    d.ips.iter().map(|r| (r.address.as_str(), r.kind)).collect()
}

fn one<'a>(d: &'a Domains, host: &str) -> &'a DomainReport {
    d.domains.iter().find(|r| r.host == host).unwrap()
}

#[test]
fn urls_in_text() {
    let d = scanned(
        b"see https://api.example.cn/v1?x=1 and http://cdn.example.cn:8080/a, \
          wss://push.example.cn/ws or ws://push.example.cn. Also \"https://www.example.cn\".",
    );
    assert_eq!(
        hosts(&d),
        [
            "api.example.cn",
            "cdn.example.cn",
            "push.example.cn",
            "www.example.cn"
        ]
    );
    let push = one(&d, "push.example.cn");
    assert_eq!(push.schemes, ["ws", "wss"]);
    assert_eq!(
        push.sources,
        [SourceCount {
            path: "f".into(),
            count: 2
        }]
    );
    assert_eq!(push.registrable, "example.cn");
    assert_eq!(push.level, 3);
    assert_eq!(push.bucket, "own");
    assert!(!push.config);
}

#[test]
fn urls_in_binary_noise() {
    let mut b = vec![0xffu8, 0x00, 0x13, 0x80, 0xc3];
    b.extend_from_slice(b"https://bin.example.cn/path\x00\xfe\xff");
    b.extend_from_slice(b"\x00\x00http://other.example.cn\xff\xfe");
    b.extend_from_slice(b"\xe4\xb8\xadhttps://glued.example.cn\xc3\x28");
    let d = scanned(&b);
    assert_eq!(
        hosts(&d),
        ["bin.example.cn", "glued.example.cn", "other.example.cn"]
    );
}

#[test]
fn scheme_look_back() {
    let d = scanned(
        b"xhttp://a.example.cn 1https://b.example.cn HTTP://C.EXAMPLE.CN HtTpS://d.example.cn",
    );
    assert_eq!(hosts(&d), ["c.example.cn", "d.example.cn"]);
    assert_eq!(one(&d, "c.example.cn").schemes, ["http"]);
    let d = scanned(b"ftp://a.example.cn news://b.example.cn file:///etc git+https://c.example.cn");
    assert_eq!(hosts(&d), ["c.example.cn"]);
}

#[test]
fn length_prefixed_strings() {
    // DEX / arsc UTF-8: the length byte (here 'S' = 83 and '2' = 50) right
    // before the string, which ends in NUL.
    let url = b"https://pooled.example.cn/a/very/long/path/to/reach/eighty-three/bytes/ok";
    let mut b = vec![0u8, u8::try_from(url.len()).unwrap()];
    assert!(b[1].is_ascii_alphanumeric());
    b.extend_from_slice(url);
    b.push(0);
    // .abc: (len << 1) | 1
    let url2 = b"https://abc.example.cn/x/y/z/1234";
    b.push(u8::try_from(url2.len() * 2 + 1).unwrap());
    b.extend_from_slice(url2);
    b.push(0);
    // a letter that is not the length
    b.extend_from_slice(b"\0zhttps://no.example.cn/\0");
    assert_eq!(hosts(&scanned(&b)), ["abc.example.cn", "pooled.example.cn"]);
}

#[test]
fn userinfo_and_ports() {
    let d = scanned(b"https://user:pa55@secure.example.cn:8443/x http://u@[2001:db8::1]:80/ https://host.example.cn:%d/");
    assert_eq!(hosts(&d), ["host.example.cn", "secure.example.cn"]);
    assert_eq!(ips(&d), [("2001:db8::1", "documentation")]);
}

#[test]
fn idn_to_punycode() {
    let d = scanned("打开 https://例子.中国/ 和 https://EXAMPLE.xn--fiqs8s/".as_bytes());
    assert_eq!(hosts(&d), ["example.xn--fiqs8s", "xn--fsqu00a.xn--fiqs8s"]);
    assert_eq!(
        one(&d, "xn--fsqu00a.xn--fiqs8s").registrable,
        "xn--fsqu00a.xn--fiqs8s"
    );
    // glued Chinese text after an ASCII host, full-width stops
    let d = scanned("请访问https://www.example.cn查看。https://m.example.cn。".as_bytes());
    assert_eq!(hosts(&d), ["m.example.cn", "www.example.cn"]);
    // invalid punycode
    assert!(hosts(&scanned(b"https://xn--zz.example.cn/")).is_empty());
}

#[test]
fn trailing_dot_and_levels() {
    let d =
        scanned(b"https://a.b.c.example.com./ https://example.com.cn/ https://x.y.example.com.cn/");
    let r = one(&d, "a.b.c.example.com");
    assert_eq!((r.registrable.as_str(), r.level), ("example.com", 5));
    let r = one(&d, "example.com.cn");
    assert_eq!((r.registrable.as_str(), r.level), ("example.com.cn", 2));
    let r = one(&d, "x.y.example.com.cn");
    assert_eq!((r.registrable.as_str(), r.level), ("example.com.cn", 4));
}

#[test]
fn bare_suffix_and_unknown_tld_rejected() {
    let d = scanned(b"https://com.cn/ https://com/ https://foo.bar-unknown/ http://R.drawable/ https://a.b.c/ https://-bad.example.cn/ https://a_b.example.cn/");
    assert_eq!(hosts(&d), Vec::<&str>::new());
    // .id is Indonesia's TLD: in a URL, R.id is a domain like any other
    assert_eq!(hosts(&scanned(b"http://R.id/")), ["r.id"]);
    let long = format!("https://{}.example.cn/", "a".repeat(64));
    assert!(scanned(long.as_bytes()).domains.is_empty());
}

#[test]
fn private_section_uses_icann_registrable() {
    let d = scanned(b"https://myapp.github.io/ https://bucket.s3.amazonaws.com/ https://x.blogspot.com/ https://github.io/");
    assert_eq!(one(&d, "myapp.github.io").registrable, "github.io");
    assert_eq!(one(&d, "myapp.github.io").level, 3);
    assert_eq!(one(&d, "github.io").level, 2);
    let s3 = one(&d, "bucket.s3.amazonaws.com");
    assert_eq!(
        (s3.registrable.as_str(), s3.bucket),
        ("amazonaws.com", "sdk")
    );
    assert_eq!(one(&d, "x.blogspot.com").registrable, "blogspot.com");
}

#[test]
fn class_like_tokens_not_found() {
    let d = scanned(b"com.umeng.analytics.MobclickAgent R.id.button www.example.cn example.cn/path res/layout/main.xml");
    assert!(d.domains.is_empty() && d.ips.is_empty());
}

#[test]
fn utf16le_urls() {
    let text = "\u{4}\u{0}x=https://wide.example.cn/p 和 HTTP://例子.中国 xhttp://no.example.cn";
    let mut b = vec![0x01u8, 0x02];
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    b.extend_from_slice(&[0, 0]);
    // a UTF-16 pool string with its length unit 'A' (65 units) in front
    let url = format!("https://pool.example.cn/{}", "p".repeat(65 - 24));
    assert_eq!(url.len(), 65);
    b.extend_from_slice(&[65, 0]);
    for u in url.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    b.extend_from_slice(&[0, 0]);
    let d = scanned(&b);
    assert_eq!(
        hosts(&d),
        [
            "pool.example.cn",
            "wide.example.cn",
            "xn--fsqu00a.xn--fiqs8s"
        ]
    );
    assert_eq!(one(&d, "xn--fsqu00a.xn--fiqs8s").schemes, ["http"]);
}

#[test]
fn json_escaped_urls() {
    let d = scanned(br#"{"url":"https:\/\/api.example.cn\/v2","dtd":"http:\/\/www.w3.org\/"}"#);
    assert_eq!(hosts(&d), ["api.example.cn", "www.w3.org"]);
}

#[test]
fn ipv4_kinds() {
    let d = scanned(
        b"http://8.8.8.8/ http://10.1.2.3/ http://192.168.1.1:8080/ http://127.0.0.1/ http://169.254.1.1/ \
          http://100.64.0.1/ http://203.0.113.5/ http://198.18.0.1/ http://0.0.0.0/ http://255.255.255.255/ \
          http://240.0.0.1/ http://224.0.0.1/",
    );
    assert_eq!(
        ips(&d),
        [
            ("0.0.0.0", "unspecified"),
            ("8.8.8.8", "public"),
            ("10.1.2.3", "private"),
            ("100.64.0.1", "shared"),
            ("127.0.0.1", "loopback"),
            ("169.254.1.1", "link-local"),
            ("192.168.1.1", "private"),
            ("198.18.0.1", "benchmarking"),
            ("203.0.113.5", "documentation"),
            ("224.0.0.1", "multicast"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.255", "broadcast"),
        ]
    );
    assert!(d.ips[1].public && !d.ips[2].public);
    assert!(d.domains.is_empty());
}

#[test]
fn short_and_odd_ipv4_forms_dropped() {
    let d = scanned(b"http://127.1/ http://0x7f.0.0.1/ http://0x7f000001/ http://010.0.0.1/ http://1.2.3.4.5/ http://256.1.1.1/ http://2130706433/");
    assert!(d.ips.is_empty() && d.domains.is_empty(), "{d:?}");
}

#[test]
fn ipv6() {
    let d = scanned(b"http://[2400:3200::1]:80/ https://[::1]/ ws://[fe80::1%25eth0]/ http://[fd00::2]/ http://[::ffff:10.0.0.1]/ http://[not:v6]/");
    assert_eq!(
        ips(&d),
        [
            ("::1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("2400:3200::1", "public"),
            ("fd00::2", "private"),
        ]
    );
    let mut c = Collector::default();
    c.add_host("cfg", "2400:3200::1", Found::Config);
    c.add_host("cfg", "[2001:db8::5]:443", Found::Config);
    c.add_host("cfg", "1.1.1.1:53", Found::Config);
    assert_eq!(
        ips(&finish(c)),
        [
            ("1.1.1.1", "public"),
            ("2001:db8::5", "documentation"),
            ("2400:3200::1", "public")
        ]
    );
}

#[test]
fn template_hosts_skipped() {
    let d = scanned(
        b"https://%s/api https://{host}/x https://${domain}/ https://api.%s.example.cn/ \
          https://api.{env}.example.cn https://api.example.${tld} https://cdn-{region}.example.cn \
          https://a%2eexample.cn/ https://ok.example.cn/{id}",
    );
    assert_eq!(hosts(&d), ["ok.example.cn"]);
    let mut c = Collector::default();
    c.add_host(
        "AndroidManifest.xml",
        "${applicationId}.example.cn",
        Found::Config,
    );
    c.add_host("AndroidManifest.xml", "*", Found::Config);
    assert!(finish(c).domains.is_empty());
}

#[test]
fn noise_hosts() {
    let d = scanned(
        b"http://schemas.android.com/apk/res/android http://www.w3.org/2001/XMLSchema http://xml.apache.org/xslt \
          http://ns.adobe.com/xap/1.0/ http://www.apple.com/DTDs/PropertyList-1.0.dtd http://localhost:8080/ \
          https://api.example.com/ http://my.test/ http://purl.org/dc/ https://json-schema.org/draft/ \
          https://shop.example.cn/",
    );
    let noise: Vec<&str> = d
        .domains
        .iter()
        .filter(|r| r.bucket == "noise")
        .map(|r| r.host.as_str())
        .collect();
    assert_eq!(
        noise,
        [
            "ns.adobe.com",
            "schemas.android.com",
            "xml.apache.org",
            "www.apple.com",
            "api.example.com",
            "json-schema.org",
            "localhost",
            "my.test",
            "purl.org",
            "www.w3.org",
        ]
    );
    assert_eq!(d.domains[0].host, "shop.example.cn");
    // www.apple.com outside /DTDs is Apple's, not noise
    let d = scanned(b"http://www.apple.com/DTDs/x.dtd https://www.apple.com/app-store/");
    let apple = one(&d, "www.apple.com");
    assert_eq!((apple.bucket, apple.sdk.as_deref()), ("sdk", Some("Apple")));
}

#[test]
fn sdk_buckets() {
    let table = |d: &str| match d {
        "umeng.com" => Some("Umeng+ (table)"),
        "special.qq.com" => Some("Table host"),
        _ => None,
    };
    let mut c = Collector::default();
    c.scan(
        "classes.dex",
        b"https://ulogs.umeng.com/ https://open.weixin.qq.com/ https://special.qq.com/ https://www.qq.com/ \
          https://restapi.amap.com/ https://firebase-settings.crashlytics.com/ https://pan.baidu.com/ https://api.map.baidu.com/",
    );
    let d = c.finish(&Context {
        sdk_domains: &table,
        own: &[],
    });
    let sdk = |h: &str| one(&d, h).sdk.clone();
    assert_eq!(sdk("ulogs.umeng.com").as_deref(), Some("Umeng+ (table)"));
    assert_eq!(
        sdk("open.weixin.qq.com").as_deref(),
        Some("WeChat Open Platform (微信开放平台)")
    );
    assert_eq!(sdk("special.qq.com").as_deref(), Some("Table host"));
    assert_eq!(sdk("restapi.amap.com").as_deref(), Some("AMap (高德)"));
    assert_eq!(
        sdk("firebase-settings.crashlytics.com").as_deref(),
        Some("Firebase Crashlytics")
    );
    assert_eq!(
        sdk("api.map.baidu.com").as_deref(),
        Some("Baidu Maps (百度地图)")
    );
    assert_eq!(one(&d, "www.qq.com").bucket, "own");
    assert_eq!(one(&d, "pan.baidu.com").bucket, "own");
    // sorted: own, then sdk by registrable
    let order: Vec<(&str, &str)> = d
        .domains
        .iter()
        .map(|r| (r.bucket, r.host.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("own", "pan.baidu.com"),
            ("own", "www.qq.com"),
            ("sdk", "restapi.amap.com"),
            ("sdk", "api.map.baidu.com"),
            ("sdk", "firebase-settings.crashlytics.com"),
            ("sdk", "open.weixin.qq.com"),
            ("sdk", "special.qq.com"),
            ("sdk", "ulogs.umeng.com"),
        ]
    );
}

#[test]
fn own_domain_split() {
    let mut c = Collector::default();
    c.scan(
        "a.js",
        b"https://api.mine.cn/ https://mine.cn/ https://cdn.partner.cn/ https://ulogs.umeng.com/ https://www.w3.org/",
    );
    let own = vec!["*.MINE.cn.".to_owned(), "not a host".to_owned()];
    // a closure, not `&no_sdk`: a fn returning &'static str would tie 'a to 'static
    let d = c.finish(&Context {
        sdk_domains: &|d| no_sdk(d),
        own: &own,
    });
    let b: Vec<(&str, &str)> = d
        .domains
        .iter()
        .map(|r| (r.host.as_str(), r.bucket))
        .collect();
    assert_eq!(
        b,
        [
            ("api.mine.cn", "own"),
            ("mine.cn", "own"),
            ("ulogs.umeng.com", "sdk"),
            ("cdn.partner.cn", "third-party"),
            ("www.w3.org", "noise"),
        ]
    );
}

#[test]
fn config_hosts() {
    let mut c = Collector::default();
    c.add_host(
        "res/xml/network_security_config.xml",
        "*.Api.Example.cn",
        Found::Config,
    );
    c.add_host("AndroidManifest.xml", "deep.example.cn:443", Found::Config);
    c.add_host("Info.plist", ".ats.example.cn", Found::Config);
    c.add_host(
        "module.json",
        "https://skills.example.cn/path",
        Found::Config,
    );
    c.add_host("x", "https://u.example.cn/", Found::Url(Scheme::Https));
    c.scan("classes.dex", b"https://api.example.cn/");
    let d = finish(c);
    assert_eq!(
        hosts(&d),
        [
            "api.example.cn",
            "ats.example.cn",
            "deep.example.cn",
            "skills.example.cn",
            "u.example.cn"
        ]
    );
    let api = one(&d, "api.example.cn");
    assert!(api.config);
    assert_eq!(api.schemes, ["https"]);
    assert_eq!(api.sources.len(), 2);
    assert!(one(&d, "deep.example.cn").schemes.is_empty());
    assert!(!one(&d, "u.example.cn").config);
}

#[test]
fn merge_and_source_limits() {
    let mut a = Collector::default();
    a.scan("a", b"https://m.example.cn/ http://1.2.3.4/");
    let mut b = Collector::default();
    b.scan(
        "b",
        b"https://m.example.cn/ wss://m.example.cn/ http://1.2.3.4/",
    );
    b.scan("a", b"https://n.example.cn/");
    for i in 0..25 {
        b.scan(&format!("s{i:02}"), b"https://many.example.cn/");
    }
    a.merge(b);
    let d = finish(a);
    let m = one(&d, "m.example.cn");
    assert_eq!(m.schemes, ["https", "wss"]);
    assert_eq!(
        m.sources,
        [
            SourceCount {
                path: "a".into(),
                count: 1
            },
            SourceCount {
                path: "b".into(),
                count: 2
            }
        ]
    );
    assert_eq!(one(&d, "n.example.cn").sources[0].path, "a");
    let many = one(&d, "many.example.cn");
    assert_eq!((many.sources.len(), many.more_sources), (MAX_SOURCES, 5));
    assert_eq!(many.sources[0].path, "s00");
    assert_eq!(d.ips[0].sources.len(), 2);
    assert!(!d.truncated);
}

#[test]
fn host_cap_truncates() {
    let mut c = Collector::default();
    let mut text = String::new();
    for i in 0..MAX_HOSTS + 10 {
        text.push_str(&format!("https://h{i}.example.cn/ "));
    }
    c.scan("big", text.as_bytes());
    let d = finish(c);
    assert_eq!(d.domains.len(), MAX_HOSTS);
    assert!(d.truncated);
}

#[test]
fn long_authority_given_up() {
    let mut b = b"https://".to_vec();
    b.extend(std::iter::repeat_n(b'a', MAX_AUTHORITY + 5));
    b.extend_from_slice(b".example.cn/");
    assert!(scanned(&b).domains.is_empty());
}

fn timed(what: &str, bytes: &[u8]) -> Domains {
    let t = Instant::now();
    let mut c = Collector::default();
    c.scan("big", bytes);
    let d = finish(c);
    // release: all seven 10 MB inputs in about 0.6 s; debug builds about 14 s.
    // Quadratic behaviour would take hours.
    let limit = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 5 });
    assert!(t.elapsed() < limit, "{what}: {:?}", t.elapsed());
    d
}

#[test]
fn large_hostile_inputs_are_linear() {
    const SIZE: usize = 10 << 20;
    let d = timed("://", &b"://".repeat(SIZE / 3));
    assert!(d.domains.is_empty());
    timed("https://", &b"https://".repeat(SIZE / 8));
    timed("http://a", &b"http://a".repeat(SIZE / 8));
    // UTF-16 and escaped variants
    timed("wide", &b"h\0t\0t\0p\0:\0/\0/\0".repeat(SIZE / 14));
    timed("escaped", &b"https:\\/\\/".repeat(SIZE / 10));
    // pseudo-random bytes sprinkled with schemes
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut b = Vec::with_capacity(SIZE);
    while b.len() < SIZE {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        match x % 16 {
            0 => b.extend_from_slice(b"https://"),
            1 => b.extend_from_slice(b"://"),
            2 => b.extend_from_slice(b"a.example.cn"),
            _ => b.extend_from_slice(&x.to_le_bytes()[..2]),
        }
    }
    timed("random", &b);
    // the same valid URL a million times
    let d = timed("repeat", &b"https://api.example.cn/x ".repeat(SIZE / 25));
    assert_eq!(d.domains[0].sources[0].count, SIZE / 25);
}

#[test]
fn psl_version_matches_lock() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let v = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"psl\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    assert!(
        PSL_VERSION.starts_with(&format!("psl {v} ")),
        "{PSL_VERSION} vs Cargo.lock {v}"
    );
}

#[test]
fn report_serializes() {
    let d = scanned(b"https://api.example.cn/ http://8.8.8.8/");
    let j = serde_json::to_value(&d).unwrap();
    assert_eq!(j["domains"][0]["schemes"][0], "https");
    assert_eq!(j["ips"][0]["kind"], "public");
    assert_eq!(j["psl_version"], PSL_VERSION);
}
