//! Choosing the application icon: the highest-density raster of the icon
//! resource, with adaptive-icon layers reported beside it.

use crate::apk::arsc::Config;
use crate::apk::axml::{XmlDocument, XmlTree};
use crate::apk::manifest::attr;
use crate::apk::res::DataType;
use crate::apk::resolve::Resolver;
use crate::zip::Archive;

/// Raster formats a launcher can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RasterFormat {
    Png,
    Webp,
    Jpeg,
}

impl RasterFormat {
    pub fn from_path(path: &str) -> Option<RasterFormat> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".png") {
            Some(RasterFormat::Png)
        } else if lower.ends_with(".webp") {
            Some(RasterFormat::Webp)
        } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
            Some(RasterFormat::Jpeg)
        } else {
            None
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            RasterFormat::Png => "png",
            RasterFormat::Webp => "webp",
            RasterFormat::Jpeg => "jpeg",
        }
    }
}

/// One layer of an adaptive icon: a file, or a colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    File(String),
    Color(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdaptiveIcon {
    /// The `<adaptive-icon>` XML file.
    pub path: String,
    pub background: Option<Layer>,
    pub foreground: Option<Layer>,
    pub monochrome: Option<Layer>,
}

/// The chosen icon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IconChoice {
    /// Best raster, when the resource has one.
    pub raster: Option<(String, u16, RasterFormat)>,
    pub adaptive: Option<AdaptiveIcon>,
    pub warnings: Vec<String>,
}

/// Density rank: real densities by value (default = 160); nodpi/anydpi rasters
/// come last since they are not meant for a particular screen.
fn rank(c: &Config) -> u32 {
    match c.density() {
        0 => 160,
        0xfffe | 0xffff => 1,
        d => u32::from(d),
    }
}

/// How a raster's configuration ranks for the icon (higher is better):
/// locale-less, then highest density, then highest API level. A split set
/// ranks the rasters of all its APKs with it.
pub fn raster_rank(c: &Config) -> (bool, u32, u16) {
    (c.is_default_locale(), rank(c), c.sdk_version())
}

/// Reported density: 0 (default) is mdpi.
pub fn reported_density(c: &Config) -> u16 {
    match c.density() {
        0 => 160,
        d => d,
    }
}

pub fn choose(id: u32, res: &Resolver<'_, '_>, zip: &Archive<'_>) -> IconChoice {
    let mut out = IconChoice::default();
    let files = res.files(id);
    out.raster = files
        .iter()
        .filter_map(|(c, p)| RasterFormat::from_path(p).map(|f| (c, p, f)))
        .max_by_key(|(c, _, _)| raster_rank(c))
        .map(|(c, p, f)| (p.clone(), reported_density(c), f));
    let xml = files
        .iter()
        .filter(|(_, p)| p.ends_with(".xml"))
        .max_by_key(|(c, _)| (c.is_default_locale(), c.sdk_version()));
    if let Some((_, path)) = xml {
        match adaptive(path, res, zip) {
            Ok(Some(a)) => out.adaptive = Some(a),
            Ok(None) => {}
            Err(w) => out.warnings.push(w),
        }
    }
    if out.raster.is_none() {
        out.warnings.push(if files.is_empty() {
            format!("icon resource 0x{id:08x} not found in the resource table")
        } else {
            format!(
                "icon resource 0x{id:08x} has no raster image (only {})",
                files
                    .iter()
                    .map(|(_, p)| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    }
    out
}

fn adaptive(
    path: &str,
    res: &Resolver<'_, '_>,
    zip: &Archive<'_>,
) -> Result<Option<AdaptiveIcon>, String> {
    let entry = zip
        .find(path)
        .ok_or_else(|| format!("icon file {path} is missing from the archive"))?;
    let data = zip
        .read_capped(&entry, 1 << 20)
        .map_err(|e| e.to_string())?;
    let tree =
        xml_tree(&data, zip.limits().max_string_pool, 32).map_err(|e| format!("{path}: {e}"))?;
    let Some(root) = tree.root() else {
        return Ok(None);
    };
    if &*root.name != "adaptive-icon" {
        return Ok(None);
    }
    let layer = |name: &str| -> Option<Layer> {
        let el = tree.children(root, name).next()?;
        let a = el.attr(attr::DRAWABLE, "drawable")?;
        if let Some(id) = a.value.reference() {
            let files = res.files(id);
            if let Some((c, p)) = files
                .iter()
                .max_by_key(|(c, p)| (RasterFormat::from_path(p).is_some(), rank(c)))
            {
                let _ = c;
                return Some(Layer::File(p.clone()));
            }
            // A colour resource.
            return match res.resolve(a.value, None).ok().flatten() {
                Some(crate::apk::resolve::Resolved::Other(v)) if is_color(v.data_type) => {
                    Some(Layer::Color(format!("#{:08x}", v.data)))
                }
                _ => None,
            };
        }
        if is_color(a.value.data_type) {
            return Some(Layer::Color(format!("#{:08x}", a.value.data)));
        }
        None
    };
    Ok(Some(AdaptiveIcon {
        path: path.to_string(),
        background: layer("background"),
        foreground: layer("foreground"),
        monochrome: layer("monochrome"),
    }))
}

/// An XML resource as a tree: binary XML in an APK, aapt2's protobuf XML
/// in an App Bundle (told apart by their first bytes).
pub fn xml_tree(data: &[u8], max_string_pool: usize, max_depth: usize) -> Result<XmlTree, String> {
    if crate::apk::aapt2::xml::is_proto_xml(data) {
        return crate::apk::aapt2::xml::tree(data, max_depth).map_err(|e| e.to_string());
    }
    let doc = XmlDocument::parse_limited(data, max_string_pool).map_err(|e| e.to_string())?;
    XmlTree::build(&doc, max_depth).map_err(|e| e.to_string())
}

fn is_color(t: DataType) -> bool {
    matches!(
        t,
        DataType::ColorArgb8 | DataType::ColorRgb8 | DataType::ColorArgb4 | DataType::ColorRgb4
    )
}
