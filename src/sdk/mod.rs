//! Third-party SDKs and packers (加固) a package carries, for the filing
//! form's 使用外部SDK: each SDK with its provider (服务商) and category.
//!
//! Two layers, as elsewhere: each platform's module collects [`Signals`]
//! (class packages from DEX files, native libraries, manifest components,
//! iOS frameworks, load commands, Objective-C classes) and [`identify`] holds
//! them against the rules compiled in from `data/sdk/` (see `rules.rs`, made
//! by `data/sdk/update.py`): the project's own table of SDK services with the
//! form's names and categories, and LibChecker's rules (Apache-2.0, credited
//! in NOTICE) for everything else it knows, reported apart as `libraries`.
//!
//! A match needs a *strong* signal: one only that SDK leaves (its own DEX
//! package, library, component, meta-data key, class). Weak signals (an app's
//! own `<package>.wxapi.WXEntryActivity`, a meta-data key several products of
//! one vendor read) are shown as evidence of an SDK found otherwise, never
//! as a finding of their own. DEX prefixes match whole package segments, so
//! `com.tencentx` is not `com.tencent`.

pub(crate) mod android;
mod harmony;
pub(crate) mod ios;
mod rules;

use crate::report::{Evidence, LibraryReport, PackerReport, ScanReport, SdkReport};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

pub use rules::RULES_SOURCE;

/// The form's SDK categories (服务类型), in the form's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Category {
    Payment,
    MapsLocation,
    Push,
    Analytics,
    LoginShare,
    Ads,
    CrashReporting,
    AudioVideo,
    Im,
    CloudStorage,
    OneClickLogin,
    CustomerService,
    Security,
    Other,
}

impl Category {
    /// The key in JSON: `"payment"`, `"maps-location"`, …
    pub fn key(self) -> &'static str {
        match self {
            Category::Payment => "payment",
            Category::MapsLocation => "maps-location",
            Category::Push => "push",
            Category::Analytics => "analytics",
            Category::LoginShare => "login-share",
            Category::Ads => "ads",
            Category::CrashReporting => "crash-reporting",
            Category::AudioVideo => "audio-video",
            Category::Im => "im",
            Category::CloudStorage => "cloud-storage",
            Category::OneClickLogin => "one-click-login",
            Category::CustomerService => "customer-service",
            Category::Security => "security",
            Category::Other => "other",
        }
    }

    /// The category as the form names it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Category::Payment => "支付",
            Category::MapsLocation => "地图定位",
            Category::Push => "推送",
            Category::Analytics => "统计分析",
            Category::LoginShare => "登录分享",
            Category::Ads => "广告",
            Category::CrashReporting => "崩溃监控",
            Category::AudioVideo => "音视频",
            Category::Im => "即时通讯",
            Category::CloudStorage => "云存储",
            Category::OneClickLogin => "一键登录",
            Category::CustomerService => "客服",
            Category::Security => "安全风控",
            Category::Other => "其他",
        }
    }
}

/// What kind of trace a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EvidenceKind {
    /// A package of classes defined in the DEX files.
    DexClass,
    /// A native library (`lib/<abi>/*.so`, HarmonyOS `libs/<abi>/*.so`).
    NativeLib,
    /// An activity, activity-alias, service, receiver or provider.
    Component,
    /// A `<meta-data android:name>`.
    MetaData,
    /// An intent filter's action.
    IntentAction,
    /// A bundled `Frameworks/*.framework`.
    Framework,
    /// A library the main executable loads (`LC_LOAD_DYLIB`, weak, …).
    Dylib,
    /// An Objective-C class in the main executable (`__objc_classname`).
    ObjcClass,
    /// A file in the package (packers' payloads).
    File,
    /// The `<application android:name>` class (packers' stubs).
    Application,
}

impl EvidenceKind {
    pub fn key(self) -> &'static str {
        match self {
            EvidenceKind::DexClass => "dex-class",
            EvidenceKind::NativeLib => "native-lib",
            EvidenceKind::Component => "component",
            EvidenceKind::MetaData => "meta-data",
            EvidenceKind::IntentAction => "intent-action",
            EvidenceKind::Framework => "framework",
            EvidenceKind::Dylib => "dylib",
            EvidenceKind::ObjcClass => "objc-class",
            EvidenceKind::File => "file",
            EvidenceKind::Application => "application",
        }
    }
}

/// What a rule is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RuleKind {
    /// A Java package prefix, matched on whole segments.
    DexPrefix,
    /// A native library's file name.
    Native,
    /// A manifest component's class name.
    Component,
    MetaData,
    Action,
    ObjcClass,
    /// A framework's bundle name (`X` of `X.framework`).
    Framework,
    /// A framework's CFBundleIdentifier.
    BundleId,
    /// A path in the package (packers).
    File,
    /// A class name, defined in DEX or named as the application (packers).
    Class,
}

const RULE_KINDS: usize = 10;

impl RuleKind {
    fn index(self) -> usize {
        match self {
            RuleKind::DexPrefix => 0,
            RuleKind::Native => 1,
            RuleKind::Component => 2,
            RuleKind::MetaData => 3,
            RuleKind::Action => 4,
            RuleKind::ObjcClass => 5,
            RuleKind::Framework => 6,
            RuleKind::BundleId => 7,
            RuleKind::File => 8,
            RuleKind::Class => 9,
        }
    }
}

/// Whose rule it is: an index into SDKS, LIBRARIES or PACKERS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Owner {
    Sdk(u16),
    Library(u16),
    Packer(u16),
}

#[derive(Debug)]
struct Rule {
    kind: RuleKind,
    pattern: &'static str,
    /// `pattern` is a regular expression over the whole name.
    regex: bool,
    /// Evidence only, never a match alone.
    weak: bool,
    owner: Owner,
}

#[derive(Debug)]
struct SdkDef {
    #[allow(dead_code)] // kept for the table's readers and tests
    id: &'static str,
    name: &'static str,
    name_zh: &'static str,
    provider: &'static str,
    provider_zh: &'static str,
    category: Category,
}

#[derive(Debug)]
struct LibraryDef {
    name: &'static str,
    provider: &'static str,
}

#[derive(Debug)]
struct PackerDef {
    name: &'static str,
    name_zh: &'static str,
    provider: &'static str,
    provider_zh: &'static str,
}

/// Everything a package shows that rules are held against, owned.
#[derive(Debug, Default)]
pub struct Signals {
    /// Hosts and IPs found in URLs and configuration.
    pub hosts: crate::domains::Collector,
    /// Packages of the classes the DEX files define (`com.example.foo`).
    pub dex_packages: BTreeSet<String>,
    /// Classes defined in DEX that a packer rule names (stubs).
    pub dex_stub_classes: BTreeSet<String>,
    /// Native library file names (`libjcore400.so`).
    pub native_libs: BTreeSet<String>,
    /// Every entry path, for packers' payload files.
    pub files: Vec<String>,
    pub application: Option<String>,
    pub components: BTreeSet<String>,
    pub meta_data: BTreeSet<String>,
    pub actions: BTreeSet<String>,
    /// Bundled frameworks.
    pub frameworks: Vec<Framework>,
    /// Install names the main executable loads.
    pub dylibs: Vec<String>,
    pub objc_classes: BTreeSet<String>,
}

/// A bundled `Frameworks/Name.framework` and what its own Info.plist says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Framework {
    pub name: String,
    pub bundle_id: Option<String>,
    pub version: Option<String>,
}

impl Framework {
    /// `Name.framework (bundle.id 1.2.3)`, as evidence.
    fn shown(&self) -> String {
        let mut out = format!("{}.framework", self.name);
        let extra: Vec<&str> = [self.bundle_id.as_deref(), self.version.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !extra.is_empty() {
            out.push_str(&format!(" ({})", extra.join(" ")));
        }
        out
    }
}

/// The SDKs, libraries and packer found, in report form.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    pub sdks: Vec<SdkReport>,
    pub domains: Vec<crate::report::DomainReport>,
    pub ips: Vec<crate::report::IpReport>,
    pub libraries: Vec<LibraryReport>,
    pub packer: Option<PackerReport>,
    pub warnings: Vec<String>,
}

/// Rules by kind: exact patterns in a map, regular expressions in a list.
struct Index {
    exact: [HashMap<&'static str, Vec<usize>>; RULE_KINDS],
    regex: [Vec<(Regex, usize)>; RULE_KINDS],
    /// Packages holding a packer's stub class, so the DEX pass need not
    /// build every class name.
    stub_packages: BTreeSet<&'static str>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut ix = Index {
            exact: Default::default(),
            regex: Default::default(),
            stub_packages: BTreeSet::new(),
        };
        for (i, r) in rules::RULES.iter().enumerate() {
            let k = r.kind.index();
            if r.regex {
                // The table is checked to compile (a test); a bad one is skipped.
                if let Ok(re) = Regex::new(&format!("^(?:{})$", r.pattern)) {
                    if let Some(list) = ix.regex.get_mut(k) {
                        list.push((re, i));
                    }
                }
            } else if let Some(map) = ix.exact.get_mut(k) {
                map.entry(r.pattern).or_default().push(i);
                if r.kind == RuleKind::Class {
                    if let Some((pkg, _)) = r.pattern.rsplit_once('.') {
                        ix.stub_packages.insert(pkg);
                    }
                }
            }
        }
        ix
    })
}

/// Does a class in `package` possibly name a packer's stub? (The DEX pass
/// builds the full class name only then.)
pub(crate) fn is_stub_package(package: &str) -> bool {
    index().stub_packages.contains(package)
}

/// Rules of `kind` matching `value` exactly or by regular expression.
fn matches(kind: RuleKind, value: &str, out: &mut Vec<usize>) {
    let ix = index();
    let k = kind.index();
    if let Some(hit) = ix.exact.get(k).and_then(|m| m.get(value)) {
        out.extend(hit);
    }
    for (re, i) in ix.regex.get(k).into_iter().flatten() {
        if re.is_match(value) {
            out.push(*i);
        }
    }
}

/// Scan a package: its platform's signals, held against the rules. What
/// could not be read is said in `warnings`; the rest is still scanned.
pub fn scan(
    pkg: &crate::Package<'_>,
    limits: &crate::Limits,
    own_domains: &[String],
) -> (Findings, ScanReport) {
    let mut s = Signals::default();
    let mut stats = ScanReport {
        rules: RULES_SOURCE,
        ..ScanReport::default()
    };
    let mut warnings = Vec::new();
    match pkg {
        crate::Package::Apk(apk) => android::collect(apk, "", &mut s, &mut stats, &mut warnings),
        crate::Package::Bundle(b) => {
            android::collect(&b.base, "", &mut s, &mut stats, &mut warnings)
        }
        crate::Package::Set(set) => {
            for m in &set.members {
                let opened = m
                    .data
                    .as_ref()
                    .map_err(String::clone)
                    .and_then(|d| crate::apk::Apk::open(d, limits).map_err(|e| e.to_string()));
                match opened {
                    Ok(apk) => {
                        let label = format!("{}: ", m.path);
                        android::collect(&apk, &label, &mut s, &mut stats, &mut warnings);
                    }
                    Err(e) => warnings.push(format!("{}: not scanned: {e}", m.path)),
                }
            }
        }
        crate::Package::Ipa(ipa) => {
            ios::collect(ipa, &mut s, &mut stats, &mut warnings);
            ios::hosts(ipa, &mut s, &mut stats, &mut warnings);
        }
        crate::Package::Hap(h) => harmony::collect(h, limits, &mut s, &mut stats, &mut warnings),
    }
    stats.native_libs = s.native_libs.len();
    stats.psl = crate::domains::PSL_VERSION;
    let mut f = identify(&s);
    let hosts = std::mem::take(&mut s.hosts);
    let sdk_name = |d: &str| {
        rules::SDK_DOMAINS
            .iter()
            .find(|(dom, _)| *dom == d)
            .and_then(|(_, i)| rules::SDKS.get(usize::from(*i)))
            .map(|s| s.name)
    };
    let ctx = crate::domains::Context {
        sdk_domains: &sdk_name,
        own: own_domains,
    };
    let found = hosts.finish(&ctx);
    if found.truncated {
        warnings.push(format!(
            "more than {} hosts or {} IP addresses: the rest were not listed",
            crate::domains::MAX_HOSTS,
            crate::domains::MAX_IPS
        ));
    }
    f.domains = found.domains;
    // A host only a bundled framework names is that framework's (an SDK's).
    if let crate::Package::Ipa(ipa) = pkg {
        let frameworks = format!("{}Frameworks/", ipa.app);
        for d in f
            .domains
            .iter_mut()
            .filter(|d| d.bucket == "own" && d.more_sources == 0)
        {
            let names: Vec<&str> = d
                .sources
                .iter()
                .filter_map(|src| {
                    src.path
                        .strip_prefix(frameworks.as_str())?
                        .split_once(".framework/")
                        .map(|(n, _)| n)
                })
                .collect();
            if !names.is_empty() && names.len() == d.sources.len() {
                d.bucket = "sdk";
                d.sdk = Some(format!("{} (framework)", names.join(", ")));
            }
        }
    }
    let order = |b: &str| match b {
        "own" => 0,
        "sdk" => 1,
        "third-party" => 2,
        _ => 3,
    };
    f.domains.sort_by(|a, b| {
        (order(a.bucket), &a.registrable, &a.host).cmp(&(order(b.bucket), &b.registrable, &b.host))
    });
    f.ips = found.ips;
    warnings.append(&mut f.warnings);
    f.warnings = warnings;
    (f, stats)
}

type Evidences = BTreeSet<(EvidenceKind, String)>;

/// What one owner's rules matched.
#[derive(Default)]
struct Hit {
    /// A strong rule matched.
    strong: bool,
    /// As shown: a prefix rule shows its prefix, others what they matched.
    evidence: BTreeSet<(EvidenceKind, String)>,
    /// What was matched (the package, not the prefix), to tell when one
    /// finding explains another.
    seen: BTreeSet<(EvidenceKind, String)>,
}

type Hits = BTreeMap<Owner, Hit>;

fn found_shown(hits: &mut Hits, rule_ids: &[usize], kind: EvidenceKind, value: &str) {
    for &i in rule_ids {
        let Some(r) = rules::RULES.get(i) else {
            continue;
        };
        let e = hits.entry(r.owner).or_default();
        e.strong |= !r.weak;
        e.seen.insert((kind, value.to_string()));
        // A prefix rule's evidence is the prefix; a regex's, what it matched.
        let shown = if r.kind == RuleKind::DexPrefix && !r.regex {
            r.pattern
        } else {
            value
        };
        e.evidence.insert((kind, shown.to_string()));
    }
}

fn each(
    hits: &mut Hits,
    kind: RuleKind,
    evidence: EvidenceKind,
    values: &mut dyn Iterator<Item = &str>,
) {
    for v in values {
        let mut ids = Vec::new();
        matches(kind, v, &mut ids);
        found_shown(hits, &ids, evidence, v);
    }
}

/// Hold the signals against every rule.
pub fn identify(s: &Signals) -> Findings {
    let mut hits = Hits::new();
    let mut ids = Vec::new();
    let ix = index();
    let prefixes = ix.exact.get(RuleKind::DexPrefix.index());
    for pkg in &s.dex_packages {
        ids.clear();
        // Every leading run of whole segments: com, com.tencent, com.tencent.mm…
        if let Some(map) = prefixes {
            let mut end = 0;
            for seg in pkg.split('.') {
                end += seg.len();
                if let Some(hit) = pkg.get(..end).and_then(|p| map.get(p)) {
                    ids.extend(hit);
                }
                end += 1;
            }
        }
        for (re, i) in ix
            .regex
            .get(RuleKind::DexPrefix.index())
            .into_iter()
            .flatten()
        {
            if re.is_match(pkg) {
                ids.push(*i);
            }
        }
        found_shown(&mut hits, &ids, EvidenceKind::DexClass, pkg);
    }
    each(
        &mut hits,
        RuleKind::Native,
        EvidenceKind::NativeLib,
        &mut s.native_libs.iter().map(String::as_str),
    );
    each(
        &mut hits,
        RuleKind::Component,
        EvidenceKind::Component,
        &mut s.components.iter().map(String::as_str),
    );
    each(
        &mut hits,
        RuleKind::MetaData,
        EvidenceKind::MetaData,
        &mut s.meta_data.iter().map(String::as_str),
    );
    each(
        &mut hits,
        RuleKind::Action,
        EvidenceKind::IntentAction,
        &mut s.actions.iter().map(String::as_str),
    );
    each(
        &mut hits,
        RuleKind::ObjcClass,
        EvidenceKind::ObjcClass,
        &mut s.objc_classes.iter().map(String::as_str),
    );
    for fw in &s.frameworks {
        let mut ids = Vec::new();
        matches(RuleKind::Framework, &fw.name, &mut ids);
        if let Some(id) = &fw.bundle_id {
            matches(RuleKind::BundleId, id, &mut ids);
        }
        found_shown(&mut hits, &ids, EvidenceKind::Framework, &fw.shown());
    }
    for d in &s.dylibs {
        if let Some(name) = framework_of(d) {
            let mut ids = Vec::new();
            matches(RuleKind::Framework, name, &mut ids);
            found_shown(&mut hits, &ids, EvidenceKind::Dylib, d);
        }
    }
    // Packers: payload files, stub classes defined in DEX or named as the application.
    each(
        &mut hits,
        RuleKind::File,
        EvidenceKind::File,
        &mut s.files.iter().map(String::as_str),
    );
    // A packer's library outside lib/ (assets/libjiagu.so): packers only,
    // so an SDK's library is not counted twice.
    for f in &s.files {
        if android::native_lib(f).is_some() {
            continue;
        }
        let Some(name) = f.rsplit('/').next() else {
            continue;
        };
        let mut ids = Vec::new();
        matches(RuleKind::Native, name, &mut ids);
        ids.retain(|&i| {
            rules::RULES
                .get(i)
                .is_some_and(|r| matches!(r.owner, Owner::Packer(_)))
        });
        found_shown(&mut hits, &ids, EvidenceKind::File, f);
    }
    each(
        &mut hits,
        RuleKind::Class,
        EvidenceKind::DexClass,
        &mut s.dex_stub_classes.iter().map(String::as_str),
    );
    each(
        &mut hits,
        RuleKind::Class,
        EvidenceKind::Application,
        &mut s.application.iter().map(String::as_str),
    );
    each(
        &mut hits,
        RuleKind::Class,
        EvidenceKind::Component,
        &mut s.components.iter().map(String::as_str),
    );

    let mut f = Findings::default();
    let mut sdks: Vec<(Category, SdkReport)> = Vec::new();
    // What the table's SDKs and the packers explain.
    let mut explained: BTreeSet<&(EvidenceKind, String)> = BTreeSet::new();
    for (owner, hit) in &hits {
        if matches!(owner, Owner::Sdk(_) | Owner::Packer(_)) && hit.strong {
            explained.extend(&hit.seen);
        }
    }
    for (owner, hit) in &hits {
        let evidence = &hit.evidence;
        if let (Owner::Sdk(i), true) = (owner, hit.strong) {
            if let Some(d) = rules::SDKS.get(usize::from(*i)) {
                sdks.push((
                    d.category,
                    SdkReport {
                        name: d.name.to_string(),
                        name_zh: d.name_zh.to_string(),
                        provider: d.provider.to_string(),
                        provider_zh: d.provider_zh.to_string(),
                        category: d.category.key(),
                        category_zh: d.category.name_zh(),
                        evidence: report_evidence(evidence),
                    },
                ));
            }
        }
    }
    // The form's order: by category, then name.
    sdks.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    f.sdks = sdks.into_iter().map(|(_, r)| r).collect();
    for (owner, hit) in &hits {
        let evidence = &hit.evidence;
        if let (Owner::Library(i), true) = (owner, hit.strong) {
            // What an SDK of the table or the packer explains is not listed twice.
            if hit.seen.iter().all(|e| explained.contains(e)) {
                continue;
            }
            if let Some(d) = rules::LIBRARIES.get(usize::from(*i)) {
                f.libraries.push(LibraryReport {
                    name: d.name.to_string(),
                    provider: (!d.provider.is_empty()).then(|| d.provider.to_string()),
                    evidence: report_evidence(evidence),
                });
            }
        }
    }
    let mut packers: Vec<(usize, &PackerDef, &Evidences)> = hits
        .iter()
        .filter_map(|(owner, hit)| match owner {
            Owner::Packer(i) => rules::PACKERS
                .get(usize::from(*i))
                .map(|d| (hit.evidence.len(), d, &hit.evidence)),
            _ => None,
        })
        .collect();
    packers.sort_by_key(|p| std::cmp::Reverse(p.0));
    if let Some((_, d, ev)) = packers.first() {
        f.packer = Some(PackerReport {
            name: d.name.to_string(),
            name_zh: d.name_zh.to_string(),
            provider: d.provider.to_string(),
            provider_zh: d.provider_zh.to_string(),
            evidence: report_evidence(ev),
        });
        f.warnings.push(format!(
            "packed with {} ({}): the app's code is hidden from static reading, so SDKs are found from the manifest and native libraries only",
            d.name, d.name_zh
        ));
        for (_, other, _) in packers.iter().skip(1) {
            f.warnings
                .push(format!("traces of another packer too: {}", other.name));
        }
    }
    f.libraries.sort_by(|a, b| a.name.cmp(&b.name));
    f
}

/// At most this many pieces of evidence per finding: enough to check it,
/// not a dump of every class package.
const MAX_EVIDENCE: usize = 12;

fn report_evidence(ev: &BTreeSet<(EvidenceKind, String)>) -> Vec<Evidence> {
    ev.iter()
        .take(MAX_EVIDENCE)
        .map(|(k, v)| Evidence {
            kind: k.key(),
            value: v.clone(),
        })
        .collect()
}

/// `X` of an install name `…/X.framework/X` (or `…/X.framework/Versions/A/X`).
pub(crate) fn framework_of(install_name: &str) -> Option<&str> {
    let (before, _) = install_name.split_once(".framework/")?;
    let name = before.rsplit('/').next()?;
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests;
