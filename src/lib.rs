//! apkinfo: read Android, iOS and HarmonyOS app packages and report what is inside.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::todo,
    clippy::unimplemented
)]
// Unit tests may unwrap and index; the library build above is held to the lints.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::panic
    )
)]

pub mod aab;
pub mod apk;
pub mod apkset;
pub mod bytes;
pub mod cert;
pub mod check;
pub mod crypto;
pub mod dex;
pub mod digest;
pub mod domains;
pub mod filing;
pub mod hap;
pub mod ipa;
pub mod lang;
pub mod limits;
pub mod md5;
pub mod proto;
pub mod report;
pub mod sdk;
pub mod zip;

pub use limits::Limits;
pub use report::Report;

use thiserror::Error;

/// Why a package could not be read at all. Problems short of that are
/// reported in [`Report::warnings`].
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Zip(#[from] zip::ZipError),
    #[error(transparent)]
    Apk(#[from] apk::ApkError),
    #[error(transparent)]
    Ipa(#[from] ipa::IpaError),
    #[error(transparent)]
    Set(#[from] apkset::SetError),
    #[error(transparent)]
    Hap(#[from] hap::HapError),
    #[error("verify checks Android and HarmonyOS signatures; this is an iOS package (inspect shows its code signature)")]
    NotAndroid,
}

/// Inspect a package held in memory. `path` is only echoed into the report.
pub fn inspect(path: &str, data: &[u8], limits: &Limits) -> Result<Report, Error> {
    inspect_with(path, data, None, limits)
}

/// Like [`inspect`], with the bytes of a v4 `.idsig` that accompanies an APK.
pub fn inspect_with(
    path: &str,
    data: &[u8],
    idsig: Option<&[u8]>,
    limits: &Limits,
) -> Result<Report, Error> {
    inspect_opts(path, data, idsig, &Options::default(), limits)
}

/// Told when a pass over the whole file (content digests, v1 entry digests)
/// is done with a stretch of the package's bytes. The library reads the bytes
/// in place and never frees them; a caller that memory-mapped the file can
/// drop those pages here (`madvise(MADV_DONTNEED)`), so that verifying a
/// 1 GiB APK does not leave 1 GiB of it mapped. Slices that are not part of
/// the package's bytes may be passed too, and are to be ignored.
pub type Release<'a> = &'a (dyn Fn(&[u8]) + Sync);

/// What `inspect` adds beyond the package's own facts.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// Verify signatures (APK) and report the verdict under `verification`.
    pub verify: bool,
    /// Add MD5/SHA-1/SHA-256 of the whole file under `file`.
    pub hashes: bool,
    /// Look for third-party SDKs and packers (reads every DEX file, the
    /// manifest's components, native libraries; iOS frameworks and classes).
    pub scan: bool,
    /// With `scan`: suffixes the filer owns (`--own-domain`); hosts under
    /// none of them are "third-party" instead of "own".
    pub own_domains: &'a [String],
    /// SDK range for verification (default: the manifest's minSdkVersion..∞).
    pub min_sdk: Option<u32>,
    pub max_sdk: Option<u32>,
    /// See [`Release`].
    pub release: Option<Release<'a>>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("verify", &self.verify)
            .field("hashes", &self.hashes)
            .field("scan", &self.scan)
            .field("own_domains", &self.own_domains)
            .field("min_sdk", &self.min_sdk)
            .field("max_sdk", &self.max_sdk)
            .field("release", &self.release.is_some())
            .finish()
    }
}

/// What a package is, told by its content (never by its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// An APK: `AndroidManifest.xml` at the root (or signatures alone).
    Apk,
    /// An Android App Bundle: `base/manifest/AndroidManifest.xml`.
    Bundle,
    /// A split APK set in one of its containers.
    Set(apkset::SetFormat),
    /// An iOS app: `Payload/*.app/`.
    Ipa,
    /// A HarmonyOS module (`module.json` or `config.json` at the root) or
    /// app (`pack.info` beside `.hap`/`.hsp` files).
    Hap(hap::Format),
}

/// Tell what a ZIP holds. An APK's own manifest at the root decides first,
/// so an APK that happens to carry a `toc.pb` is still an APK.
pub fn kind(zip: &zip::Archive<'_>) -> Kind {
    if zip.find("AndroidManifest.xml").is_some() {
        Kind::Apk
    } else if aab::is_bundle(zip) {
        Kind::Bundle
    } else if let Some(f) = apkset::format_of(zip) {
        Kind::Set(f)
    } else if ipa::Ipa::is_ipa(zip) {
        Kind::Ipa
    } else if let Some(f) = hap::format_of(zip) {
        Kind::Hap(f)
    } else {
        Kind::Apk
    }
}

/// Inspect with [`Options`].
pub fn inspect_opts(
    path: &str,
    data: &[u8],
    idsig: Option<&[u8]>,
    opts: &Options<'_>,
    limits: &Limits,
) -> Result<Report, Error> {
    let mut report = Package::open_with(data, opts.release, limits)?.report(path, idsig, opts)?;
    if opts.hashes {
        let (md5, sha1, sha256) = apk::verify::digest::file_digests(data);
        report.file = Some(report::FileDigests {
            size: data.len() as u64,
            md5,
            sha1,
            sha256,
        });
    }
    Ok(report)
}

/// Inspect a split set given as separate files (a folder of `base.apk`
/// and `split_*.apk`): `files` are (name, bytes). `path` names the folder.
pub fn inspect_files(
    path: &str,
    files: Vec<(String, &[u8])>,
    opts: &Options<'_>,
    limits: &Limits,
) -> Result<Report, Error> {
    Package::Set(apkset::ApkSet::from_files(files, limits)?).report(path, None, opts)
}

/// Verify an APK's signatures (`apkinfo verify`).
pub fn verify(
    data: &[u8],
    idsig: Option<&[u8]>,
    min_sdk: Option<u32>,
    max_sdk: Option<u32>,
    limits: &Limits,
) -> Result<report::VerificationReport, Error> {
    let opts = Options {
        min_sdk,
        max_sdk,
        ..Options::default()
    };
    verify_opts(data, idsig, &opts, limits)
}

/// [`verify`] with the SDK range and the [`Release`] hook taken from `opts`
/// (its `verify` and `hashes` are not used). A split set is verified APK by
/// APK with one verdict; an App Bundle by its JAR signature.
pub fn verify_opts(
    data: &[u8],
    idsig: Option<&[u8]>,
    opts: &Options<'_>,
    limits: &Limits,
) -> Result<report::VerificationReport, Error> {
    Package::open_with(data, opts.release, limits)?.verify(idsig, opts)
}

/// [`verify`] for a split set given as separate files (see [`inspect_files`]).
pub fn verify_files(
    files: Vec<(String, &[u8])>,
    opts: &Options<'_>,
    limits: &Limits,
) -> Result<report::VerificationReport, Error> {
    Package::Set(apkset::ApkSet::from_files(files, limits)?).verify(None, opts)
}

/// A package of any kind, opened: what every command starts from.
pub enum Package<'a> {
    Apk(apk::Apk<'a>),
    Bundle(aab::Bundle<'a>),
    Set(apkset::ApkSet<'a>),
    Ipa(Box<ipa::Ipa<'a>>),
    Hap(Box<hap::Hap<'a>>),
}

impl<'a> Package<'a> {
    /// Open `data`, whatever kind of package it is.
    pub fn open(data: &'a [u8], limits: &Limits) -> Result<Package<'a>, Error> {
        Package::open_with(data, None, limits)
    }

    /// [`Package::open`] with the [`Release`] hook for passes over the file.
    pub fn open_with(
        data: &'a [u8],
        release: Option<Release<'a>>,
        limits: &Limits,
    ) -> Result<Package<'a>, Error> {
        let mut zip = zip::Archive::parse(data, limits)?;
        zip.set_release(release);
        Ok(match kind(&zip) {
            Kind::Ipa => Package::Ipa(Box::new(ipa::Ipa::from_archive(zip, limits)?)),
            Kind::Bundle => Package::Bundle(aab::Bundle::from_archive(zip, limits)?),
            Kind::Set(format) => Package::Set(apkset::ApkSet::from_archive(&zip, format, limits)?),
            Kind::Hap(_) => Package::Hap(Box::new(hap::Hap::from_archive(zip, limits)?)),
            Kind::Apk => Package::Apk(apk::Apk::from_archive(zip, limits)?),
        })
    }

    /// The report; with `opts.verify`, the verdict in it too (`opts.hashes`
    /// is the caller's: it digests the file, not the package).
    pub fn report(
        &self,
        path: &str,
        idsig: Option<&[u8]>,
        opts: &Options<'_>,
    ) -> Result<Report, Error> {
        let mut r = match self {
            Package::Apk(apk) => apk.report(path, idsig),
            Package::Bundle(b) => b.report(path),
            Package::Set(s) => s.report(path)?,
            Package::Ipa(ipa) => ipa.report(path),
            Package::Hap(h) => h.report(path),
        };
        if opts.scan {
            let (found, stats) = sdk::scan(self, &self.limits(), opts.own_domains);
            r.sdks = Some(found.sdks);
            r.domains = Some(found.domains);
            r.ips = Some(found.ips);
            r.libraries = Some(found.libraries);
            r.packer = Some(found.packer);
            r.scan = Some(stats);
            r.warnings.extend(found.warnings);
            let mut warnings = Vec::new();
            r.languages = Some(lang::of_package(self, &r, &mut warnings));
            r.warnings.extend(warnings);
        }
        if opts.verify && !matches!(self, Package::Ipa(_)) {
            r.verification = Some(self.verify(idsig, opts)?);
        }
        Ok(r)
    }

    /// The limits the package was opened with.
    pub fn limits(&self) -> Limits {
        match self {
            Package::Apk(apk) => *apk.zip.limits(),
            Package::Bundle(b) => *b.base.zip.limits(),
            Package::Set(s) => *s.limits(),
            Package::Ipa(ipa) => *ipa.zip.limits(),
            Package::Hap(h) => *h.archive().limits(),
        }
    }

    /// The signature verdict over `opts`' SDK range: apksig's rules for an
    /// APK, every APK of a split set with one verdict, an App Bundle's JAR
    /// signature. An iOS package has no Android signature to verify.
    pub fn verify(
        &self,
        idsig: Option<&[u8]>,
        opts: &Options<'_>,
    ) -> Result<report::VerificationReport, Error> {
        let (min, max) = (opts.min_sdk, opts.max_sdk);
        Ok(match self {
            Package::Apk(apk) => apk::verify::verify(apk, idsig, min, max),
            Package::Bundle(b) => apk::verify::verify_bundle(&b.base, min, max),
            Package::Set(s) => s.verify(min, max),
            Package::Hap(h) => hap::verify::verify(h, opts.release),
            Package::Ipa(_) => return Err(Error::NotAndroid),
        })
    }

    /// The manifest as XML text: AndroidManifest.xml decoded (the base
    /// APK's or base module's for a set or bundle); for an IPA, the main
    /// app's Info.plist.
    pub fn manifest_text(&self) -> Result<String, Error> {
        Ok(match self {
            Package::Apk(apk) => apk.manifest_xml(),
            Package::Bundle(b) => b.base.manifest_xml(),
            Package::Set(s) => s.base_apk()?.manifest_xml(),
            Package::Ipa(ipa) => ipa.info_plist_xml()?,
            Package::Hap(h) => h.manifest_text()?,
        })
    }

    /// The icon as PNG bytes and where in the package it came from.
    pub fn icon_png(&self) -> Result<(Vec<u8>, String), Error> {
        let from_apk = |apk: &apk::Apk<'_>, prefix: &str| -> Result<(Vec<u8>, String), Error> {
            let (png, report) = apk.icon_png()?;
            Ok((png, format!("{prefix}{}", report.path.unwrap_or_default())))
        };
        match self {
            Package::Apk(apk) => from_apk(apk, ""),
            Package::Bundle(b) => from_apk(&b.base, ""),
            Package::Set(s) => Ok(s.icon_png()?),
            Package::Ipa(ipa) => Ok(ipa.icon_png()?),
            Package::Hap(h) => Ok(h.icon_png()?),
        }
    }
}
