//! The owned report the CLI prints: one per package, the same shape for every
//! platform. Field names are a public contract (README, "JSON contract").

pub mod text;

pub use crate::domains::{DomainReport, IpReport, SourceCount};

use serde::Serialize;
use std::collections::BTreeMap;

/// Everything apkinfo says about one package.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub path: String,
    /// "android", "ios" or "harmonyos".
    pub platform: &'static str,
    /// "apk", "aab", "apks", "xapk", "apkm", "apk-set", "ipa", "hap", "hsp" or "app".
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
    /// One entry per distinct signing certificate, with the schemes that use it.
    pub signers: Vec<Signer>,
    /// The filing fields (APP备案), from the certificate Android reports.
    pub filing: Option<Filing>,
    /// Why `filing` is null although the package is signed: its certificate
    /// is not the one to file (an upload key, a debug or development
    /// certificate). Omitted otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filing_withheld: Option<FilingWithheld>,
    /// The APK Signing Block's layout, when there is one.
    pub signing_block: Option<SigningBlockReport>,
    /// App Bundle only (omitted otherwise): every module, base first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modules: Option<Vec<ModuleReport>>,
    /// App Bundle only: what `BundleConfig.pb` and `BUNDLE-METADATA/` say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<AppBundleReport>,
    /// Split sets only: the path of the base APK in the set, whose facts
    /// the report gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_apk: Option<String>,
    /// Split sets only (.apks, .xapk, .apkm, a folder): every APK of the set
    /// other than the base, whose facts the report gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub splits: Option<Vec<SplitReport>>,
    /// Present with `inspect --verify`: the signature verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationReport>,
    /// Present with `inspect --hashes`: digests of the whole file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileDigests>,
    /// iOS only (omitted for Android): CFBundleVersion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// iOS: MinimumOSVersion (LSMinimumSystemVersion on macOS). HarmonyOS:
    /// the OS version minAPIVersion encodes, "5.0.0(12)" (absent for a
    /// plain OpenHarmony API level).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_os: Option<String>,
    /// HarmonyOS only: the API level the package needs (minAPIVersion, or
    /// FA's apiVersion.compatible), 12 for 5.0.0(12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_api: Option<u32>,
    /// HarmonyOS only: targetAPIVersion's API level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_api: Option<u32>,
    /// HarmonyOS only: apiReleaseType ("Release", "Beta1", "Canary2", …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_release_type: Option<String>,
    /// HarmonyOS only: the module's deviceTypes ("phone", "tablet", "2in1", …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_types: Option<Vec<String>>,
    /// HarmonyOS only: the ability the launcher starts (home skill,
    /// mainElement first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_ability: Option<String>,
    /// iOS only: "iphone", "ipad", "universal", "tv", "watch", "mac".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_family: Option<String>,
    /// iOS only: architectures of the main executable ("arm64", "armv7", …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub architectures: Option<Vec<String>>,
    /// iOS only: CFBundleURLTypes' URL schemes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_schemes: Option<Vec<String>>,
    /// iOS only: NSAppTransportSecurity exception domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ats_exception_domains: Option<Vec<String>>,
    /// iOS only: the embedded provisioning profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning: Option<ProvisioningReport>,
    /// HarmonyOS only: the profile in the signing block, under the same
    /// JSON key as iOS's (`provisioning`; a package has one or the other).
    #[serde(rename = "provisioning", skip_serializing_if = "Option::is_none")]
    pub harmony_profile: Option<HarmonyProfileReport>,
    /// iOS only: the main executable's code signature (CodeDirectory and entitlements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_signature: Option<CodeSignatureReport>,
    /// iOS only: app extensions, watch apps and other bundles inside the main app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<BundleReport>>,
    /// Present with `inspect --scan`: the third-party SDK services found
    /// (使用外部SDK), each with provider, the form's category and evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdks: Option<Vec<SdkReport>>,
    /// With `--scan`: other components LibChecker's rules know (open-source
    /// libraries, unclassified SDKs); not for the form as they stand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub libraries: Option<Vec<LibraryReport>>,
    /// With `--scan`: the packer (加固) the app was protected with, or null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packer: Option<Option<PackerReport>>,
    /// With `--scan`: every host found in URLs and in configuration that names
    /// hosts, normalised, with its registrable domain, DNS level and bucket
    /// (own, sdk, third-party, noise) — the form's 域名.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domains: Option<Vec<DomainReport>>,
    /// With `--scan`: IP addresses in URLs and configuration; the public ones
    /// are the form's 服务器IP candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ips: Option<Vec<IpReport>>,
    /// With `--scan`: the languages the app itself is offered in (服务语言).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<LanguageReport>>,
    /// With `--scan`: what the scan read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<ScanReport>,
    pub warnings: Vec<String>,
}

/// One piece of evidence for a finding: what was seen, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// "dex-class", "native-lib", "component", "meta-data", "intent-action",
    /// "framework", "dylib", "objc-class", "file" or "application".
    pub kind: &'static str,
    pub value: String,
}

/// A third-party SDK service, in the filing form's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SdkReport {
    pub name: String,
    pub name_zh: String,
    /// The company that provides it (服务商).
    pub provider: String,
    pub provider_zh: String,
    /// "payment", "maps-location", "push", "analytics", "login-share",
    /// "ads", "crash-reporting", "audio-video", "im", "cloud-storage",
    /// "one-click-login", "customer-service", "security" or "other".
    pub category: &'static str,
    /// The category as the form names it (支付, 地图定位, 推送, …).
    pub category_zh: &'static str,
    pub evidence: Vec<Evidence>,
}

/// A component LibChecker's rules name that the SDK table does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryReport {
    /// LibChecker's label.
    pub name: String,
    /// LibChecker's team, when it gives one.
    pub provider: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// A packer (加固) whose stubs or libraries the package carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackerReport {
    pub name: String,
    pub name_zh: String,
    pub provider: String,
    pub provider_zh: String,
    pub evidence: Vec<Evidence>,
}

/// A language the app is offered in (服务语言).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageReport {
    /// BCP-47 (`zh-CN`, `zh-Hant`, `en`).
    pub tag: String,
    /// The form's name (中文简体, 中文繁体, 英语, …); null when it has none we know.
    pub name_zh: Option<String>,
    /// Where it was found: "localeConfig", "label", "default-label" (the
    /// unqualified label's script), "lproj", "CFBundleLocalizations",
    /// "CFBundleDevelopmentRegion".
    pub source: &'static str,
}

/// What `--scan` read, so an empty list can be told from an unread package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScanReport {
    /// DEX files (Android) read, and the classes they define.
    pub dex_files: usize,
    pub classes: usize,
    /// Distinct native library names.
    pub native_libs: usize,
    /// iOS: bundled frameworks and Objective-C classes read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frameworks: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objc_classes: Option<usize>,
    /// The rule set's name and version.
    pub rules: &'static str,
    /// The Public Suffix List the domains were classified with.
    pub psl: &'static str,
    /// Entries whose bytes were searched for URLs (besides the DEX files).
    pub files_searched: usize,
}

/// An embedded provisioning profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProvisioningReport {
    pub name: Option<String>,
    pub uuid: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub app_id: Option<String>,
    /// "development", "ad-hoc", "enterprise" or "app-store".
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub created: Option<String>,
    pub expires: Option<String>,
    /// Number of ProvisionedDevices.
    pub devices: usize,
    pub entitlements: serde_json::Value,
    /// Every DeveloperCertificates entry.
    pub certificates: Vec<Cert>,
}

/// A HarmonyOS provisioning profile (`hapsigner`'s profile JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HarmonyProfileReport {
    /// "debug" or "release".
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// "app_gallery", "enterprise", "os_integration", "crowdtesting", …
    pub app_distribution_type: Option<String>,
    pub bundle_name: Option<String>,
    pub developer_id: Option<String>,
    pub app_identifier: Option<String>,
    /// Ability privilege level: "normal", "system_basic", "system_core".
    pub apl: Option<String>,
    pub app_feature: Option<String>,
    /// validity, RFC 3339 UTC.
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    /// "app_gallery", "pki_internal", …
    pub issuer: Option<String>,
    pub uuid: Option<String>,
    pub version_name: Option<String>,
    pub version_code: Option<u64>,
    pub restricted_permissions: Vec<String>,
    pub allowed_acls: Vec<String>,
    /// Number of debug-info device ids (debug profiles).
    pub devices: usize,
    /// The certificate the profile names: `distribution-certificate`
    /// (release) or `development-certificate` (debug).
    pub certificate: Option<Cert>,
    /// Whether the profile is a signed PKCS#7 (else bare JSON).
    pub signed: bool,
    /// The certificate that signed the profile.
    pub signer: Option<Cert>,
}

/// A bundle inside the main app (extension, watch app, framework).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BundleReport {
    pub path: String,
    pub bundle_id: Option<String>,
    /// "appex", "app" (watch and other nested apps), "framework".
    pub kind: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IconReport {
    /// The chosen raster inside the package; null when the icon has none.
    pub path: Option<String>,
    /// iOS only: the PNG is Xcode-crushed (CgBI); `icon -o` writes it decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crushed: Option<bool>,
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
    /// HarmonyOS: present when the icon is a `layered-image`; `icon -o`
    /// writes the foreground composed over the background.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layered: Option<LayeredReport>,
}

/// A HarmonyOS `layered-image` icon: the JSON and its two layers (ZIP paths).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LayeredReport {
    pub path: String,
    pub background: Option<String>,
    pub foreground: Option<String>,
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

/// A certificate as the filing needs it. Digests are over the bytes as stored
/// in the package (never re-encoded), lowercase hex without separators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cert {
    pub subject: String,
    pub issuer: String,
    /// Serial number, hex as stored (two's complement, leading zero kept).
    pub serial: String,
    /// RFC 3339, UTC.
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub signature_algorithm: String,
    pub md5: String,
    pub sha1: String,
    pub sha256: String,
    pub public_key: PublicKey,
}

/// The certificate's public key in every form filing providers accept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PublicKey {
    /// "RSA", "EC", "DSA", "Ed25519", "Ed448", or the algorithm OID.
    pub algorithm: String,
    pub bits: Option<u32>,
    /// Named curve for EC keys ("P-256", "P-384", "P-521", or the OID).
    pub curve: Option<String>,
    /// DER SubjectPublicKeyInfo, lowercase hex.
    pub spki_hex: String,
    /// DER SubjectPublicKeyInfo, base64 (the body of `openssl x509 -pubkey`, one line).
    pub spki_base64: String,
    pub spki_sha256: String,
    pub rsa_modulus_hex: Option<String>,
    pub rsa_modulus_decimal: Option<String>,
    pub rsa_exponent: Option<u64>,
    /// EC keys: the public point as stored in the key (`04‖X‖Y`
    /// uncompressed), lowercase hex: what certificate viewers show as the
    /// public key. Omitted for other keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ec_point_hex: Option<String>,
}

/// One distinct signing certificate and the schemes that use it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// "v1", "v2", "v3", "v3.1" (Android); "ios-codesign" (iOS); "hap-v2",
    /// "hap-v3" (HarmonyOS).
    pub schemes: Vec<&'static str>,
    /// What the key is for, when it is not the key devices see: "upload"
    /// for an App Bundle's JAR signature (Google Play re-signs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    pub certificate: Cert,
    /// v3 proof-of-rotation lineage, oldest first (empty without rotation).
    pub lineage: Vec<Cert>,
    /// Other certificates that came with the signer (chain), leaf excluded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<Cert>,
    /// v3/v3.1: the SDK range each scheme's signer covers, e.g. `{"v3": [24, 2147483647]}`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sdk_ranges: BTreeMap<&'static str, [u32; 2]>,
}

/// A signing certificate that must not be filed, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FilingWithheld {
    /// "upload-key" (an .aab), "debug-certificate" (Android's debug key),
    /// "development-certificate" (an Apple development certificate, or the
    /// certificate of a HarmonyOS debug profile), "test-certificate" (issued
    /// by OpenHarmony's public test CA), "re-signed" (an iOS binary whose
    /// code-signing certificate is none of its provisioning profile's).
    pub cause: &'static str,
    /// SHA-256 of the certificate that is not to be filed.
    pub certificate_sha256: String,
    /// What to file instead, in a sentence.
    pub note: String,
}

impl FilingWithheld {
    /// What the certificate is, for sentences ("this bundle's upload key").
    pub fn what(&self) -> &'static str {
        match self.cause {
            "upload-key" => "this bundle's upload key",
            "debug-certificate" => "this package's debug certificate",
            "development-certificate" => "this app's development certificate",
            "test-certificate" => "a public test certificate",
            "re-signed" => "the certificate this binary was re-signed with",
            _ => "this package's certificate",
        }
    }
}

impl Report {
    /// Replace the filing block by the reason it cannot be filed (said in
    /// `filing_withheld` and first among the warnings).
    pub fn withhold_filing(
        &mut self,
        cause: &'static str,
        certificate_sha256: String,
        note: String,
    ) {
        self.filing = None;
        self.warnings.insert(0, note.clone());
        self.filing_withheld = Some(FilingWithheld {
            cause,
            certificate_sha256,
            note,
        });
    }
}

/// The APP备案 "feature information": what the form asks for, ready to paste.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filing {
    pub platform: &'static str,
    /// 包名: package name / bundle id.
    pub package: Option<String>,
    /// 公钥: the SubjectPublicKeyInfo as lowercase hex.
    pub public_key: String,
    /// 签名MD5值: MD5 of the certificate.
    pub signature_md5: String,
    pub signature_sha1: String,
    pub certificate_sha256: String,
    /// The subject of the certificate the values are of.
    pub certificate: String,
    /// Why that certificate: "signer" (Android's only or first signer),
    /// "rotation-original" (v3 rotation: the lineage's first certificate,
    /// which Android reports to apps), "code-signature" (iOS: the executable's
    /// signer), "profile-developer-certificate" (iOS: Apple re-signed the
    /// binary, or it is unsigned; the profile's certificate is the
    /// developer's), "signing-block-leaf" (HarmonyOS: the leaf of the
    /// signature's chain).
    pub basis: &'static str,
}

impl Filing {
    /// The filing fields of a certificate, chosen for `basis`.
    pub fn from_cert(
        platform: &'static str,
        package: Option<String>,
        c: &Cert,
        basis: &'static str,
    ) -> Filing {
        Filing {
            platform,
            package,
            public_key: c.public_key.spki_hex.clone(),
            signature_md5: c.md5.clone(),
            signature_sha1: c.sha1.clone(),
            certificate_sha256: c.sha256.clone(),
            certificate: c.subject.clone(),
            basis,
        }
    }
}

/// The APK Signing Block's layout: where it is and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SigningBlockReport {
    pub offset: usize,
    pub size: usize,
    pub blocks: Vec<BlockReport>,
    /// Channel name written by Walle (JSON) or VasDolly, as stored.
    pub channel: Option<String>,
    /// HarmonyOS only: the tail's version (2 for `HAP Sig Block 42`, 3 for
    /// `<hap sign block>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlockReport {
    /// The block id, `0x…` hex.
    pub id: String,
    /// "v2", "v3", "v3.1", "padding", "source-stamp", "walle-channel", …,
    /// "unknown"; HarmonyOS: "signature", "proof-of-rotation", "profile",
    /// "property", "enterprise-resign-signature", "enterprise-resign-profile".
    pub name: &'static str,
    pub size: usize,
}

/// A module of an App Bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModuleReport {
    /// The module's folder name ("base", "feature1", …); HarmonyOS: the
    /// package name in `pack.info` ("entry-default").
    pub name: String,
    /// "base", "feature", "asset-pack" or "ml-pack" (`dist:module dist:type`);
    /// HarmonyOS: "entry", "feature" or "shared".
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// "install-time", "on-demand", "conditional" (install-time with
    /// `<dist:conditions>`) or "fast-follow" (asset packs).
    pub delivery: &'static str,
    /// `dist:title`, resolved in the base module's resources.
    pub title: Option<String>,
    /// `dist:instant`.
    pub instant: bool,
    /// HarmonyOS `.app` only: the module's file in the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// HarmonyOS `.app` only: deviceTypes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_types: Option<Vec<String>>,
}

/// An App Bundle's build metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AppBundleReport {
    /// `BundleConfig.bundletool.version`: the bundletool that built it.
    pub bundletool_version: Option<String>,
    /// "regular", "apex" or "asset-only".
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Split dimensions the config names: `{dimension, negate}`; `negate`
    /// true means APKs are not split by it. Dimensions not named are split
    /// by bundletool's defaults.
    pub split_dimensions: Vec<SplitDimensionReport>,
    /// `compression.uncompressed_glob`.
    pub uncompressed_globs: Vec<String>,
    /// `androidGradlePluginVersion` from
    /// `BUNDLE-METADATA/com.android.tools.build.gradle/app-metadata.properties`.
    pub android_gradle_plugin: Option<String>,
    /// Files under `BUNDLE-METADATA/` (dependency lists, ProGuard maps, …).
    pub metadata: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SplitDimensionReport {
    /// "abi", "density", "language", "texture-compression-format",
    /// "device-tier", "country-set", or "unknown-N".
    pub dimension: String,
    pub negate: bool,
}

/// One APK of a split set other than its base.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SplitReport {
    /// The APK's path in the container (or its file name in a folder).
    pub path: String,
    /// The manifest's `split` attribute ("config.arm64_v8a", "feature1");
    /// null for a standalone or universal APK.
    pub split: Option<String>,
    /// What a configuration split is for, from its name.
    pub config: SplitConfigReport,
    pub signers: Vec<Signer>,
}

/// The device configuration a `config.*` split targets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SplitConfigReport {
    /// "arm64-v8a", "armeabi-v7a", "x86", "x86_64", …
    pub abi: Option<String>,
    /// "ldpi", "mdpi", "tvdpi", "hdpi", "xhdpi", "xxhdpi", "xxxhdpi".
    pub density: Option<String>,
    /// A language or locale ("zh", "en-GB").
    pub language: Option<String>,
}

/// An iOS executable's code signature, beyond its certificates.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CodeSignatureReport {
    /// CodeDirectory identifier (normally the bundle id).
    pub identifier: Option<String>,
    pub team_id: Option<String>,
    /// CodeDirectory hash type: "sha1", "sha256", ….
    pub hash_type: Option<String>,
    /// The entitlements blob, as a JSON object.
    pub entitlements: serde_json::Value,
}

/// `apkinfo verify`: would Android install it, and signed by whom.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerificationReport {
    pub verified: bool,
    pub schemes: SchemesVerified,
    /// apksig issue names with a message: `"JAR_SIG_NO_MANIFEST: …"`.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Certificates of the verified signers (newest scheme first).
    pub signers: Vec<Cert>,
    /// The SDK range the verdict holds for (Android; 0 for HarmonyOS).
    pub min_sdk: u32,
    pub max_sdk: u32,
    /// HarmonyOS only: the signing block checked, "hap-v2" or "hap-v3";
    /// "none" for an unsigned package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hap_scheme: Option<&'static str>,
}

/// Which schemes verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SchemesVerified {
    pub v1: bool,
    pub v2: bool,
    pub v3: bool,
    pub v31: bool,
    pub v4: bool,
    /// HarmonyOS: the signing block (v2 or v3) verified.
    #[serde(skip_serializing_if = "is_false")]
    pub hap: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Whole-file digests, lowercase hex.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileDigests {
    pub size: u64,
    pub md5: String,
    pub sha1: String,
    pub sha256: String,
}
