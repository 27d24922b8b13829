//! Android App Bundles (`.aab`): what Google Play takes, not what devices
//! install. A bundle is a ZIP of modules (`base/`, feature modules, asset
//! packs), each holding its manifest and resource table in aapt2's protobuf
//! forms, plus `BundleConfig.pb` and `BUNDLE-METADATA/`.
//!
//! The base module's facts come from the same code as an APK's (an
//! [`Apk`] opened with [`Layout::Bundle`]). The signature is not the app's:
//! a bundle is JAR-signed with the **upload key**, and Play re-signs the
//! APKs it builds with the app signing key, so a bundle never yields a
//! filing certificate.

use crate::apk::axml::{Element, XmlTree};
use crate::apk::resolve::Resolver;
use crate::apk::{Apk, ApkError, Layout};
use crate::limits::Limits;
use crate::proto::Message;
use crate::report::{AppBundleReport, ModuleReport, Report, SplitDimensionReport};
use crate::zip::Archive;

/// The distribution namespace of module manifests (`dist:`).
pub const DIST_NS: &str = "http://schemas.android.com/apk/distribution";

/// Why an App Bundle's certificate is not filed; the warning and the text
/// view's filing block say it.
pub const UPLOAD_KEY_NOTE: &str = "an .aab is signed with the upload key, not the certificate devices see: Google Play re-signs the APKs it serves with the app signing key. File that certificate (Play Console → App integrity → App signing), or run apkinfo on an APK installed from Play or on a universal APK built by bundletool (build-apks --mode=universal)";

/// Most modules read from one bundle (real ones have a handful).
const MAX_MODULES: usize = 512;

/// Is this archive an App Bundle? Its base module's manifest is where
/// bundletool puts it; `BundleConfig.pb` is expected beside it.
pub fn is_bundle(zip: &Archive<'_>) -> bool {
    zip.find(Layout::Bundle.manifest()).is_some()
}

/// An opened App Bundle.
pub struct Bundle<'a> {
    /// The base module, read as an APK would be.
    pub base: Apk<'a>,
    limits: Limits,
}

impl<'a> Bundle<'a> {
    pub fn open(data: &'a [u8], limits: &Limits) -> Result<Bundle<'a>, ApkError> {
        Bundle::from_archive(Archive::parse(data, limits)?, limits)
    }

    pub fn from_archive(zip: Archive<'a>, limits: &Limits) -> Result<Bundle<'a>, ApkError> {
        Ok(Bundle {
            base: Apk::from_archive_as(zip, Layout::Bundle, limits)?,
            limits: *limits,
        })
    }

    /// The report: the base module's facts, every module, the build
    /// metadata, and the upload key's certificate with no filing block.
    pub fn report(&self, path: &str) -> Report {
        let mut r = self.base.report(path, None);
        r.format = "aab";
        for s in &mut r.signers {
            s.role = Some("upload");
        }
        // Whatever the base's report made of the certificate (a debug key,
        // say), a bundle's is an upload key: that is the reason given.
        r.filing = None;
        if let Some(w) = r.filing_withheld.take() {
            r.warnings.retain(|x| *x != w.note);
        }
        let mut warnings = Vec::new();
        r.abis = self.abis();
        r.modules = Some(self.modules(&mut warnings));
        r.bundle = Some(self.bundle_config(&mut warnings));
        warnings.append(&mut r.warnings);
        r.warnings = warnings;
        if let Some(sha256) = r.signers.first().map(|s| s.certificate.sha256.clone()) {
            r.withhold_filing("upload-key", sha256, UPLOAD_KEY_NOTE.to_string());
        }
        r
    }

    /// Native ABIs of every module (`<module>/lib/<abi>/`): what the app
    /// ships for, whichever module carries the code.
    fn abis(&self) -> Vec<String> {
        let names = self.base.zip.entries().map(|e| e.name_normalized());
        crate::apk::package::abis_of(names, |n| {
            let (_module, rest) = n.split_once('/')?;
            rest.strip_prefix("lib/")
        })
    }

    /// Module folders: each top-level folder with `manifest/AndroidManifest.xml`.
    fn module_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for e in self.base.zip.entries() {
            let name = e.name_normalized();
            if let Some(module) = name.strip_suffix("/manifest/AndroidManifest.xml") {
                if !module.is_empty() && !module.contains('/') && !names.iter().any(|n| n == module)
                {
                    names.push(module.to_string());
                }
            }
            if names.len() >= MAX_MODULES {
                break;
            }
        }
        names.sort_by(|a, b| (a != "base", a).cmp(&(b != "base", b)));
        names
    }

    /// Every module with its type and delivery, from its manifest's
    /// `<dist:module>` (bundletool's rules: `<dist:delivery>` wins over the
    /// older `dist:onDemand` attribute; the base is always install-time).
    pub fn modules(&self, warnings: &mut Vec<String>) -> Vec<ModuleReport> {
        let mut table_warnings = Vec::new();
        let table = self.base.table(&mut table_warnings);
        let res = Resolver::new(table.as_ref(), self.limits.max_reference_depth);
        let mut out = Vec::new();
        for name in self.module_names() {
            let path = format!("{name}/manifest/AndroidManifest.xml");
            let tree = match self.module_manifest(&path) {
                Ok(t) => t,
                Err(e) => {
                    warnings.push(format!("{path}: {e}"));
                    continue;
                }
            };
            out.push(module_report(&name, &tree, &res));
        }
        out
    }

    fn module_manifest(&self, path: &str) -> Result<XmlTree, String> {
        let zip = &self.base.zip;
        let entry = zip.find(path).ok_or("missing")?;
        let bytes = zip.read(&entry).map_err(|e| e.to_string())?;
        crate::apk::aapt2::xml::tree_only(&bytes, self.limits.max_xml_depth, &|n| {
            matches!(
                n,
                "module" | "delivery" | "install-time" | "on-demand" | "fast-follow" | "conditions"
            )
        })
        .map_err(|e| e.to_string())
    }

    /// `BundleConfig.pb` (bundletool's `config.proto`) and `BUNDLE-METADATA/`.
    pub fn bundle_config(&self, warnings: &mut Vec<String>) -> AppBundleReport {
        let zip = &self.base.zip;
        let mut out = AppBundleReport {
            kind: "regular",
            ..AppBundleReport::default()
        };
        match zip
            .find("BundleConfig.pb")
            .map(|e| zip.read_capped(&e, 1 << 20))
        {
            None => warnings.push(
                "no BundleConfig.pb: bundletool writes one in every bundle; read as one anyway"
                    .into(),
            ),
            Some(Err(e)) => warnings.push(format!("BundleConfig.pb: {e}")),
            Some(Ok(bytes)) => {
                let m = Message::new(&bytes);
                if let Err(e) = m.validate() {
                    warnings.push(format!("BundleConfig.pb: {e}"));
                }
                read_bundle_config(m, &mut out);
            }
        }
        for e in zip.with_prefix("BUNDLE-METADATA/") {
            let name = e.name_normalized();
            if let Some(rest) = name.strip_prefix("BUNDLE-METADATA/") {
                if !rest.is_empty() && !rest.ends_with('/') {
                    out.metadata.push(rest.to_string());
                }
            }
        }
        out.metadata.sort();
        let props = "BUNDLE-METADATA/com.android.tools.build.gradle/app-metadata.properties";
        if let Some(Ok(bytes)) = zip.find(props).map(|e| zip.read_capped(&e, 64 << 10)) {
            out.android_gradle_plugin = String::from_utf8_lossy(&bytes).lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "androidGradlePluginVersion").then(|| v.trim().to_string())
            });
        }
        out
    }
}

/// `BundleConfig`: bundletool 1 {version 2}, optimizations 2 {splits_config
/// 1 {split_dimension 1 {value 1, negate 2}}}, compression 3
/// {uncompressed_glob 1}, type 8.
pub fn read_bundle_config(m: Message<'_>, out: &mut AppBundleReport) {
    out.bundletool_version = m
        .message(1)
        .and_then(|b| b.string(2))
        .map(|v| v.into_owned());
    out.kind = match m.uint(8) {
        0 => "regular",
        1 => "apex",
        2 => "asset-only",
        _ => "unknown",
    };
    if let Some(splits) = m.message(2).and_then(|o| o.message(1)) {
        for d in splits.messages(1).take(64) {
            let dimension = match d.uint(1) {
                1 => "abi".to_string(),
                2 => "density".to_string(),
                3 => "language".to_string(),
                4 => "texture-compression-format".to_string(),
                6 => "device-tier".to_string(),
                7 => "country-set".to_string(),
                n => format!("unknown-{n}"),
            };
            out.split_dimensions.push(SplitDimensionReport {
                dimension,
                negate: d.bool(2),
            });
        }
    }
    if let Some(c) = m.message(3) {
        out.uncompressed_globs = c.strings(1).take(256).map(|s| s.into_owned()).collect();
    }
}

fn module_report(name: &str, tree: &XmlTree, res: &Resolver<'_, '_>) -> ModuleReport {
    let mut out = ModuleReport {
        name: name.to_string(),
        kind: if name == "base" { "base" } else { "feature" },
        delivery: "install-time",
        ..ModuleReport::default()
    };
    let Some(root) = tree.root() else { return out };
    let dist = |e: &'_ Element, child: &str| -> Option<usize> {
        e.children.iter().copied().find(|&i| {
            tree.elements
                .get(i)
                .is_some_and(|c| &*c.name == child && c.ns.as_deref() == Some(DIST_NS))
        })
    };
    let Some(module) = dist(root, "module").and_then(|i| tree.elements.get(i)) else {
        return out;
    };
    let attr = |name: &str| {
        module
            .attributes
            .iter()
            .find(|a| &*a.name == name && a.ns.as_deref() == Some(DIST_NS))
    };
    if name != "base" {
        out.kind = match attr("type").and_then(|a| a.as_str()) {
            Some("asset-pack") => "asset-pack",
            Some("ml-pack") => "ml-pack",
            _ => "feature",
        };
    }
    out.instant = attr("instant").is_some_and(is_true);
    out.title = attr("title").and_then(|a| {
        res.attr(a, None)
            .ok()
            .flatten()
            .and_then(crate::apk::resolve::Resolved::into_string)
    });
    if name == "base" {
        return out;
    }
    let delivery = dist(module, "delivery").and_then(|i| tree.elements.get(i));
    out.delivery = match delivery {
        Some(d) => {
            if let Some(it) = dist(d, "install-time").and_then(|i| tree.elements.get(i)) {
                if dist(it, "conditions").is_some() {
                    "conditional"
                } else {
                    "install-time"
                }
            } else if dist(d, "fast-follow").is_some() {
                "fast-follow"
            } else if dist(d, "on-demand").is_some() {
                "on-demand"
            } else {
                // An empty <dist:delivery> is on-demand to bundletool.
                "on-demand"
            }
        }
        None if attr("onDemand").is_some_and(is_true) => "on-demand",
        None => "install-time",
    };
    out
}

fn is_true(a: &crate::apk::axml::Attribute) -> bool {
    match a.value.data_type {
        crate::apk::res::DataType::IntBoolean => a.value.data != 0,
        _ => a.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true")),
    }
}
