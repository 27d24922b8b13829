//! The owned report the CLI prints: one per package, the same shape for every
//! platform. Field names are a public contract (README, "JSON contract").

pub mod text;

use serde::Serialize;
use std::collections::BTreeMap;

/// Everything apkinfo says about one package.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub path: String,
    /// "android" (and later "ios", "harmonyos").
    pub platform: &'static str,
    /// "apk".
    pub format: &'static str,
    pub package: Option<String>,
    /// `longVersionCode`: versionCodeMajor in the high 32 bits.
    pub version_code: Option<u64>,
    pub version_name: Option<String>,
    pub min_sdk: Option<u32>,
    pub target_sdk: Option<u32>,
    pub max_sdk: Option<u32>,
    /// Preview codename when minSdkVersion names one (min_sdk is then 10000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_sdk_codename: Option<String>,
    /// The label a device with no particular locale shows.
    pub label: Option<String>,
    /// BCP-47 locale → label, for each locale that has its own.
    pub labels: BTreeMap<String, String>,
    pub permissions: Vec<String>,
    /// Native ABIs, from the `lib/<abi>/` folders.
    pub abis: Vec<String>,
    pub launcher_activity: Option<String>,
    pub icon: Option<IconReport>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IconReport {
    /// The chosen raster inside the package; null when the icon has none.
    pub path: Option<String>,
    /// Screen density (dpi) of that raster's configuration: 160 for the default,
    /// 65534 anydpi, 65535 nodpi.
    pub density: Option<u16>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// "png", "webp" or "jpeg".
    pub format: Option<&'static str>,
    /// Present when the icon resource is an `<adaptive-icon>` (API 26+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adaptive: Option<AdaptiveReport>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AdaptiveReport {
    pub path: String,
    pub background: Option<LayerReport>,
    pub foreground: Option<LayerReport>,
    pub monochrome: Option<LayerReport>,
}

/// An adaptive-icon layer: `{"path": ...}` or `{"color": "#aarrggbb"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerReport {
    Path(String),
    Color(String),
}
