//! An APK opened for reading: archive, manifest tree and resource table,
//! and the report built from them.

use crate::apk::aapt2::table::ProtoTable;
use crate::apk::aapt2::xml::ProtoXmlError;
use crate::apk::arsc::ResourceTable;
use crate::apk::axml::{AxmlError, XmlDocument, XmlTree};
use crate::apk::icon::{self, IconChoice, Layer, RasterFormat};
use crate::apk::manifest;
use crate::apk::resolve::Resolver;
use crate::apk::resolve::Table;
use crate::limits::Limits;
use crate::report::{AdaptiveReport, Filing, IconReport, LayerReport, Report};
use crate::zip::{Archive, ZipError};
use std::borrow::Cow;
use thiserror::Error;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ApkError {
    #[error(transparent)]
    Zip(#[from] ZipError),
    #[error("not an app package: no AndroidManifest.xml (Android), no Payload/ folder (iOS) and no module.json, config.json or pack.info (HarmonyOS)")]
    NoManifest,
    #[error("AndroidManifest.xml: {0}")]
    Manifest(#[from] AxmlError),
    #[error("{path}: {source}")]
    ProtoManifest {
        path: &'static str,
        source: ProtoXmlError,
    },
    #[error("the package has no icon")]
    NoIcon,
    #[error("the icon has no raster image")]
    NoRasterIcon,
    #[error("icon {path}: {msg}")]
    Image { path: String, msg: String },
}

/// Where an APK's parts lie in its archive, and in which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// An APK: `AndroidManifest.xml` and `resources.arsc` at the root, binary.
    Apk,
    /// An App Bundle's base module: `base/manifest/AndroidManifest.xml` and
    /// `base/resources.pb`, in aapt2's protobuf forms.
    Bundle,
}

impl Layout {
    pub fn manifest(self) -> &'static str {
        match self {
            Layout::Apk => "AndroidManifest.xml",
            Layout::Bundle => "base/manifest/AndroidManifest.xml",
        }
    }

    fn resources(self) -> &'static str {
        match self {
            Layout::Apk => "resources.arsc",
            Layout::Bundle => "base/resources.pb",
        }
    }

    /// The folder native libraries are under.
    fn lib(self) -> &'static str {
        match self {
            Layout::Apk => "lib/",
            Layout::Bundle => "base/lib/",
        }
    }

    /// The folder file paths in the resource table are relative to.
    fn root(self) -> &'static str {
        match self {
            Layout::Apk => "",
            Layout::Bundle => "base/",
        }
    }
}

/// Why a debug-signed package's certificate is not filed.
const DEBUG_NOTE: &str = "signed with the Android SDK's debug certificate (CN=Android Debug): a debug build, which stores refuse, signed by a key each build machine makes for itself; file the release signing certificate (inspect the release build, or the APK installed from the store)";

/// The parsed parts of an APK. Borrowed from the file's bytes where possible.
pub struct Apk<'a> {
    pub zip: Archive<'a>,
    pub layout: Layout,
    /// The manifest's elements that facts and verification read (see
    /// [`manifest::wanted`]); [`Apk::manifest_xml`] decodes the whole document.
    pub manifest: XmlTree,
    resources: Option<Cow<'a, [u8]>>,
    limits: Limits,
    warnings: Vec<String>,
}

impl<'a> Apk<'a> {
    pub fn open(data: &'a [u8], limits: &Limits) -> Result<Apk<'a>, ApkError> {
        Apk::from_archive(Archive::parse(data, limits)?, limits)
    }

    pub fn from_archive(zip: Archive<'a>, limits: &Limits) -> Result<Apk<'a>, ApkError> {
        Apk::from_archive_as(zip, Layout::Apk, limits)
    }

    /// Open the parts of `zip` found where `layout` puts them.
    pub fn from_archive_as(
        zip: Archive<'a>,
        layout: Layout,
        limits: &Limits,
    ) -> Result<Apk<'a>, ApkError> {
        let mut warnings: Vec<String> = zip.warnings().to_vec();
        if zip.data().starts_with(b"dex\n") {
            warnings.push(
                "the file is also a DEX file (Janus, CVE-2017-13156): code runs from the prepended DEX on unpatched Android with v1 signatures".into(),
            );
        }
        let manifest = match read_manifest(&zip, layout, limits)? {
            Some(tree) => tree,
            // A signed archive without a manifest still has signers worth
            // reporting (apksigner verifies such files); anything else is not an APK.
            None if is_signed(&zip) => {
                warnings
                    .push("no AndroidManifest.xml: not an installable APK, signatures only".into());
                XmlTree::default()
            }
            None => return Err(ApkError::NoManifest),
        };
        warnings.extend(
            manifest
                .warnings
                .iter()
                .map(|w| format!("{}: {w}", layout.manifest())),
        );
        let resources = match zip.find(layout.resources()).map(|e| zip.read(&e)) {
            Some(Ok(r)) => Some(r),
            Some(Err(e)) => {
                warnings.push(format!("{} unreadable: {e}", layout.resources()));
                None
            }
            None => None,
        };
        Ok(Apk {
            zip,
            layout,
            manifest,
            resources,
            limits: *limits,
            warnings,
        })
    }

    /// Parse the resource table (lazily indexed; cheap).
    pub(crate) fn table(&self, warnings: &mut Vec<String>) -> Option<Table<'_>> {
        let data = self.resources.as_deref()?;
        let name = self.layout.resources();
        let table = match self.layout {
            Layout::Apk => ResourceTable::parse_limited(data, self.limits.max_string_pool)
                .map(Table::Arsc)
                .map_err(|e| e.to_string()),
            Layout::Bundle => ProtoTable::parse(data, self.layout.root())
                .map(Table::Proto)
                .map_err(|e| e.to_string()),
        };
        match table {
            Ok(t) => {
                warnings.extend(t.warnings().iter().map(|w| format!("{name}: {w}")));
                Some(t)
            }
            Err(e) => {
                warnings.push(format!("{name}: {e}"));
                None
            }
        }
    }

    pub fn report(&self, path: &str, idsig: Option<&[u8]>) -> Report {
        let mut warnings = self.warnings.clone();
        let sigs = crate::apk::signing::read(&self.zip, idsig);
        let table = self.table(&mut warnings);
        let res = Resolver::new(table.as_ref(), self.limits.max_reference_depth);
        let f = manifest::facts(&self.manifest, &res);
        warnings.extend(f.warnings.iter().cloned());
        let icon = f.icon.map(|id| {
            let choice = icon::choose(id, &res, &self.zip);
            warnings.extend(choice.warnings.iter().cloned());
            self.icon_report(&choice, &mut warnings)
        });
        let debug = sigs
            .filing
            .as_ref()
            .filter(|c| crate::cert::is_android_debug(c))
            .map(|c| c.sha256.clone());
        let mut report = Report {
            path: path.to_string(),
            platform: "android",
            format: "apk",
            package: f.package.clone(),
            version_code: f.version_code,
            version_name: f.version_name,
            min_sdk: f.min_sdk,
            target_sdk: f.target_sdk,
            max_sdk: f.max_sdk,
            min_sdk_codename: f.min_sdk_codename,
            label: f.label,
            labels: f.labels,
            permissions: f.permissions,
            abis: self.abis(),
            launcher_activity: f.launcher_activity,
            icon,
            filing: sigs.filing.as_ref().map(|c| {
                let rotated = sigs
                    .signers
                    .iter()
                    .any(|s| s.lineage.first().is_some_and(|l| l.sha256 == c.sha256));
                let basis = if rotated {
                    "rotation-original"
                } else {
                    "signer"
                };
                Filing::from_cert("android", f.package.clone(), c, basis)
            }),
            signers: sigs.signers,
            signing_block: sigs.block,
            warnings: {
                warnings.extend(sigs.warnings);
                dedup(warnings)
            },
            ..Report::default()
        };
        if let Some(sha256) = debug {
            report.withhold_filing("debug-certificate", sha256, DEBUG_NOTE.into());
        }
        report
    }

    /// The facts `verify` needs: the SDK versions. The resource table is only
    /// walked when one of them refers into it; otherwise a verify has no use
    /// for it, and the walk maps pages all over a big table (27 MB of
    /// framework-res's 31).
    pub fn sdk_facts(&self) -> manifest::ManifestFacts {
        if manifest::sdk_needs_table(&self.manifest) {
            return self.facts();
        }
        let res = Resolver::new(None, self.limits.max_reference_depth);
        manifest::facts(&self.manifest, &res)
    }

    /// The application icon's resource id (the launcher activity's when the
    /// application has none), read from the manifest alone.
    pub fn icon_id(&self) -> Option<u32> {
        let res = Resolver::new(None, self.limits.max_reference_depth);
        manifest::facts(&self.manifest, &res).icon
    }

    /// The manifest's facts, references resolved.
    pub fn facts(&self) -> manifest::ManifestFacts {
        let mut warnings = Vec::new();
        let table = self.table(&mut warnings);
        let res = Resolver::new(table.as_ref(), self.limits.max_reference_depth);
        manifest::facts(&self.manifest, &res)
    }

    /// Native ABIs: folder names under `lib/` that hold at least one file.
    pub fn abis(&self) -> Vec<String> {
        let lib = self.layout.lib();
        abis_of(
            self.zip.with_prefix(lib).map(|e| e.name_normalized()),
            |n| n.strip_prefix(lib),
        )
    }

    fn icon_report(&self, choice: &IconChoice, warnings: &mut Vec<String>) -> IconReport {
        let mut r = IconReport::default();
        if let Some((path, density, format)) = &choice.raster {
            r.path = Some(path.clone());
            r.density = Some(*density);
            r.format = Some(format.name());
            match self.raster_size(path) {
                Ok((w, h)) => {
                    r.width = Some(w);
                    r.height = Some(h);
                }
                Err(e) => warnings.push(e.to_string()),
            }
        }
        r.adaptive = choice.adaptive.as_ref().map(|a| {
            let layer = |l: &Option<Layer>| {
                l.as_ref().map(|l| match l {
                    Layer::File(p) => LayerReport::Path(p.clone()),
                    Layer::Color(c) => LayerReport::Color(c.clone()),
                })
            };
            AdaptiveReport {
                path: a.path.clone(),
                background: layer(&a.background),
                foreground: layer(&a.foreground),
                monochrome: layer(&a.monochrome),
            }
        });
        r
    }

    fn file(&self, path: &str) -> Result<Cow<'a, [u8]>, ApkError> {
        let e = self.zip.find(path).ok_or_else(|| ApkError::Image {
            path: path.to_string(),
            msg: "missing from the archive".into(),
        })?;
        Ok(self.zip.read(&e)?)
    }

    /// The chosen icon as PNG bytes (PNG passes through untouched; WebP and
    /// JPEG are decoded and re-encoded), with the report describing it.
    pub fn icon_png(&self) -> Result<(Vec<u8>, IconReport), ApkError> {
        let mut warnings = Vec::new();
        let table = self.table(&mut warnings);
        let res = Resolver::new(table.as_ref(), self.limits.max_reference_depth);
        let f = manifest::facts(&self.manifest, &res);
        let id = f.icon.ok_or(ApkError::NoIcon)?;
        let choice = icon::choose(id, &res, &self.zip);
        let report = self.icon_report(&choice, &mut warnings);
        let (path, _, format) = choice.raster.ok_or(ApkError::NoRasterIcon)?;
        Ok((self.raster_png(&path, format)?, report))
    }

    /// A raster file of the package as PNG bytes (PNG passes through).
    pub fn raster_png(&self, path: &str, format: RasterFormat) -> Result<Vec<u8>, ApkError> {
        let data = self.file(path)?;
        match format {
            RasterFormat::Png => Ok(data.into_owned()),
            RasterFormat::Webp | RasterFormat::Jpeg => to_png(path, &data),
        }
    }

    /// Width and height of a raster file of the package, from its header.
    pub fn raster_size(&self, path: &str) -> Result<(u32, u32), ApkError> {
        self.file(path).and_then(|d| dimensions(path, &d))
    }
}

/// The ABIs of native libraries: for each entry name, `below_lib` gives
/// the part after its `lib/` folder (`<abi>/<file>`), or `None`; each ABI
/// folder that holds a file counts, sorted, once.
pub(crate) fn abis_of<'n>(
    names: impl Iterator<Item = Cow<'n, str>>,
    below_lib: impl Fn(&str) -> Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let Some(rest) = below_lib(&name) else {
            continue;
        };
        let mut parts = rest.split('/');
        if let (Some(abi), Some(file)) = (parts.next(), parts.next()) {
            if !abi.is_empty() && !file.is_empty() && !out.iter().any(|a| a == abi) {
                out.push(abi.to_string());
            }
        }
    }
    out.sort();
    out
}

/// The manifest tree with the elements facts need, or None without a manifest.
fn read_manifest(
    zip: &Archive<'_>,
    layout: Layout,
    limits: &Limits,
) -> Result<Option<XmlTree>, ApkError> {
    read_manifest_with(zip, layout, limits, &manifest::wanted)
}

fn read_manifest_with(
    zip: &Archive<'_>,
    layout: Layout,
    limits: &Limits,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Option<XmlTree>, ApkError> {
    let path = layout.manifest();
    let Some(entry) = zip.find(path) else {
        return Ok(None);
    };
    let bytes = zip.read(&entry)?;
    match layout {
        Layout::Apk => {
            let doc = XmlDocument::parse_limited(&bytes, limits.max_string_pool)?;
            Ok(Some(XmlTree::build_only(&doc, limits.max_xml_depth, keep)?))
        }
        Layout::Bundle => crate::apk::aapt2::xml::tree_only(&bytes, limits.max_xml_depth, keep)
            .map(Some)
            .map_err(|source| ApkError::ProtoManifest { path, source }),
    }
}

/// The same warning once, in first-seen order (a broken resource can be hit
/// once per configuration).
fn dedup(warnings: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(warnings.len());
    for w in warnings {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

fn is_signed(zip: &Archive<'_>) -> bool {
    !crate::apk::signing::v1::block_files(zip).is_empty()
        || matches!(
            crate::apk::signing::block::SigningBlock::find(zip.data(), zip.cd_offset),
            Ok(Some(_))
        )
}

fn image_error(path: &str, e: impl std::fmt::Display) -> ApkError {
    ApkError::Image {
        path: path.to_string(),
        msg: e.to_string(),
    }
}

/// Width and height from the image header alone.
pub(crate) fn dimensions(path: &str, data: &[u8]) -> Result<(u32, u32), ApkError> {
    image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .map_err(|e| image_error(path, e))?
        .into_dimensions()
        .map_err(|e| image_error(path, e))
}

/// Decode and re-encode as PNG, with the decoder's allocations bounded.
pub(crate) fn to_png(path: &str, data: &[u8]) -> Result<Vec<u8>, ApkError> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .map_err(|e| image_error(path, e))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(64 << 20);
    limits.max_image_width = Some(8192);
    limits.max_image_height = Some(8192);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| image_error(path, e))?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| image_error(path, e))?;
    Ok(out.into_inner())
}

impl Apk<'_> {
    /// The manifest's elements `keep` accepts (the SDK scan reads
    /// components and meta-data, which [`Apk::manifest`] leaves out).
    pub(crate) fn manifest_with(&self, keep: &dyn Fn(&str) -> bool) -> Option<XmlTree> {
        read_manifest_with(&self.zip, self.layout, &self.limits, keep)
            .ok()
            .flatten()
    }

    /// The file an `<application>` attribute names (`android:localeConfig`,
    /// `android:networkSecurityConfig`): its path and bytes; `None` when the
    /// manifest names none, an error when it names one that does not read.
    pub(crate) fn xml_resource(
        &self,
        attr_id: u32,
        attr_name: &str,
    ) -> Option<Result<(String, Vec<u8>), String>> {
        let root = self.manifest.root()?;
        let app = self.manifest.children(root, "application").next()?;
        let id = app.attr(attr_id, attr_name)?.value.reference()?;
        let mut warnings = Vec::new();
        let table = self.table(&mut warnings);
        let res = Resolver::new(table.as_ref(), self.limits.max_reference_depth);
        let Some((_, path)) = res.files(id).into_iter().next() else {
            return Some(Err(format!("{attr_name} 0x{id:08x} names no file")));
        };
        let read = || -> Result<(String, Vec<u8>), String> {
            let entry = self
                .zip
                .find(&path)
                .ok_or_else(|| format!("{attr_name} {path} is missing"))?;
            let bytes = self.zip.read(&entry).map_err(|e| e.to_string())?;
            Ok((path.clone(), bytes.into_owned()))
        };
        Some(read())
    }

    /// The locales `<application android:localeConfig>` lists (Android 13's
    /// per-app language list, `res/xml/locales_config.xml`): `None` when the
    /// manifest names none; an error when it names one that does not read.
    pub(crate) fn locale_config(&self) -> Option<Result<Vec<String>, String>> {
        const LOCALE_CONFIG: u32 = 0x0101_065b;
        let (path, bytes) = match self.xml_resource(LOCALE_CONFIG, "localeConfig")? {
            Ok(found) => found,
            Err(e) => return Some(Err(e)),
        };
        let tree = match self.layout {
            Layout::Apk => XmlDocument::parse_limited(&bytes, self.limits.max_string_pool)
                .map_err(|e| format!("{path}: {e}"))
                .and_then(|doc| {
                    XmlTree::build(&doc, self.limits.max_xml_depth)
                        .map_err(|e| format!("{path}: {e}"))
                }),
            Layout::Bundle => {
                crate::apk::aapt2::xml::tree_only(&bytes, self.limits.max_xml_depth, &|_| true)
                    .map_err(|e| format!("{path}: {e}"))
            }
        };
        Some(tree.map(|tree| {
            tree.elements
                .iter()
                .filter(|e| &*e.name == "locale")
                .filter_map(|e| {
                    e.attr(manifest::attr::NAME, "name")?
                        .as_str()
                        .map(str::to_string)
                })
                .collect()
        }))
    }

    /// The manifest as XML text; references are shown by name when the
    /// resource table knows them (`@string/app_name`), else as `@0x7f…`.
    pub fn manifest_xml(&self) -> String {
        let mut warnings = Vec::new();
        let table = self.table(&mut warnings);
        // `self.manifest` holds only the elements facts need; decode it all.
        let full = read_manifest_with(&self.zip, self.layout, &self.limits, &|_| true)
            .ok()
            .flatten();
        full.as_ref().unwrap_or(&self.manifest).to_xml(&|a| {
            if let Some(id) = a.value.reference() {
                let name = table.as_ref().and_then(|t| t.name(id));
                let android = id >> 24 == 0x01;
                return match name {
                    Some(n) => format!("@{}{n}", if android { "android:" } else { "" }),
                    None => a.value.display(),
                };
            }
            match a.as_str() {
                Some(s)
                    if a.value.data_type == crate::apk::res::DataType::String
                        || a.value.data_type == crate::apk::res::DataType::Null =>
                {
                    s.to_string()
                }
                _ => a.value.display(),
            }
        })
    }
}
