#![no_main]
//! `domains::Collector`: `scan` over the raw input (UTF-8, escaped and UTF-16LE
//! URLs), `add_host` on the input as a lossy string and on each of its lines, a
//! merge, and `finish` with and without own suffixes; the report must hold the
//! module's invariants.
use apkinfo::domains::{Collector, Context, Found, Scheme, MAX_HOST_LEN, MAX_SOURCES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut a = Collector::default();
    a.scan("input", data);
    a.add_host("config", &text, Found::Config);
    let mut b = Collector::default();
    for (i, line) in text.lines().take(64).enumerate() {
        let found = if i % 2 == 0 { Found::Config } else { Found::Url(Scheme::Https) };
        b.add_host(&format!("line{}", i % 25), line, found);
    }
    b.scan("input", data.get(data.len() / 2..).unwrap_or_default());
    a.merge(b);
    let table = |d: &str| (d == "umeng.com").then_some("Umeng");
    let own: Vec<String> = text.lines().take(2).map(str::to_owned).collect();
    let d = a.finish(&Context { sdk_domains: &table, own: &own });
    for r in &d.domains {
        assert!(!r.host.is_empty() && r.host.len() <= MAX_HOST_LEN, "{r:?}");
        assert!(
            r.host.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.'),
            "{r:?}"
        );
        assert!(r.host == r.registrable || r.host.ends_with(&format!(".{}", r.registrable)), "{r:?}");
        assert!(r.level >= 2, "{r:?}");
        assert_eq!(r.sdk.is_some(), r.bucket == "sdk", "{r:?}");
        assert!(r.config || !r.schemes.is_empty(), "{r:?}");
        assert!(r.sources.len() <= MAX_SOURCES && !r.sources.is_empty(), "{r:?}");
    }
    for ip in &d.ips {
        assert_eq!(ip.public, ip.kind == "public");
        assert!(ip.address.parse::<std::net::IpAddr>().is_ok());
    }
});
