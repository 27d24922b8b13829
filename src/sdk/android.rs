//! Android signals: DEX class packages (every `classes*.dex`, read in
//! parallel), native libraries, manifest components, actions and meta-data.

use super::{is_stub_package, Signals};
use crate::apk::axml::{Element, XmlTree};
use crate::apk::manifest::attr;
use crate::apk::Apk;
use crate::dex::{Dex, DexError};
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
            | "meta-data"
    )
}

/// Add what `apk` shows to `s`; `prefix` names the APK inside a set.
pub(crate) fn collect(
    apk: &Apk<'_>,
    prefix: &str,
    s: &mut Signals,
    stats: &mut ScanReport,
    warnings: &mut Vec<String>,
) {
    let zip = &apk.zip;
    let mut dex = Vec::new();
    for e in zip.entries() {
        if e.is_dir() {
            continue;
        }
        let name = e.name_normalized();
        if is_dex(&name) {
            dex.push(e);
        }
        if let Some(lib) = native_lib(&name) {
            s.native_libs.insert(lib.to_string());
        }
        s.files.push(format!("{prefix}{name}"));
    }
    let found = dex_packages(zip, &dex);
    stats.dex_files += found.files;
    stats.classes += found.classes;
    s.dex_packages.extend(found.packages);
    s.dex_stub_classes.extend(found.stubs);
    warnings.extend(found.warnings.into_iter().map(|w| format!("{prefix}{w}")));
    if let Some(tree) = apk.manifest_with(&wanted) {
        manifest(&tree, s);
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

/// `libfoo.so` of `lib/<abi>/libfoo.so` (an App Bundle's `<module>/lib/<abi>/…` too).
pub(crate) fn native_lib(name: &str) -> Option<&str> {
    let mut parts = name.rsplit('/');
    let file = parts.next()?;
    let _abi = parts.next()?;
    let lib = parts.next()?;
    (matches!(lib, "lib" | "libs") && file.ends_with(".so") && file.len() > 3).then_some(file)
}

#[derive(Default)]
struct DexFound {
    files: usize,
    classes: usize,
    packages: HashSet<String>,
    stubs: BTreeSet<String>,
    warnings: Vec<String>,
}

/// The packages of every class the DEX files define. Each DEX is inflated,
/// read and dropped by one of up to `available_parallelism` workers, so the
/// memory held is a few DEX files at most, whatever their number.
fn dex_packages(zip: &Archive<'_>, entries: &[CentralRecord<'_>]) -> DexFound {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(entries.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let merged = Mutex::new(DexFound::default());
    let work = || {
        let mut mine = DexFound::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(e) = entries.get(i) else { break };
            let name = e.name_normalized();
            match zip.read(e) {
                Ok(bytes) => {
                    // Done with the compressed bytes: a mapped file's pages
                    // can go (the Release hook), so what is held stays one
                    // DEX per worker, not the sum of them.
                    if let Ok(raw) = zip.raw_data(e) {
                        zip.release(raw);
                    }
                    match read_dex(&bytes, &mut mine) {
                        Ok(()) => mine.files += 1,
                        Err(err) => mine.warnings.push(format!("{name}: {err}")),
                    }
                }
                Err(err) => mine.warnings.push(format!("{name}: {err}")),
            }
        }
        if let Ok(mut all) = merged.lock() {
            all.files += mine.files;
            all.classes += mine.classes;
            all.packages.extend(mine.packages);
            all.stubs.extend(mine.stubs);
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

fn read_dex(bytes: &[u8], into: &mut DexFound) -> Result<(), DexError> {
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
