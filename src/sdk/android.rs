//! Android signals: DEX class packages (every `classes*.dex`, read in
//! parallel), native libraries, manifest components, actions and meta-data.

use super::{is_stub_package, Signals};
use crate::apk::axml::{Element, XmlTree};
use crate::apk::manifest::attr;
use crate::apk::Apk;
use crate::dex::{Dex, DexError};
use crate::domains::{Collector, Found};
use crate::report::ScanReport;
use crate::zip::{Archive, CentralRecord};
use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Manifest elements the scan reads.
fn wanted(name: &str) -> bool {
    matches!(
        name,
        "application"
            | "activity"
            | "activity-alias"
            | "service"
            | "receiver"
            | "provider"
            | "intent-filter"
            | "action"
            | "data"
            | "meta-data"
    )
}

/// Add what `apk` shows to `s`; `label` names the APK inside a set (for
/// warnings).
pub(crate) fn collect(
    apk: &Apk<'_>,
    label: &str,
    s: &mut Signals,
    stats: &mut ScanReport,
    warnings: &mut Vec<String>,
) {
    let zip = &apk.zip;
    let bundle = apk.layout == crate::apk::Layout::Bundle;
    let mut items = Vec::new();
    let mut abi_libs: Vec<(String, CentralRecord<'_>)> = Vec::new();
    let mut texts = 0usize;
    for e in zip.entries() {
        if e.is_dir() {
            continue;
        }
        let name = e.name_normalized();
        if let Some(lib) = native_lib(&name) {
            s.native_libs.insert(lib.to_string());
        }
        s.files.push(name.to_string());
        // An App Bundle's paths start with the module: base/res/…, feature/assets/…
        let inner = if bundle {
            name.split_once('/').map_or(&*name, |(_, rest)| rest)
        } else {
            &*name
        };
        if is_dex(&name) {
            items.push((e, Item::Dex));
        } else if native_lib(&name).is_some() {
            let abi = inner.split('/').nth(1).unwrap_or_default().to_string();
            abi_libs.push((abi, e));
        } else if searched(inner) {
            items.push((e, Item::Blob));
        } else if is_text_asset(inner) && texts < MAX_TEXT_FILES {
            texts += 1;
            items.push((e, Item::Blob));
        }
    }
    let abi = preferred_abi(&abi_libs);
    for (a, e) in abi_libs {
        if Some(&a) == abi.as_ref() {
            items.push((e, Item::Blob));
        }
    }
    let found = read_all(zip, &items);
    stats.dex_files += found.files;
    stats.classes += found.classes;
    stats.files_searched += found.searched;
    s.dex_packages.extend(found.packages);
    s.dex_stub_classes.extend(found.stubs);
    s.hosts.merge(found.hosts);
    warnings.extend(found.warnings.into_iter().map(|w| format!("{label}{w}")));
    if let Some(tree) = apk.manifest_with(&wanted) {
        manifest(&tree, s);
    }
    // (An App Bundle's XML is protobuf, without the text nodes read here.)
    let nsc = (!bundle)
        .then(|| apk.xml_resource(NETWORK_SECURITY_CONFIG, "networkSecurityConfig"))
        .flatten();
    if let Some(nsc) = nsc {
        match nsc {
            Ok((path, bytes)) => security_config_domains(&path, &bytes, s, warnings),
            Err(e) => warnings.push(format!("{label}{e}")),
        }
    }
}

const NETWORK_SECURITY_CONFIG: u32 = 0x0101_0527;
/// android:host and android:scheme of `<data>`.
const HOST: u32 = 0x0101_0028;
const SCHEME: u32 = 0x0101_0027;
/// Bound on the text assets searched for URLs (each is streamed, so their
/// sizes are not bounded here: the archive's stream budget is).
const MAX_TEXT_FILES: usize = 2000;

/// What a queued entry is read for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Item {
    /// Classes and strings.
    Dex,
    /// Searched for URLs: read whole within max-entry-size, streamed past it.
    Blob,
}

/// Entries whose string pools hold URLs: the resource table, the manifest,
/// binary XML resources, raw resources.
fn searched(inner: &str) -> bool {
    inner == "resources.arsc"
        || inner == "resources.pb"
        || inner == "AndroidManifest.xml"
        || inner == "manifest/AndroidManifest.xml"
        || (inner.starts_with("res/") && (inner.ends_with(".xml") || inner.starts_with("res/raw/")))
}

/// Text assets that carry configuration (capped in size and count).
fn is_text_asset(inner: &str) -> bool {
    let ext = inner.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    inner.starts_with("assets/")
        && matches!(
            ext.as_deref(),
            Some(
                "json"
                    | "js"
                    | "html"
                    | "htm"
                    | "xml"
                    | "properties"
                    | "txt"
                    | "conf"
                    | "cfg"
                    | "ini"
                    | "yaml"
                    | "yml"
            )
        )
}

/// `<domain>` entries of a network security config (`res/xml/…`, binary XML):
/// hosts the app configures TLS for.
fn security_config_domains(path: &str, bytes: &[u8], s: &mut Signals, warnings: &mut Vec<String>) {
    use crate::apk::axml::{Event, XmlDocument};
    let doc = match XmlDocument::parse(bytes) {
        Ok(d) => d,
        Err(e) => {
            warnings.push(format!("{path}: {e}"));
            return;
        }
    };
    let mut in_domain = false;
    for ev in doc.events().flatten() {
        match ev {
            Event::StartElement(el) => {
                in_domain = doc.string(el.name).is_some_and(|n| n == "domain");
            }
            Event::Cdata { data } if in_domain => {
                if let Some(text) = doc.string(data) {
                    let host = text.trim();
                    if !host.is_empty() {
                        s.hosts.add_host(path, host, Found::Config);
                    }
                }
            }
            Event::EndElement { .. } => in_domain = false,
            _ => {}
        }
    }
}

/// A DEX the runtime loads: `classes.dex`, `classes2.dex`… at the root of an
/// APK, or in any module's `dex/` folder of an App Bundle.
fn is_dex(name: &str) -> bool {
    let (dir, file) = match name.rsplit_once('/') {
        Some((d, f)) => (Some(d), f),
        None => (None, name),
    };
    let numbered = file
        .strip_prefix("classes")
        .and_then(|r| r.strip_suffix(".dex"))
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    numbered && dir.is_none_or(|d| d == "dex" || d.ends_with("/dex"))
}

/// The ABI whose libraries are searched for URLs: every ABI carries the same
/// strings, so one is read, the first of Android's preference that is there.
pub(crate) fn preferred_abi<T>(libs: &[(String, T)]) -> Option<String> {
    ["arm64-v8a", "armeabi-v7a", "armeabi", "x86_64", "x86"]
        .into_iter()
        .find(|a| libs.iter().any(|(x, _)| x == a))
        .map(str::to_string)
        .or_else(|| libs.first().map(|(a, _)| a.clone()))
}

/// `libfoo.so` of `lib/<abi>/libfoo.so` (an App Bundle's `<module>/lib/<abi>/…` too).
pub(crate) fn native_lib(name: &str) -> Option<&str> {
    let mut parts = name.rsplit('/');
    let file = parts.next()?;
    let _abi = parts.next()?;
    let lib = parts.next()?;
    (matches!(lib, "lib" | "libs") && file.ends_with(".so") && file.len() > 3).then_some(file)
}

#[derive(Default)]
pub(crate) struct EntriesRead {
    pub(crate) files: usize,
    pub(crate) classes: usize,
    pub(crate) searched: usize,
    pub(crate) packages: HashSet<String>,
    pub(crate) stubs: BTreeSet<String>,
    pub(crate) hosts: Collector,
    pub(crate) warnings: Vec<String>,
}

/// Read every queued entry: a DEX for its classes' packages and its strings'
/// URLs, the rest for URLs. Each entry is inflated, read and dropped by one
/// of up to `available_parallelism` workers, so the memory held is a few
/// entries at most, whatever their number.
pub(crate) fn read_all(zip: &Archive<'_>, items: &[(CentralRecord<'_>, Item)]) -> EntriesRead {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let merged = Mutex::new(EntriesRead::default());
    let work = || {
        let mut mine = EntriesRead::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((e, item)) = items.get(i) else { break };
            let name = e.name_normalized();
            if matches!(item, Item::Blob) && e.uncompressed_size > zip.limits().max_entry_size {
                // Streamed in pieces: a URL across a 64 KiB boundary is missed,
                // the memory held is one piece.
                let hosts = &mut mine.hosts;
                match zip.stream(e, |piece| hosts.scan(&name, piece)) {
                    Ok(_) => mine.searched += 1,
                    Err(err) => mine.warnings.push(format!("{name}: not searched: {err}")),
                }
                continue;
            }
            match zip.read(e) {
                Ok(bytes) => {
                    // Done with the compressed bytes: a mapped file's pages
                    // can go (the Release hook), so what is held stays one
                    // entry per worker, not the sum of them.
                    if let Ok(raw) = zip.raw_data(e) {
                        zip.release(raw);
                    }
                    match item {
                        Item::Dex => match read_dex(&name, &bytes, &mut mine) {
                            Ok(()) => mine.files += 1,
                            Err(err) => mine.warnings.push(format!("{name}: {err}")),
                        },
                        Item::Blob => {
                            mine.searched += 1;
                            mine.hosts.scan(&name, &bytes);
                        }
                    }
                }
                Err(err) => mine.warnings.push(format!("{name}: not searched: {err}")),
            }
        }
        if let Ok(mut all) = merged.lock() {
            all.files += mine.files;
            all.classes += mine.classes;
            all.searched += mine.searched;
            all.packages.extend(mine.packages);
            all.stubs.extend(mine.stubs);
            all.hosts.merge(mine.hosts);
            all.warnings.extend(mine.warnings);
        }
    };
    if workers == 1 {
        work();
    } else {
        std::thread::scope(|sc| {
            for _ in 0..workers {
                sc.spawn(work);
            }
        });
    }
    let mut out = merged.into_inner().unwrap_or_default();
    out.warnings.sort();
    out
}

fn read_dex(name: &str, bytes: &[u8], into: &mut EntriesRead) -> Result<(), DexError> {
    let dex = Dex::parse(bytes)?;
    let mut bad = 0usize;
    let mut first_bad = None;
    for class in dex.classes() {
        let class = match class {
            Ok(c) => c,
            Err(e) => {
                bad += 1;
                first_bad.get_or_insert(e);
                continue;
            }
        };
        into.classes += 1;
        let Some(pkg) = class.package() else { continue };
        if is_stub_package(&pkg) {
            if let Some(name) = class.java_name() {
                into.stubs.insert(name);
            }
        }
        if !into.packages.contains(&*pkg) {
            into.packages.insert(pkg.into_owned());
        }
    }
    // The string table: every constant the code uses, URLs among them.
    for string in dex.strings().flatten() {
        into.hosts.scan(name, string);
    }
    match first_bad {
        Some(e) if bad > 0 => Err(DexError::Malformed {
            at: 0,
            what: format!("{bad} class definitions unreadable, the first: {e}"),
        }),
        _ => Ok(()),
    }
}

/// Components, the application class, actions and meta-data keys.
fn manifest(tree: &XmlTree, s: &mut Signals) {
    let Some(root) = tree.root() else { return };
    let package = root
        .plain_attr("package")
        .and_then(|a| a.as_str())
        .unwrap_or_default()
        .to_string();
    let name_of = |e: &Element| -> Option<String> {
        let raw = e.attr(attr::NAME, "name")?.as_str()?.trim();
        (!raw.is_empty()).then(|| raw.to_string())
    };
    let class_of = |e: &Element| name_of(e).map(|n| qualify(&package, &n));
    for app in tree.children(root, "application") {
        s.application = s.application.take().or_else(|| class_of(app));
        meta_data(tree, app, s);
        for kind in [
            "activity",
            "activity-alias",
            "service",
            "receiver",
            "provider",
        ] {
            for c in tree.children(app, kind) {
                if let Some(n) = class_of(c) {
                    s.components.insert(n);
                }
                meta_data(tree, c, s);
                for filter in tree.children(c, "intent-filter") {
                    for a in tree.children(filter, "action") {
                        if let Some(n) = name_of(a) {
                            s.actions.insert(n);
                        }
                    }
                    // <data android:scheme="https" android:host="…">: app links.
                    for d in tree.children(filter, "data") {
                        let host = d.attr(HOST, "host").and_then(|a| a.as_str());
                        let scheme = d.attr(SCHEME, "scheme").and_then(|a| a.as_str());
                        if let Some(h) = host.map(str::trim).filter(|h| !h.is_empty()) {
                            match scheme {
                                Some(sc) if is_web(sc) => {
                                    s.hosts.scan(
                                        "AndroidManifest.xml",
                                        format!("{sc}://{h}/").as_bytes(),
                                    );
                                }
                                _ => s.hosts.add_host("AndroidManifest.xml", h, Found::Config),
                            }
                        }
                    }
                }
            }
        }
    }
}

fn meta_data(tree: &XmlTree, parent: &Element, s: &mut Signals) {
    for m in tree.children(parent, "meta-data") {
        if let Some(n) = m.attr(attr::NAME, "name").and_then(|a| a.as_str()) {
            let n = n.trim();
            if !n.is_empty() {
                s.meta_data.insert(n.to_string());
            }
        }
    }
}

fn is_web(scheme: &str) -> bool {
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ws" | "wss"
    )
}

/// A component name as PackageParser resolves it: `.Foo` and `Foo` are in
/// the manifest's package.
fn qualify(package: &str, name: &str) -> String {
    if name.starts_with('.') {
        format!("{package}{name}")
    } else if !name.contains('.') && !package.is_empty() {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dex_names() {
        assert!(is_dex("classes.dex"));
        assert!(is_dex("classes12.dex"));
        assert!(is_dex("base/dex/classes2.dex"));
        assert!(is_dex("feature/dex/classes.dex"));
        assert!(!is_dex("assets/classes.dex"));
        assert!(!is_dex("classesX.dex"));
        assert!(!is_dex("lib/classes.dex"));
    }

    #[test]
    fn native_names() {
        assert_eq!(native_lib("lib/arm64-v8a/libjcore.so"), Some("libjcore.so"));
        assert_eq!(native_lib("base/lib/x86/liba.so"), Some("liba.so"));
        assert_eq!(native_lib("libs/arm64-v8a/libx.so"), Some("libx.so"));
        assert_eq!(native_lib("assets/libjiagu.so"), None);
        assert_eq!(native_lib("lib/arm64-v8a/readme.txt"), None);
    }

    #[test]
    fn component_names() {
        assert_eq!(
            qualify("com.a", ".wxapi.WXEntryActivity"),
            "com.a.wxapi.WXEntryActivity"
        );
        assert_eq!(qualify("com.a", "Main"), "com.a.Main");
        assert_eq!(qualify("com.a", "cn.jpush.X"), "cn.jpush.X");
    }
}
