//! HarmonyOS packages: a module (`.hap`, or `.hsp` for a shared package) is
//! a ZIP with `module.json` (stage model) or `config.json` (FA model),
//! `resources.index` and its resources, signed with a signing block before
//! the central directory; an app (`.app`) is a ZIP of modules plus
//! `pack.info`, with a signing block of its own.
//!
//! A module is read in place; an `.app`'s entry module is read from its
//! entry (stored in every `.app` we know, so still in place) when its facts
//! are asked for.

pub mod module;
pub mod profile;
pub mod resindex;
pub mod signing;
pub mod verify;

use crate::apk::icon::RasterFormat;
use crate::apk::package::{dimensions, to_png};
use crate::cert;
use crate::report::{
    Filing, IconReport, LayeredReport, ModuleReport, Report, Signer, SigningBlockReport,
};
use crate::zip::{Archive, Method, ZipError};
use crate::Limits;
use module::{ModuleInfo, PackInfo, ResRef};
use resindex::ResIndex;
use signing::{SigningBlock, SubBlockType};
use std::borrow::Cow;
use std::collections::BTreeMap;
use thiserror::Error;

/// Bytes we read of `module.json`, `config.json`, `pack.info` and a
/// layered-image JSON (real ones are a few KiB).
const MAX_JSON: u64 = 4 << 20;
/// Bytes we read of `resources.index` (big apps' are a few MiB).
const MAX_INDEX: u64 = 64 << 20;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum HapError {
    #[error(transparent)]
    Zip(#[from] ZipError),
    #[error("{path}: {msg}")]
    Json { path: String, msg: String },
    #[error("not an app package: its module.json / config.json has no `app` and `module` objects (HarmonyOS) and there is no AndroidManifest.xml (Android) or Payload/ folder (iOS)")]
    NotHap,
    #[error("the .app's pack.info names no entry module that it holds")]
    NoEntryModule,
    /// An `.app`'s module could not be read.
    #[error("{name}: {source}")]
    Module { name: String, source: Box<HapError> },
    #[error("the package has no icon")]
    NoIcon,
    #[error("icon {path}: {msg}")]
    Image { path: String, msg: String },
}

/// Which HarmonyOS package this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hap,
    Hsp,
    App,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Hap => "hap",
            Format::Hsp => "hsp",
            Format::App => "app",
        }
    }
}

/// Is this ZIP a HarmonyOS package? A module description at the root, or
/// `pack.info` beside `.hap`/`.hsp` files (an `.app`).
pub fn format_of(zip: &Archive<'_>) -> Option<Format> {
    if zip.find("module.json").is_some() || zip.find("config.json").is_some() {
        return Some(Format::Hap);
    }
    let modules = zip.entries().take(4096).any(|e| {
        let n = e.name_normalized();
        !n.contains('/') && (n.ends_with(".hap") || n.ends_with(".hsp"))
    });
    (zip.find("pack.info").is_some() && modules).then_some(Format::App)
}

/// A HarmonyOS package, opened.
pub struct Hap<'a> {
    zip: Archive<'a>,
    pub format: Format,
    /// The module's description (for an `.app`, from `pack.info` only; the
    /// entry module's is read by [`Hap::entry`]).
    pub info: ModuleInfo,
    /// `module.json` / `config.json` as stored (an `.app`: `pack.info`).
    pub description: (&'static str, Vec<u8>),
    pub pack: Option<PackInfo>,
    pub block: Option<SigningBlock<'a>>,
    /// A signing block's tail is there but the block does not read.
    block_damaged: bool,
    limits: Limits,
    warnings: Vec<String>,
}

fn json_error(path: &str, msg: impl std::fmt::Display) -> HapError {
    HapError::Json {
        path: path.to_string(),
        msg: msg.to_string(),
    }
}

impl<'a> Hap<'a> {
    pub fn from_archive(zip: Archive<'a>, limits: &Limits) -> Result<Hap<'a>, HapError> {
        let mut warnings: Vec<String> = zip.warnings().to_vec();
        let read_json =
            |name: &'static str| -> Result<Option<(Vec<u8>, serde_json::Value)>, HapError> {
                let Some(e) = zip.find(name) else {
                    return Ok(None);
                };
                let data = zip.read_capped(&e, MAX_JSON)?.into_owned();
                let json = module::parse_json(&data).map_err(|m| json_error(name, m))?;
                Ok(Some((data, json)))
            };
        let pack = match read_json("pack.info") {
            Ok(p) => p,
            Err(e) => {
                warnings.push(e.to_string());
                None
            }
        };
        // A ZIP that merely holds a `config.json` (web archives do) is not
        // a module: a module's description has `app` and `module`.
        let described = |(raw, json): (Vec<u8>, serde_json::Value)| {
            (json.get("app").is_some_and(|a| a.is_object())
                && json.get("module").is_some_and(|m| m.is_object()))
            .then_some((raw, json))
        };
        let module_json = read_json("module.json")?.and_then(described);
        let config_json = match module_json {
            Some(_) => None,
            None => read_json("config.json")?.and_then(described),
        };
        if module_json.is_none() && config_json.is_none() && pack.is_none() {
            return Err(HapError::NotHap);
        }
        let (format, info, description) = if let Some((raw, json)) = module_json {
            let info = module::stage(&json);
            let format = if info.module_type.as_deref() == Some("shared") {
                Format::Hsp
            } else {
                Format::Hap
            };
            (format, info, ("module.json", raw))
        } else if let Some((raw, json)) = config_json {
            (Format::Hap, module::fa(&json), ("config.json", raw))
        } else {
            let (raw, _) = pack.clone().unwrap_or_default();
            (Format::App, ModuleInfo::default(), ("pack.info", raw))
        };
        let pack = pack.map(|(_, json)| module::pack_info(&json));
        let (block, block_damaged) = match SigningBlock::find(zip.data(), zip.cd_offset) {
            Ok(b) => (b, false),
            Err(e) => {
                warnings.push(e.to_string());
                (None, true)
            }
        };
        Ok(Hap {
            zip,
            format,
            info,
            description,
            pack,
            block,
            block_damaged,
            limits: *limits,
            warnings,
        })
    }

    pub fn archive(&self) -> &Archive<'a> {
        &self.zip
    }

    /// The bytes of an `.app`'s entry module (the first `entry` package
    /// of `pack.info` the app holds, else the first `.hap`), and its name.
    pub fn entry_module(&self) -> Result<(String, Cow<'a, [u8]>), HapError> {
        // Lazily: the directory is walked only when pack.info names no
        // entry module the app holds.
        let names = self
            .pack
            .iter()
            .flat_map(|p| &p.packages)
            .filter(|p| p.module_type.as_deref() == Some("entry"))
            .map(|p| format!("{}.hap", p.name))
            .chain(
                self.zip
                    .entries()
                    .map(|e| e.name_normalized().into_owned())
                    .filter(|n| !n.contains('/') && n.ends_with(".hap")),
            );
        for name in names {
            if let Some(e) = self.zip.find(&name) {
                // Stored (as packing tools write them): read in place at any
                // size; compressed: inflated within max-entry-size.
                let data = match e.method {
                    Method::Stored => Cow::Borrowed(self.zip.raw_data(&e)?),
                    _ => self.zip.read(&e)?,
                };
                return Ok((name, data));
            }
        }
        Err(HapError::NoEntryModule)
    }

    /// Run `f` on an `.app`'s entry module, opened; errors name the module.
    fn with_entry<R>(
        &self,
        f: impl FnOnce(&str, &Hap<'_>) -> Result<R, HapError>,
    ) -> Result<R, HapError> {
        let (name, data) = self.entry_module()?;
        let named = |e: HapError| HapError::Module {
            name: name.clone(),
            source: Box::new(e),
        };
        let zip = Archive::parse(&data, &self.limits).map_err(|e| named(e.into()))?;
        let inner = Hap::from_archive(zip, &self.limits).map_err(named)?;
        f(&name, &inner)
    }

    /// Read a file of the module (capped).
    fn file(&self, path: &str, cap: u64) -> Option<Cow<'a, [u8]>> {
        self.zip
            .find(path)
            .and_then(|e| self.zip.read_capped(&e, cap).ok())
    }

    /// `resources.index`: at the root (stage model), or under
    /// `assets/<module>/` (FA model).
    fn index_bytes(&self, warnings: &mut Vec<String>) -> Option<Cow<'a, [u8]>> {
        let e = self.zip.find("resources.index").or_else(|| {
            let fa = self
                .info
                .module_name
                .as_deref()
                .map(|m| format!("assets/{m}/resources.index"));
            fa.and_then(|p| self.zip.find(&p)).or_else(|| {
                self.zip.with_prefix("assets/").find(|e| {
                    let n = e.name_normalized();
                    n.ends_with("/resources.index") && n.matches('/').count() == 2
                })
            })
        })?;
        match self.zip.read_capped(&e, MAX_INDEX) {
            Ok(d) => Some(d),
            Err(err) => {
                warnings.push(format!("resources.index: {err}"));
                None
            }
        }
    }

    /// Label, labels, icon and ABIs of a module (not of an `.app`).
    fn module_facts(&self, warnings: &mut Vec<String>) -> ModuleFacts {
        let mut out = ModuleFacts {
            abis: crate::apk::package::abis_of(
                self.zip.with_prefix("libs/").map(|e| e.name_normalized()),
                |n| n.strip_prefix("libs/"),
            ),
            ..ModuleFacts::default()
        };
        let launcher = module::launcher(&self.info);
        let index_data = self.index_bytes(warnings);
        let index = match index_data.as_deref().map(ResIndex::parse) {
            Some(Ok(i)) => Some(i),
            Some(Err(e)) => {
                warnings.push(e.to_string());
                None
            }
            None => None,
        };
        // The launcher shows its ability's label and icon; the app's when
        // the ability has none (or no ability has the home skill).
        let label_ref = launcher
            .map(|a| &a.label)
            .filter(|r| !r.is_empty())
            .unwrap_or(&self.info.app_label);
        let (label, labels) = strings(index.as_ref(), label_ref, warnings);
        out.label = label;
        out.labels = labels;
        let icon_ref = launcher
            .map(|a| &a.icon)
            .filter(|r| !r.is_empty())
            .unwrap_or(&self.info.app_icon);
        if let Some(index) = &index {
            out.icon = self.icon(index, icon_ref, warnings);
        }
        out
    }

    /// The icon: a media raster, or a `layered-image` JSON's two layers.
    fn icon(
        &self,
        index: &ResIndex<'_>,
        r: &ResRef,
        warnings: &mut Vec<String>,
    ) -> Option<IconChoice> {
        let path = media_path(index, r, &self.zip)?;
        if !path.ends_with(".json") {
            return Some(IconChoice::Raster(path));
        }
        let data = self.file(&path, MAX_JSON)?;
        let json = match module::parse_json(&data) {
            Ok(j) => j,
            Err(e) => {
                warnings.push(format!("{path}: {e}"));
                return None;
            }
        };
        let layered = json.get("layered-image")?;
        let layer = |k: &str| {
            let text = layered.get(k).and_then(|v| v.as_str())?;
            let r = match text.strip_prefix("$media:").map(str::parse::<u32>) {
                Some(Ok(id)) => ResRef {
                    id: Some(id),
                    text: None,
                },
                _ => ResRef {
                    id: None,
                    text: Some(text.to_string()),
                },
            };
            media_path(index, &r, &self.zip)
        };
        Some(IconChoice::Layered {
            path: path.clone(),
            background: layer("background"),
            foreground: layer("foreground"),
        })
    }

    fn icon_report(&self, choice: &IconChoice, warnings: &mut Vec<String>) -> IconReport {
        let mut r = IconReport::default();
        let sized = match choice {
            IconChoice::Raster(path) => {
                r.path = Some(path.clone());
                Some(path)
            }
            IconChoice::Layered {
                path,
                background,
                foreground,
            } => {
                r.layered = Some(LayeredReport {
                    path: path.clone(),
                    background: background.clone(),
                    foreground: foreground.clone(),
                });
                background.as_ref().or(foreground.as_ref())
            }
        };
        if let Some(path) = sized {
            r.format = RasterFormat::from_path(path).map(RasterFormat::name);
            match self
                .file(path, self.limits.max_entry_size)
                .map(|d| dimensions(path, &d))
            {
                Some(Ok((w, h))) => {
                    r.width = Some(w);
                    r.height = Some(h);
                }
                Some(Err(e)) => warnings.push(e.to_string()),
                None => warnings.push(format!("icon {path}: not in the package")),
            }
        }
        if matches!(choice, IconChoice::Layered { .. }) {
            r.format = Some("png");
        }
        r
    }

    /// The icon as PNG bytes, and where it came from. A layered icon is
    /// its foreground drawn over its background, at the background's size.
    pub fn icon_png(&self) -> Result<(Vec<u8>, String), HapError> {
        if self.format == Format::App {
            return self.with_entry(|name, inner| {
                let (png, path) = inner.icon_png()?;
                Ok((png, format!("{name}!{path}")))
            });
        }
        let mut warnings = Vec::new();
        let choice = self
            .module_facts(&mut warnings)
            .icon
            .ok_or(HapError::NoIcon)?;
        let read = |path: &str| -> Result<image::RgbaImage, HapError> {
            let data =
                self.file(path, self.limits.max_entry_size)
                    .ok_or_else(|| HapError::Image {
                        path: path.to_string(),
                        msg: "not in the package".into(),
                    })?;
            let png = to_png(path, &data).map_err(|e| HapError::Image {
                path: path.to_string(),
                msg: e.to_string(),
            })?;
            image::load_from_memory_with_format(&png, image::ImageFormat::Png)
                .map(|i| i.to_rgba8())
                .map_err(|e| HapError::Image {
                    path: path.to_string(),
                    msg: e.to_string(),
                })
        };
        match choice {
            IconChoice::Raster(path) => {
                let data = self
                    .file(&path, self.limits.max_entry_size)
                    .ok_or(HapError::NoIcon)?;
                let png = if RasterFormat::from_path(&path) == Some(RasterFormat::Png) {
                    data.into_owned()
                } else {
                    to_png(&path, &data).map_err(|e| HapError::Image {
                        path: path.clone(),
                        msg: e.to_string(),
                    })?
                };
                Ok((png, path))
            }
            IconChoice::Layered {
                path,
                background,
                foreground,
            } => {
                let bg = background.as_deref().map(read).transpose()?;
                let fg = foreground.as_deref().map(read).transpose()?;
                let mut canvas = match (bg, &fg) {
                    (Some(bg), _) => bg,
                    (None, Some(fg)) => image::RgbaImage::new(fg.width(), fg.height()),
                    (None, None) => return Err(HapError::NoIcon),
                };
                if let Some(fg) = fg {
                    let (w, h) = canvas.dimensions();
                    let fg = if fg.dimensions() == (w, h) {
                        fg
                    } else {
                        image::imageops::resize(&fg, w, h, image::imageops::FilterType::Triangle)
                    };
                    image::imageops::overlay(&mut canvas, &fg, 0, 0);
                }
                let mut out = std::io::Cursor::new(Vec::new());
                canvas
                    .write_to(&mut out, image::ImageFormat::Png)
                    .map_err(|e| HapError::Image {
                        path: path.clone(),
                        msg: e.to_string(),
                    })?;
                Ok((out.into_inner(), path))
            }
        }
    }

    /// The signers: the signature sub-block's leaf (found by the
    /// SignerInfo's issuer and serial; the list puts the root first) with
    /// the rest of its certificates as the chain.
    fn signers(&self, warnings: &mut Vec<String>) -> Vec<Signer> {
        let Some(block) = &self.block else {
            return Vec::new();
        };
        let Some(sig) = block.get(SubBlockType::Signature) else {
            warnings.push("the signing block has no signature sub-block".into());
            return Vec::new();
        };
        let sd = match cert::pkcs7::parse_limited(sig.value, self.limits.max_certificates) {
            Ok(sd) => sd,
            Err(e) => {
                warnings.push(format!("signature sub-block: {e}"));
                return Vec::new();
            }
        };
        let Some(leaf) = sd.signers.first().and_then(|si| sd.certificate_of(si)) else {
            warnings.push(
                "signature sub-block: no certificate matches the signer's issuer and serial".into(),
            );
            return Vec::new();
        };
        vec![cert::signer_with_chain(
            block.magic.scheme(),
            leaf,
            &sd.certificates,
            warnings,
        )]
    }

    fn block_report(&self) -> Option<SigningBlockReport> {
        let b = self.block.as_ref()?;
        Some(SigningBlockReport {
            offset: b.offset,
            size: b.size,
            blocks: b
                .sub_blocks
                .iter()
                .map(|s| crate::report::BlockReport {
                    id: format!("{:#010x}", s.raw_type),
                    name: s.kind.name(),
                    size: s.value.len(),
                })
                .collect(),
            channel: None,
            version: Some(b.version),
        })
    }

    pub fn report(&self, path: &str) -> Report {
        let mut warnings = self.warnings.clone();
        let mut r = Report {
            path: path.to_string(),
            platform: "harmonyos",
            format: self.format.name(),
            ..Report::default()
        };
        // An .app: the entry module's facts are the app's.
        let (info, facts) = if self.format == Format::App {
            match self.with_entry(|name, inner| {
                let mut w = Vec::new();
                let mut facts = inner.module_facts(&mut w);
                warnings.extend(w.into_iter().map(|m| format!("{name}: {m}")));
                // Icon sizes are read from the module, so report it here.
                facts.icon_report = facts.icon.as_ref().map(|c| {
                    let mut w = Vec::new();
                    let mut rep = inner.icon_report(c, &mut w);
                    warnings.extend(w.into_iter().map(|m| format!("{name}: {m}")));
                    // Paths in an .app name their module: `entry.hap!resources/…`.
                    let mut paths: Vec<&mut String> = rep.path.iter_mut().collect();
                    if let Some(l) = &mut rep.layered {
                        paths.push(&mut l.path);
                        paths.extend(l.background.iter_mut().chain(l.foreground.iter_mut()));
                    }
                    for p in paths {
                        *p = format!("{name}!{p}");
                    }
                    rep
                });
                Ok((inner.info.clone(), facts))
            }) {
                Ok(x) => x,
                Err(e) => {
                    warnings.push(e.to_string());
                    (ModuleInfo::default(), ModuleFacts::default())
                }
            }
        } else {
            let mut facts = self.module_facts(&mut warnings);
            facts.icon_report = facts
                .icon
                .as_ref()
                .map(|c| self.icon_report(c, &mut warnings));
            (self.info.clone(), facts)
        };
        let pack = self.pack.as_ref();
        r.package = info
            .bundle_name
            .clone()
            .or_else(|| pack.and_then(|p| p.bundle_name.clone()));
        r.version_code = info
            .version_code
            .or_else(|| pack.and_then(|p| p.version_code));
        r.version_name = info
            .version_name
            .clone()
            .or_else(|| pack.and_then(|p| p.version_name.clone()));
        let min = info.min_api_version.or_else(|| pack.and_then(|p| p.api.0));
        let target = info
            .target_api_version
            .or_else(|| pack.and_then(|p| p.api.1));
        if let Some(v) = min {
            let (level, os) = module::api_level(v);
            r.min_api = Some(level);
            r.min_os = os;
        }
        r.target_api = target.map(|v| module::api_level(v).0);
        r.api_release_type = info
            .api_release_type
            .clone()
            .or_else(|| pack.and_then(|p| p.api.2.clone()));
        r.device_types = Some(info.device_types.clone());
        r.main_ability = module::launcher(&info).map(|a| a.name.clone());
        r.permissions = info.permissions.clone();
        r.label = facts.label;
        r.labels = facts.labels;
        r.abis = facts.abis;
        r.icon = facts.icon_report;
        if self.format == Format::App {
            r.modules = Some(
                pack.iter()
                    .flat_map(|p| &p.packages)
                    .map(|p| {
                        let kind = match p.module_type.as_deref() {
                            Some("entry") => "entry",
                            Some("feature") => "feature",
                            Some("shared") => "shared",
                            _ => "unknown",
                        };
                        let ext = if kind == "shared" { "hsp" } else { "hap" };
                        let file = format!("{}.{ext}", p.name);
                        ModuleReport {
                            name: p.name.clone(),
                            kind,
                            delivery: if p.delivery_with_install == Some(false) {
                                "on-demand"
                            } else {
                                "install-time"
                            },
                            path: self.zip.find(&file).is_some().then_some(file),
                            device_types: Some(p.device_types.clone()),
                            ..ModuleReport::default()
                        }
                    })
                    .collect(),
            );
        }

        r.signers = self.signers(&mut warnings);
        r.signing_block = self.block_report();
        if self.block.is_none() && !self.block_damaged {
            warnings.push("not signed: the package has no HarmonyOS signing block".into());
        }
        let profile = self
            .block
            .as_ref()
            .and_then(|b| b.get(SubBlockType::Profile))
            .and_then(
                |p| match profile::read(p.value, self.limits.max_certificates) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        warnings.push(e);
                        None
                    }
                },
            );
        let leaf = r.signers.first().map(|s| s.certificate.clone());
        if let (Some(p), Some(leaf)) = (&profile, &leaf) {
            if let Some(c) = &p.report.certificate {
                if c.sha256 != leaf.sha256 {
                    warnings.push(format!(
                        "the profile's {} certificate ({}, SHA-256 {}) is not the certificate that signed the package ({}, SHA-256 {})",
                        p.report.kind.as_deref().unwrap_or("signing"),
                        c.subject,
                        c.sha256,
                        leaf.subject,
                        leaf.sha256
                    ));
                }
            }
        }
        if let (Some(p), Some(pkg)) = (&profile, &r.package) {
            if let Some(b) = p.report.bundle_name.as_deref().filter(|b| b != pkg) {
                warnings.push(format!(
                    "the profile is for bundle {b}, the package is {pkg}"
                ));
            }
        }
        let debug = profile
            .as_ref()
            .is_some_and(|p| p.report.kind.as_deref() == Some("debug"));
        r.harmony_profile = profile.map(|p| p.report);
        r.filing = leaf
            .as_ref()
            .map(|c| Filing::from_cert("harmonyos", r.package.clone(), c, "signing-block-leaf"));
        r.warnings = warnings;
        if let Some(leaf) = leaf {
            if debug {
                r.withhold_filing(
                    "development-certificate",
                    leaf.sha256,
                    DEBUG_PROFILE_NOTE.into(),
                );
            } else if cert::is_openharmony_test(&leaf) {
                r.withhold_filing(
                    "test-certificate",
                    leaf.sha256,
                    OPENHARMONY_TEST_NOTE.into(),
                );
            }
        }
        r
    }

    /// The description as text: `module.json` / `config.json` (an `.app`:
    /// its entry module's), pretty-printed.
    pub fn manifest_text(&self) -> Result<String, HapError> {
        if self.format == Format::App {
            return self.with_entry(|_, inner| inner.manifest_text());
        }
        let (name, raw) = &self.description;
        let json = module::parse_json(raw).map_err(|m| json_error(name, m))?;
        serde_json::to_string_pretty(&json).map_err(|m| json_error(name, m))
    }
}

/// Why the filing block is withheld for a package signed under a debug profile.
pub const DEBUG_PROFILE_NOTE: &str = "signed under a debug profile: its development certificate is not the one to file; file the release certificate's public key and fingerprint (the distribution certificate of your AppGallery Connect release profile), read from a release-signed package";

/// Why the filing block is withheld for a package signed under
/// OpenHarmony's public test CA.
pub const OPENHARMONY_TEST_NOTE: &str = "signed with a certificate of OpenHarmony's public test CA (its keys ship with the SDK, so it identifies nobody): not the one to file; file the release certificate's public key and fingerprint (the distribution certificate of your AppGallery Connect release profile), read from a release-signed package";

#[derive(Debug, Default)]
struct ModuleFacts {
    label: Option<String>,
    labels: BTreeMap<String, String>,
    abis: Vec<String>,
    icon: Option<IconChoice>,
    icon_report: Option<IconReport>,
}

#[derive(Debug, Clone)]
enum IconChoice {
    Raster(String),
    Layered {
        path: String,
        background: Option<String>,
        foreground: Option<String>,
    },
}

/// The entries a reference names: by id when the compiler wrote one, else
/// by `$type:name`.
fn entries_of<'i>(index: &'i ResIndex<'_>, r: &ResRef) -> Vec<resindex::Entry<'i>> {
    if let Some(id) = r.id {
        if let Ok(v) = index.lookup(id) {
            if !v.is_empty() {
                return v;
            }
        }
    }
    let Some((_, name)) = r.symbol() else {
        return Vec::new();
    };
    index
        .entries()
        .filter_map(Result::ok)
        .filter(|e| e.name == name)
        .collect()
}

/// The base value and every locale's of a string reference; a literal
/// label is its own value.
fn strings(
    index: Option<&ResIndex<'_>>,
    r: &ResRef,
    warnings: &mut Vec<String>,
) -> (Option<String>, BTreeMap<String, String>) {
    let mut labels = BTreeMap::new();
    if r.symbol().is_none() && r.id.is_none() {
        return (r.text.clone().filter(|t| !t.is_empty()), labels);
    }
    let Some(index) = index else {
        warnings.push(format!(
            "label {} not resolved: no readable resources.index",
            r.text.as_deref().unwrap_or("")
        ));
        return (None, labels);
    };
    let mut base = None;
    let mut other = None;
    for e in entries_of(index, r) {
        let config = index.config_of(&e);
        let text = e.text().into_owned();
        if config.is_none_or(|c| c.is_base()) {
            base = Some(text);
        } else if let Some((c, locale)) = config.and_then(|c| Some((c, c.locale()?))) {
            // A locale's own value beats one qualified further (dark mode,
            // a device type) for the same locale, whatever their order.
            let plain = c.params.iter().all(|p| {
                matches!(
                    p.key,
                    resindex::KeyType::Language
                        | resindex::KeyType::Script
                        | resindex::KeyType::Region
                )
            });
            if plain {
                labels.insert(locale, text);
            } else {
                labels.entry(locale).or_insert(text);
            }
        } else if other.is_none() {
            other = Some(text);
        }
    }
    if base.is_none() && other.is_none() && labels.is_empty() {
        warnings.push(format!(
            "label {} (id {}) is not in resources.index",
            r.text.as_deref().unwrap_or(""),
            r.id.map(|i| format!("{i:#010x}")).unwrap_or_default()
        ));
    }
    (base.or(other), labels)
}

/// The ZIP path of a media reference's best file: configurations without
/// a locale or dark mode first, the densest of those. `resources.index`
/// writes media paths from the module's folder (`entry/resources/…`).
fn media_path(index: &ResIndex<'_>, r: &ResRef, zip: &Archive<'_>) -> Option<String> {
    let mut best: Option<(u32, String)> = None;
    for e in entries_of(index, r) {
        let config = index.config_of(&e);
        let rank = config.map_or(1, icon_rank);
        if rank == 0 {
            continue;
        }
        // Stage modules hold `entry/resources/…` at `resources/…`; FA
        // modules keep the module folder under `assets/`.
        let value = e.text();
        let dropped = value.split_once('/').map(|(_, rest)| rest.to_string());
        let fa = format!("assets/{value}");
        let found = [dropped.as_deref(), Some(value.as_ref()), Some(fa.as_str())]
            .into_iter()
            .flatten()
            .find(|p| zip.find(p).is_some())
            .map(str::to_string);
        let path = found
            .or_else(|| dropped.clone())
            .unwrap_or_else(|| value.to_string());
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, path));
        }
    }
    best.map(|(_, p)| p)
}

/// How good a configuration's media is for the icon: 0 for a locale's or
/// dark mode's own, else 1 + its density (the base has none).
fn icon_rank(c: &resindex::Config) -> u32 {
    if c.locale().is_some() || c.color_mode().and_then(resindex::color_mode_name) == Some("dark") {
        return 0;
    }
    1 + c.density().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels from both layouts of the same index: the base value, and a
    /// locale's own value preferred to one qualified further (zh-CN for
    /// mobile network 460-01).
    #[test]
    fn labels_in_every_locale_from_both_layouts() {
        for layout in ["v1", "v2"] {
            let path = format!(
                "{}/fixtures/resindex/locales-{layout}.index",
                env!("CARGO_MANIFEST_DIR")
            );
            let data = std::fs::read(path).unwrap();
            let index = ResIndex::parse(&data).unwrap();
            let mut warnings = Vec::new();
            let by_id = ResRef {
                id: Some(0x0100_0000),
                text: Some("$string:app_name".into()),
            };
            let (base, labels) = strings(Some(&index), &by_id, &mut warnings);
            assert_eq!(base.as_deref(), Some("Locales"), "{layout}");
            assert_eq!(
                labels.get("zh-CN").map(String::as_str),
                Some("多语言"),
                "{layout}"
            );
            assert_eq!(labels.get("zh-Hant-TW").map(String::as_str), Some("多語言"));
            assert_eq!(labels.get("es-419").map(String::as_str), Some("Idiomas"));
            assert_eq!(
                labels.get("en-US").map(String::as_str),
                Some("Locales (US)")
            );
            assert!(warnings.is_empty(), "{warnings:?}");
            // Without an id, the `$string:` name finds the same values.
            let by_name = ResRef {
                id: None,
                text: Some("$string:app_name".into()),
            };
            assert_eq!(
                strings(Some(&index), &by_name, &mut warnings),
                (base, labels)
            );
            // A literal label is its own value; an id that is not there warns.
            let literal = ResRef {
                id: None,
                text: Some("Plain".into()),
            };
            assert_eq!(
                strings(Some(&index), &literal, &mut warnings).0.as_deref(),
                Some("Plain")
            );
            let missing = ResRef {
                id: Some(0x0100_00ff),
                text: None,
            };
            assert_eq!(strings(Some(&index), &missing, &mut warnings).0, None);
            assert_eq!(warnings.len(), 1);
        }
    }
}
