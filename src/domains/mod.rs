//! Domains (域名) and server IPs (服务器IP) an app names, for the filing form.
//!
//! Pure and hostile-safe: callers hand in bytes ([`Collector::scan`]) and hosts
//! named by configuration places ([`Collector::add_host`]); nothing here reads a
//! package. [`Collector::finish`] classifies and sorts what was collected.
//!
//! **What counts.** A host in a URL `scheme://[userinfo@]host[:port][/…]` with
//! scheme http, https, ws or wss (any case), or a host a configuration place
//! names. Bare `a.b` tokens never count: class names and file names look the
//! same. URLs are found by searching for `://`, for the JSON-escaped `:\/\/`,
//! and for UTF-16LE `:\0/\0/\0` (binary XML and resources.arsc pools), then
//! looking back for the scheme. The scheme must not follow an ASCII letter or
//! digit (`xhttp://` is no URL), with one exception: binary string pools (DEX,
//! resources.arsc, binary XML, .abc, protobuf) write a string's length right in
//! front of it, and a length of 48–122 is a digit or letter. So a scheme after
//! an alphanumeric byte still counts when that byte's value, or half of it
//! (.abc writes `len << 1 | 1`), is the length of the string starting at the
//! scheme up to a control character (NUL in every pool but protobuf's).
//!
//! **Bounded.** Each hit reads at most 6 characters back and
//! [`MAX_AUTHORITY`] characters forward, and the forward read stops at the `/`
//! of the next hit, so a scan is linear in its input; it allocates only for
//! hosts it records. Hosts with `%` (percent-encoded or `%s`) and hosts
//! running into `{` or `$` (`{host}`, `${…}` templates) are skipped.
//!
//! **Normalised.** Lowercase; non-ASCII and `xn--` hosts through UTS #46
//! ToASCII (the `idna` crate, STD3 rules) to A-labels; port, leading `*.` and
//! one trailing dot removed; labels 1–63 of `[a-z0-9-]` not starting or ending
//! in `-`; at most [`MAX_HOST_LEN`] bytes. Text glued to a non-ASCII host
//! ("https://example.com查看") is retried as its ASCII head. A host whose last
//! label is numeric (or `0x…`) is an IPv4 address if std's strict parser takes
//! it (four decimal parts, no leading zeros) and dropped otherwise: "127.1" and
//! "0x7f.0.0.1" are neither IPs nor domains.
//!
//! **Public Suffix List.** A host must end in a suffix the `psl` crate knows
//! and be more than that suffix ("com.cn" alone is dropped; "foo.bar" with an
//! unknown TLD too). Suffixes from the list's private section (github.io,
//! blogspot.com…) are accepted, but the registrable domain is always computed
//! from the ICANN section: the filing form wants what a registrar sells
//! ("github.io", "amazonaws.com"), not a hosting customer's name. The crate
//! reports the longest match from either section; when it is private we look
//! up the match less its first label until the ICANN suffix under it is found.
//! Names under the reserved TLDs test, example, invalid, localhost and local
//! (and "localhost" itself) fail that check but are kept, as noise, so a report
//! shows they were seen.
//!
//! **Buckets.** `noise`: schema and DTD hosts and reserved names ([`NOISE`],
//! www.apple.com when every URL to it was a `/DTDs…` path). `sdk`: the
//! caller's SDK table ([`Context::sdk_domains`], asked for the host and each
//! parent down to the registrable domain), then the built-in [`SDK_HOSTS`]
//! (hosts under a domain the vendor shares, such as weixin.qq.com) and
//! [`SDK_DOMAINS`] (registrable domains). `own`: everything else; when the
//! filer names their suffixes ([`Context::own`]), hosts under them are `own`
//! even if an SDK rule matched (the filer may be the vendor), and the rest
//! become `third-party`.

#[cfg(test)]
mod tests;

use memchr::memmem;
use psl::Psl as _;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Longest host (in bytes, after conversion to A-labels) that is kept.
pub const MAX_HOST_LEN: usize = 253;
/// Characters read after `://` before a hit is given up (userinfo, host, port).
pub const MAX_AUTHORITY: usize = 320;
/// Distinct hosts kept; more set [`Domains::truncated`].
pub const MAX_HOSTS: usize = 100_000;
/// Distinct IP addresses kept; more set [`Domains::truncated`].
pub const MAX_IPS: usize = 10_000;
/// Sources listed per host or IP; the rest are counted in `more_sources`.
pub const MAX_SOURCES: usize = 20;

/// The Public Suffix List compiled in. The `psl` crate does not expose the
/// list's date; its CI publishes a new release whenever the upstream list
/// changes, so the date is that release's publication time in the crates.io
/// index (`pubtime` of psl 2.1.247). A unit test holds the version to Cargo.lock.
pub const PSL_VERSION: &str = "psl 2.1.247 (list of 2026-11-05)";

/// Schema, DTD and example hosts: a host equal to or under one of these is noise.
pub const NOISE: &[&str] = &[
    "schemas.android.com",
    "w3.org",
    "apache.org",
    "xmlpull.org",
    "ns.adobe.com",
    "purl.org",
    "schemas.xmlsoap.org",
    "schemas.microsoft.com",
    "schemas.openxmlformats.org",
    "java.sun.com",
    "xml.org",
    "json-schema.org",
    "example.com",
    "example.net",
    "example.org",
];

/// SDK hosts under a domain their vendor also uses for much else (so the
/// registrable domain alone says nothing): a host equal to or under one of
/// these belongs to the SDK named.
pub const SDK_HOSTS: &[(&str, &str)] = &[
    ("weixin.qq.com", "WeChat Open Platform (微信开放平台)"),
    ("bugly.qq.com", "Tencent Bugly"),
    ("graph.qq.com", "QQ Connect (QQ互联)"),
    ("gdt.qq.com", "Tencent Ads (优量汇/广点通)"),
    ("api.map.baidu.com", "Baidu Maps (百度地图)"),
    ("mobads.baidu.com", "Baidu Mobile Ads (百度联盟)"),
    ("hm.baidu.com", "Baidu Tongji (百度统计)"),
    ("xmpush.xiaomi.com", "Xiaomi Push (小米推送)"),
];

/// Registrable domains of platform, SDK and cloud infrastructure vendors.
/// baidu.com and qq.com are not here: only some of their hosts are SDKs
/// ([`SDK_HOSTS`]).
pub const SDK_DOMAINS: &[(&str, &str)] = &[
    ("googleapis.com", "Google APIs"),
    ("gstatic.com", "Google (gstatic)"),
    ("google.com", "Google"),
    ("android.com", "Google (Android)"),
    ("google-analytics.com", "Google Analytics"),
    ("googlesyndication.com", "Google AdMob / AdSense"),
    ("googleadservices.com", "Google Ads"),
    ("doubleclick.net", "Google Ad Manager (DoubleClick)"),
    ("admob.com", "Google AdMob"),
    ("app-measurement.com", "Google Analytics for Firebase"),
    ("crashlytics.com", "Firebase Crashlytics"),
    ("firebaseio.com", "Firebase Realtime Database"),
    ("firebaseapp.com", "Firebase Hosting"),
    ("facebook.com", "Facebook (Meta)"),
    ("facebook.net", "Facebook (Meta)"),
    ("fbcdn.net", "Facebook (Meta)"),
    ("apple.com", "Apple"),
    ("icloud.com", "Apple"),
    ("mzstatic.com", "Apple"),
    ("huawei.com", "Huawei (HMS Core / AppGallery)"),
    ("hicloud.com", "Huawei (HMS Core / AppGallery)"),
    ("dbankcloud.com", "Huawei (HMS Core / AppGallery)"),
    ("dbankcloud.cn", "Huawei (HMS Core / AppGallery)"),
    ("umeng.com", "Umeng (友盟+)"),
    ("umengcloud.com", "Umeng (友盟+)"),
    ("jpush.cn", "JPush (极光)"),
    ("jiguang.cn", "JPush (极光)"),
    ("amap.com", "AMap (高德)"),
    ("autonavi.com", "AMap (高德)"),
    ("alipay.com", "Alipay (支付宝)"),
    ("alipayobjects.com", "Alipay (支付宝)"),
    ("igexin.com", "Getui (个推)"),
    ("getui.com", "Getui (个推)"),
    ("weibo.com", "Sina Weibo (微博)"),
    ("sensorsdata.cn", "Sensors Data (神策)"),
    ("growingio.com", "GrowingIO"),
    ("talkingdata.com", "TalkingData"),
    ("mob.com", "MobTech (ShareSDK)"),
    ("pangolin-sdk-toutiao.com", "Pangle (穿山甲)"),
    ("sentry.io", "Sentry"),
    ("appsflyer.com", "AppsFlyer"),
    ("adjust.com", "Adjust"),
    ("branch.io", "Branch"),
    ("onesignal.com", "OneSignal"),
    ("mixpanel.com", "Mixpanel"),
    ("amplitude.com", "Amplitude"),
    ("bugsnag.com", "Bugsnag"),
    ("applovin.com", "AppLovin"),
    ("unity3d.com", "Unity"),
    ("aliyuncs.com", "Alibaba Cloud (阿里云)"),
    ("myqcloud.com", "Tencent Cloud (腾讯云)"),
    ("amazonaws.com", "Amazon Web Services"),
    ("cloudfront.net", "Amazon CloudFront"),
];

/// Scheme of a URL a host was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Http,
    Https,
    Ws,
    Wss,
}

impl Scheme {
    /// Every scheme, in the order reports list them.
    pub const ALL: [Scheme; 4] = [Scheme::Http, Scheme::Https, Scheme::Ws, Scheme::Wss];

    /// The scheme as written in a URL: "http", "https", "ws" or "wss".
    pub fn key(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Scheme::Http => 1,
            Scheme::Https => 2,
            Scheme::Ws => 4,
            Scheme::Wss => 8,
        }
    }
}

/// How a host was named: in a URL, or by a configuration place
/// (network_security_config `<domain>`, manifest `<data android:host>`, ATS
/// exception domain, associated-domains, module.json skills uri…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Found {
    /// In a URL with this scheme.
    Url(Scheme),
    /// By a configuration place.
    Config,
}

/// What classification needs from outside.
pub struct Context<'a> {
    /// Registrable domains (eTLD+1, lowercase) of SDK vendors → the SDK's
    /// display name (e.g. "umeng.com" → "Umeng …"), from the SDK table. Asked
    /// for the host first, then each parent down to the registrable domain, so
    /// the table may also name single hosts.
    pub sdk_domains: &'a dyn Fn(&str) -> Option<&'a str>,
    /// Suffixes the filer says are theirs (`--own-domain example.com`); empty
    /// = not given. Normalised like hosts ("*." and dots around are dropped);
    /// entries that are not host names are ignored (none left = not given).
    pub own: &'a [String],
}

/// Everything collected, classified and sorted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Domains {
    /// Sorted by bucket (own, sdk, third-party, noise), registrable domain, host.
    pub domains: Vec<DomainReport>,
    /// Sorted by address (IPv4 before IPv6, numerically).
    pub ips: Vec<IpReport>,
    /// The Public Suffix List used ([`PSL_VERSION`]).
    pub psl_version: &'static str,
    /// More than [`MAX_HOSTS`] hosts or [`MAX_IPS`] addresses were seen; the
    /// rest were dropped.
    pub truncated: bool,
}

/// One host.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DomainReport {
    /// Normalised: lowercase, IDNA → punycode (A-labels), no port, no trailing dot.
    pub host: String,
    /// eTLD+1 by the ICANN section of the Public Suffix List ("example.com",
    /// "example.com.cn"); for reserved names the last two labels.
    pub registrable: String,
    /// DNS level as the form counts it: the registrable domain is 2, so
    /// a.b.example.com is 4.
    pub level: u8,
    /// "own" | "sdk" | "noise" | "third-party".
    pub bucket: &'static str,
    /// The SDK's name when `bucket` is "sdk".
    pub sdk: Option<String>,
    /// Schemes seen ("https", …), sorted; empty when only named by configuration.
    pub schemes: Vec<&'static str>,
    /// Named by a configuration place.
    pub config: bool,
    /// Where it was found and how often, sorted by path, at most [`MAX_SOURCES`].
    pub sources: Vec<SourceCount>,
    /// Sources not listed in `sources`.
    pub more_sources: usize,
}

/// A path in the package and how many times something was found there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceCount {
    /// The `source` given to [`Collector::scan`] or [`Collector::add_host`].
    pub path: String,
    /// Occurrences (saturating).
    pub count: usize,
}

/// One IP address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IpReport {
    /// As std prints it ("203.0.113.7", "2001:db8::1", "::ffff:10.0.0.1").
    pub address: String,
    /// Globally routable: `kind` is "public".
    pub public: bool,
    /// "public" | "private" (RFC 1918, IPv6 unique local) | "loopback" |
    /// "link-local" | "unspecified" | "broadcast" | "multicast" |
    /// "documentation" | "shared" (100.64/10) | "benchmarking" | "reserved".
    /// An IPv4-mapped IPv6 address has the kind of its IPv4 address.
    pub kind: &'static str,
    /// Where it was found and how often, sorted by path, at most [`MAX_SOURCES`].
    pub sources: Vec<SourceCount>,
    /// Sources not listed in `sources`.
    pub more_sources: usize,
}

/// Accumulates hosts and IPs with where they were found.
#[derive(Debug, Default)]
pub struct Collector {
    sources: Vec<String>,
    source_ids: HashMap<String, u32>,
    hosts: HashMap<String, HostEntry>,
    ips: HashMap<IpAddr, HashMap<u32, usize>>,
    truncated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Under a public suffix.
    Public,
    /// localhost, or under a reserved TLD.
    Reserved,
}

#[derive(Debug)]
struct HostEntry {
    kind: Kind,
    schemes: u8,
    config: bool,
    /// Every hit was a URL whose path starts with /DTDs.
    dtd_only: bool,
    sources: HashMap<u32, usize>,
}

impl HostEntry {
    fn new(kind: Kind) -> Self {
        HostEntry {
            kind,
            schemes: 0,
            config: false,
            dtd_only: true,
            sources: HashMap::new(),
        }
    }

    fn hit(&mut self, src: u32, found: Found, dtd: bool) {
        match found {
            Found::Url(s) => self.schemes |= s.bit(),
            Found::Config => self.config = true,
        }
        self.dtd_only &= dtd;
        count(&mut self.sources, src, 1);
    }
}

fn count(sources: &mut HashMap<u32, usize>, src: u32, n: usize) {
    let c = sources.entry(src).or_insert(0);
    *c = c.saturating_add(n);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enc {
    /// ASCII / UTF-8 / MUTF-8.
    Narrow,
    /// UTF-16LE.
    Wide,
}

impl Enc {
    fn unit(self) -> usize {
        match self {
            Enc::Narrow => 1,
            Enc::Wide => 2,
        }
    }
}

const PATTERNS: [(&[u8], Enc); 3] = [
    (b"://", Enc::Narrow),
    (b":\\/\\/", Enc::Narrow),
    (b":\0/\0/\0", Enc::Wide),
];

/// Where the authority ended: the character that ended it (None at the end of
/// the input or at bytes that are no character) and the index after it.
struct End {
    ch: Option<char>,
    next: usize,
}

impl Collector {
    /// Find URLs in raw bytes and record their hosts under `source` (a path in
    /// the package). Works on text and on binaries, UTF-8 and UTF-16LE; see the
    /// module documentation for what counts and the bounds.
    pub fn scan(&mut self, source: &str, bytes: &[u8]) {
        let mut src = None;
        let mut buf = String::new();
        for (pat, enc) in PATTERNS {
            for p in memmem::find_iter(bytes, pat) {
                let Some(scheme) = scheme_before(bytes, p, enc) else {
                    continue;
                };
                let Some(start) = p.checked_add(pat.len()) else {
                    continue;
                };
                let Some(end) = read_authority(bytes, start, enc, &mut buf) else {
                    continue;
                };
                if matches!(end.ch, Some('{' | '$')) {
                    continue;
                }
                let dtd = end.ch == Some('/') && followed_by(bytes, end.next, enc, "DTDs");
                let Some(id) = self.source_id(&mut src, source) else {
                    return;
                };
                self.authority(id, &buf, Found::Url(scheme), dtd);
            }
        }
    }

    /// A host named by configuration (no scheme needed). May carry a port,
    /// userinfo, brackets around IPv6, a "*." or "." wildcard prefix
    /// (network_security_config includeSubdomains, ATS), which are stripped; a
    /// whole URL is cut down to its host. IPs are recorded as IPs.
    pub fn add_host(&mut self, source: &str, host: &str, found: Found) {
        let mut h = host.trim();
        if let Some((_, rest)) = h.split_once("://") {
            h = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        }
        let h = h.rsplit_once('@').map_or(h, |(_, x)| x);
        let Some(src) = self.intern(source) else {
            return;
        };
        if let Some(rest) = h.strip_prefix('[') {
            if let Some((inner, _)) = rest.split_once(']') {
                self.bracketed(src, inner);
            }
            return;
        }
        if let Ok(a) = h.parse::<Ipv6Addr>() {
            self.ip(src, IpAddr::V6(a));
            return;
        }
        let h = h.split_once(':').map_or(h, |(x, _)| x);
        let h = h.strip_prefix('.').unwrap_or(h);
        self.host(src, h, found, false);
    }

    /// [`merge`](Self::merge) with every source of `other` named under
    /// `prefix` (an `.app`'s module: `entry.hap!resources.index`).
    pub fn merge_prefixed(&mut self, prefix: &str, mut other: Collector) {
        other.source_ids.clear();
        for (id, s) in other.sources.iter_mut().enumerate() {
            *s = format!("{prefix}{s}");
            if let Ok(id) = u32::try_from(id) {
                other.source_ids.insert(s.clone(), id);
            }
        }
        self.merge(other);
    }

    /// Merge another collector (for parallel scanning).
    pub fn merge(&mut self, other: Collector) {
        let Collector {
            sources,
            hosts,
            ips,
            truncated,
            ..
        } = other;
        self.truncated |= truncated;
        let ids: Vec<Option<u32>> = sources.iter().map(|s| self.intern(s)).collect();
        let remap = |sources: HashMap<u32, usize>| -> Vec<(u32, usize)> {
            sources
                .into_iter()
                .filter_map(|(id, n)| Some((ids.get(usize::try_from(id).ok()?).copied()??, n)))
                .collect()
        };
        for (host, e) in hosts {
            let n = self.hosts.len();
            let mine = match self.hosts.entry(host) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) if n < MAX_HOSTS => v.insert(HostEntry {
                    sources: HashMap::new(),
                    ..e
                }),
                Entry::Vacant(_) => {
                    self.truncated = true;
                    continue;
                }
            };
            mine.schemes |= e.schemes;
            mine.config |= e.config;
            mine.dtd_only &= e.dtd_only;
            for (id, c) in remap(e.sources) {
                count(&mut mine.sources, id, c);
            }
        }
        for (ip, s) in ips {
            let n = self.ips.len();
            let mine = match self.ips.entry(ip) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) if n < MAX_IPS => v.insert(HashMap::new()),
                Entry::Vacant(_) => {
                    self.truncated = true;
                    continue;
                }
            };
            for (id, c) in remap(s) {
                count(mine, id, c);
            }
        }
    }

    /// Classify everything collected.
    pub fn finish(self, ctx: &Context<'_>) -> Domains {
        let Collector {
            sources,
            hosts,
            ips,
            truncated,
            ..
        } = self;
        let own: Vec<String> = ctx.own.iter().filter_map(|s| own_suffix(s)).collect();
        let mut domains: Vec<DomainReport> = hosts
            .into_iter()
            .map(|(host, e)| {
                let registrable = registrable(&host, e.kind).to_owned();
                let level = 2usize
                    .saturating_add(dots(&host))
                    .saturating_sub(dots(&registrable));
                let (bucket, sdk) = bucket(&host, &registrable, &e, &own, ctx);
                let (srcs, more_sources) = source_counts(e.sources, &sources);
                DomainReport {
                    level: u8::try_from(level).unwrap_or(u8::MAX),
                    registrable,
                    bucket,
                    sdk,
                    schemes: Scheme::ALL
                        .iter()
                        .filter(|s| e.schemes & s.bit() != 0)
                        .map(|s| s.key())
                        .collect(),
                    config: e.config,
                    sources: srcs,
                    more_sources,
                    host,
                }
            })
            .collect();
        domains.sort_by(|a, b| {
            (rank(a.bucket), &a.registrable, &a.host).cmp(&(
                rank(b.bucket),
                &b.registrable,
                &b.host,
            ))
        });
        let mut ips: Vec<(IpAddr, HashMap<u32, usize>)> = ips.into_iter().collect();
        ips.sort_by_key(|(a, _)| *a);
        let ips = ips
            .into_iter()
            .map(|(a, s)| {
                let kind = ip_kind(a);
                let (srcs, more_sources) = source_counts(s, &sources);
                IpReport {
                    address: a.to_string(),
                    public: kind == "public",
                    kind,
                    sources: srcs,
                    more_sources,
                }
            })
            .collect();
        Domains {
            domains,
            ips,
            psl_version: PSL_VERSION,
            truncated,
        }
    }

    fn source_id(&mut self, cache: &mut Option<u32>, source: &str) -> Option<u32> {
        if let Some(id) = *cache {
            return Some(id);
        }
        let id = self.intern(source)?;
        *cache = Some(id);
        Some(id)
    }

    fn intern(&mut self, source: &str) -> Option<u32> {
        if let Some(&id) = self.source_ids.get(source) {
            return Some(id);
        }
        let id = u32::try_from(self.sources.len()).ok()?;
        self.sources.push(source.to_owned());
        self.source_ids.insert(source.to_owned(), id);
        Some(id)
    }

    /// `[userinfo@]host[:port]` as read after `://`.
    fn authority(&mut self, src: u32, authority: &str, found: Found, dtd: bool) {
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if let Some(rest) = hostport.strip_prefix('[') {
            if let Some((inner, _)) = rest.split_once(']') {
                self.bracketed(src, inner);
            }
            return;
        }
        let host = hostport.split_once(':').map_or(hostport, |(h, _)| h);
        self.host(src, host, found, dtd);
    }

    fn bracketed(&mut self, src: u32, inner: &str) {
        // A zone ("%25eth0") fails the parse, as percent-encoding should.
        if let Ok(a) = inner.parse::<Ipv6Addr>() {
            self.ip(src, IpAddr::V6(a));
        }
    }

    fn host(&mut self, src: u32, raw: &str, found: Found, dtd: bool) {
        if raw.contains(['%', '$', '{', '}']) {
            return;
        }
        let raw = raw.strip_prefix("*.").unwrap_or(raw);
        if self.name(src, raw, found, dtd) || raw.is_ascii() {
            return;
        }
        // "https://example.com查看": text glued to the host.
        let head = raw
            .split(|c: char| !c.is_ascii())
            .next()
            .unwrap_or_default();
        if !head.is_empty() {
            self.name(src, head, found, dtd);
        }
    }

    /// Record `raw` if it is a host or an IP; false if it is neither.
    fn name(&mut self, src: u32, raw: &str, found: Found, dtd: bool) -> bool {
        match normalize(raw) {
            Some(Name::Ip(a)) => {
                self.ip(src, a);
                true
            }
            Some(Name::Host(h)) => {
                if let Some(e) = self.hosts.get_mut(&h) {
                    e.hit(src, found, dtd);
                    return true;
                }
                let Some(kind) = kind_of(&h) else {
                    return false;
                };
                if self.hosts.len() >= MAX_HOSTS {
                    self.truncated = true;
                    return true;
                }
                let mut e = HostEntry::new(kind);
                e.hit(src, found, dtd);
                self.hosts.insert(h, e);
                true
            }
            None => false,
        }
    }

    fn ip(&mut self, src: u32, a: IpAddr) {
        let n = self.ips.len();
        match self.ips.entry(a) {
            Entry::Occupied(mut o) => count(o.get_mut(), src, 1),
            Entry::Vacant(v) if n < MAX_IPS => count(v.insert(HashMap::new()), src, 1),
            Entry::Vacant(_) => self.truncated = true,
        }
    }
}

/// The scheme ending right before `p` (where `://` starts), if any and if it
/// does not continue a word (see the module documentation).
fn scheme_before(bytes: &[u8], p: usize, enc: Enc) -> Option<Scheme> {
    let unit = enc.unit();
    // The ASCII character k places before p (k = 1 is the nearest).
    let back = |k: usize| -> Option<u8> {
        let i = p.checked_sub(k.checked_mul(unit)?)?;
        match enc {
            Enc::Narrow => bytes.get(i).copied().filter(u8::is_ascii),
            Enc::Wide => match bytes.get(i..i.checked_add(2)?)? {
                [lo, 0] if lo.is_ascii() => Some(*lo),
                _ => None,
            },
        }
    };
    const NAMES: [(&[u8], Scheme); 4] = [
        (b"https", Scheme::Https),
        (b"http", Scheme::Http),
        (b"wss", Scheme::Wss),
        (b"ws", Scheme::Ws),
    ];
    for (name, scheme) in NAMES {
        let n = name.len();
        let matched = name
            .iter()
            .rev()
            .enumerate()
            .all(|(j, want)| back(j + 1).is_some_and(|c| c.to_ascii_lowercase() == *want));
        if !matched {
            continue;
        }
        return match back(n + 1) {
            Some(c) if c.is_ascii_alphanumeric() => {
                let start = p.checked_sub(n.checked_mul(unit)?)?;
                length_prefixed(bytes, start, c, enc).then_some(scheme)
            }
            _ => Some(scheme),
        };
    }
    None
}

/// Whether `prefix`, the byte in front of a string starting at `start`, is
/// that string's length (or twice it, or twice it plus one): the string runs
/// that many printable units and then a control character ends it.
fn length_prefixed(bytes: &[u8], start: usize, prefix: u8, enc: Enc) -> bool {
    let unit = enc.unit();
    let code = |k: usize| -> Option<u16> {
        let i = start.checked_add(k.checked_mul(unit)?)?;
        match enc {
            Enc::Narrow => bytes.get(i).map(|&b| u16::from(b)),
            Enc::Wide => unit16(bytes, i),
        }
    };
    let v = usize::from(prefix);
    [v, v >> 1].into_iter().any(|len| {
        (0..=len).all(|k| match code(k) {
            Some(c) if k == len => c < 0x20,
            Some(c) => c >= 0x20,
            None => false,
        })
    })
}

fn unit16(bytes: &[u8], i: usize) -> Option<u16> {
    let two: [u8; 2] = bytes.get(i..i.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_le_bytes(two))
}

/// The character at `i` and its length in bytes; None at the end of the input
/// or where the bytes are no character.
fn next_char(bytes: &[u8], i: usize, enc: Enc) -> Option<(char, usize)> {
    match enc {
        Enc::Narrow => {
            let b = *bytes.get(i)?;
            let len = match b {
                0..=0x7f => return Some((char::from(b), 1)),
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => return None,
            };
            let s = bytes.get(i..i.checked_add(len)?)?;
            let c = std::str::from_utf8(s).ok()?.chars().next()?;
            Some((c, len))
        }
        Enc::Wide => {
            let u = unit16(bytes, i)?;
            if let Some(c) = char::from_u32(u32::from(u)) {
                return Some((c, 2));
            }
            let lo = unit16(bytes, i.checked_add(2)?)?;
            let c = char::decode_utf16([u, lo]).next()?.ok()?;
            Some((c, 4))
        }
    }
}

/// Characters of `[userinfo@]host[:port]` as apps write them, plus non-ASCII
/// letters and digits (IDN) and the dots UTS #46 maps to ".". Sub-delimiters
/// end it, so "https://example.com," in prose still gives example.com.
fn authority_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~' | '%' | ':' | '@' | '[' | ']' | '*')
    } else {
        c.is_alphanumeric() || matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}')
    }
}

/// Whether the text at `i` starts with `want` (ASCII).
fn followed_by(bytes: &[u8], mut i: usize, enc: Enc, want: &str) -> bool {
    for w in want.chars() {
        match next_char(bytes, i, enc) {
            Some((c, len)) if c == w => i = i.saturating_add(len),
            _ => return false,
        }
    }
    true
}

/// Read `[userinfo@]host[:port]` from `start` into `buf`; None if it runs past
/// [`MAX_AUTHORITY`] characters.
fn read_authority(bytes: &[u8], mut i: usize, enc: Enc, buf: &mut String) -> Option<End> {
    buf.clear();
    for _ in 0..=MAX_AUTHORITY {
        let Some((c, len)) = next_char(bytes, i, enc) else {
            return Some(End { ch: None, next: i });
        };
        if !authority_char(c) {
            return Some(End {
                ch: Some(c),
                next: i.saturating_add(len),
            });
        }
        buf.push(c);
        i = i.saturating_add(len);
    }
    None
}

enum Name {
    Ip(IpAddr),
    Host(String),
}

/// Lowercase A-label form of a host, or its IPv4 address; None if it is
/// neither (see the module documentation).
fn normalize(raw: &str) -> Option<Name> {
    let lower = raw.to_ascii_lowercase();
    let mut host = if lower.is_ascii() && !lower.contains("xn--") {
        lower
    } else {
        idna::uts46::Uts46::new()
            .to_ascii(
                lower.as_bytes(),
                idna::uts46::AsciiDenyList::STD3,
                idna::uts46::Hyphens::Allow,
                idna::uts46::DnsLength::Ignore,
            )
            .ok()?
            .into_owned()
    };
    if host.ends_with('.') {
        host.pop();
    }
    if host.is_empty() || host.len() > MAX_HOST_LEN {
        return None;
    }
    let last = host.rsplit('.').next().unwrap_or_default();
    if last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") {
        return host
            .parse::<Ipv4Addr>()
            .ok()
            .map(|a| Name::Ip(IpAddr::V4(a)));
    }
    host.split('.').all(valid_label).then_some(Name::Host(host))
}

fn valid_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Public (under a known suffix, and more than it), reserved, or no domain.
fn kind_of(host: &str) -> Option<Kind> {
    if reserved(host) {
        return Some(Kind::Reserved);
    }
    let suffix = icann_suffix_len(host)?;
    (suffix < host.len()).then_some(Kind::Public)
}

fn reserved(host: &str) -> bool {
    matches!(
        host.rsplit('.').next(),
        Some("test" | "example" | "invalid" | "localhost" | "local")
    )
}

/// Length in bytes of the host's public suffix by the ICANN section; None if
/// its TLD is unknown.
fn icann_suffix_len(host: &str) -> Option<usize> {
    let mut name = host;
    loop {
        let info = psl::List.find(name.as_bytes().rsplit(|b| *b == b'.'));
        match info.typ {
            Some(psl::Type::Icann) => return Some(info.len),
            // A private rule matched: ICANN rules under it are shorter, so look
            // for them in the match less its first label.
            Some(psl::Type::Private) => {
                let suffix = name.get(name.len().checked_sub(info.len)?..)?;
                name = suffix.split_once('.')?.1;
            }
            None => return None,
        }
    }
}

/// The registrable domain of a host `kind_of` accepted.
fn registrable(host: &str, kind: Kind) -> &str {
    let suffix = match kind {
        Kind::Public => icann_suffix_len(host).unwrap_or(0),
        Kind::Reserved => host.rsplit('.').next().map_or(0, str::len),
    };
    // The dot in front of the suffix, and the label in front of that.
    let cut = host.len().saturating_sub(suffix).saturating_sub(1);
    let front = host.get(..cut).unwrap_or_default();
    let label = front.rsplit('.').next().unwrap_or(front);
    host.get(cut.saturating_sub(label.len())..).unwrap_or(host)
}

fn dots(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'.').count()
}

/// `host` is `domain` or a subdomain of it.
fn under(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|p| p.is_empty() || p.ends_with('.'))
}

fn own_suffix(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("*.").unwrap_or(s).trim_matches('.');
    match normalize(s)? {
        Name::Host(h) => Some(h),
        Name::Ip(_) => None,
    }
}

fn bucket(
    host: &str,
    registrable: &str,
    e: &HostEntry,
    own: &[String],
    ctx: &Context<'_>,
) -> (&'static str, Option<String>) {
    let apple_dtd = matches!(host, "www.apple.com" | "apple.com") && e.dtd_only;
    if e.kind == Kind::Reserved || apple_dtd || NOISE.iter().any(|d| under(host, d)) {
        return ("noise", None);
    }
    if own.iter().any(|d| under(host, d)) {
        return ("own", None);
    }
    if let Some(name) = sdk_name(host, registrable, ctx) {
        return ("sdk", Some(name));
    }
    if own.is_empty() {
        ("own", None)
    } else {
        ("third-party", None)
    }
}

fn sdk_name(host: &str, registrable: &str, ctx: &Context<'_>) -> Option<String> {
    let mut name = host;
    loop {
        if let Some(n) = (ctx.sdk_domains)(name) {
            return Some(n.to_owned());
        }
        if name.len() <= registrable.len() {
            break;
        }
        match name.split_once('.') {
            Some((_, rest)) => name = rest,
            None => break,
        }
    }
    SDK_HOSTS
        .iter()
        .find(|(d, _)| under(host, d))
        .or_else(|| SDK_DOMAINS.iter().find(|(d, _)| *d == registrable))
        .map(|(_, n)| (*n).to_owned())
}

fn rank(bucket: &str) -> u8 {
    match bucket {
        "own" => 0,
        "sdk" => 1,
        "third-party" => 2,
        _ => 3,
    }
}

fn source_counts(map: HashMap<u32, usize>, names: &[String]) -> (Vec<SourceCount>, usize) {
    let mut v: Vec<SourceCount> = map
        .into_iter()
        .filter_map(|(id, count)| {
            Some(SourceCount {
                path: names.get(usize::try_from(id).ok()?)?.clone(),
                count,
            })
        })
        .collect();
    v.sort_by(|a, b| a.path.cmp(&b.path));
    let more = v.len().saturating_sub(MAX_SOURCES);
    v.truncate(MAX_SOURCES);
    (v, more)
}

fn ip_kind(a: IpAddr) -> &'static str {
    match a {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4_kind(v4),
            None => v6_kind(v6),
        },
    }
}

/// By the IANA IPv4 special-purpose registry; std's methods where stable.
fn v4_kind(a: Ipv4Addr) -> &'static str {
    let [o0, o1, o2, _] = a.octets();
    if a.is_unspecified() {
        "unspecified"
    } else if a.is_loopback() {
        "loopback"
    } else if a.is_private() {
        "private"
    } else if o0 == 100 && o1 & 0xc0 == 64 {
        "shared"
    } else if a.is_link_local() {
        "link-local"
    } else if a.is_documentation() {
        "documentation"
    } else if o0 == 198 && o1 & 0xfe == 18 {
        "benchmarking"
    } else if a.is_broadcast() {
        "broadcast"
    } else if a.is_multicast() {
        "multicast"
    } else if o0 == 0 || o0 >= 240 || (o0 == 192 && o1 == 0 && o2 == 0) {
        // 0/8 "this network", 240/4, 192.0.0/24 IETF protocol assignments
        "reserved"
    } else {
        "public"
    }
}

/// By the IANA IPv6 special-purpose registry: public only inside 2000::/3.
fn v6_kind(a: Ipv6Addr) -> &'static str {
    let [s0, s1, s2, ..] = a.segments();
    if a.is_unspecified() {
        "unspecified"
    } else if a.is_loopback() {
        "loopback"
    } else if a.is_multicast() {
        "multicast"
    } else if s0 & 0xfe00 == 0xfc00 {
        "private"
    } else if s0 & 0xffc0 == 0xfe80 {
        "link-local"
    } else if (s0 == 0x2001 && s1 == 0x0db8) || (s0 == 0x3fff && s1 & 0xf000 == 0) {
        "documentation"
    } else if s0 == 0x2001 && s1 == 0x0002 && s2 == 0 {
        "benchmarking"
    } else if (s0 == 0x2001 && s1 < 0x0200) || s0 & 0xe000 != 0x2000 {
        // 2001::/23 IETF protocol assignments; everything outside 2000::/3
        "reserved"
    } else {
        "public"
    }
}
