//! apkinfo: read Android and iOS app packages and report what is inside.
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

pub mod apk;
pub mod bytes;
pub mod cert;
pub mod check;
pub mod ipa;
pub mod limits;
pub mod md5;
pub mod report;
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
    #[error("verify checks Android signatures; this is an iOS package (inspect shows its code signature)")]
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
            .field("min_sdk", &self.min_sdk)
            .field("max_sdk", &self.max_sdk)
            .field("release", &self.release.is_some())
            .finish()
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
    let mut zip = zip::Archive::parse(data, limits)?;
    zip.set_release(opts.release);
    // An APK has its manifest at the root; only without one is it worth looking for Payload/.
    let mut report = if zip.find("AndroidManifest.xml").is_none() && ipa::Ipa::is_ipa(&zip) {
        ipa::Ipa::from_archive(zip, limits)?.report(path)
    } else {
        let apk = apk::Apk::from_archive(zip, limits)?;
        let mut r = apk.report(path, idsig);
        if opts.verify {
            r.verification = Some(apk::verify::verify(&apk, idsig, opts.min_sdk, opts.max_sdk));
        }
        r
    };
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
/// (its `verify` and `hashes` are not used).
pub fn verify_opts(
    data: &[u8],
    idsig: Option<&[u8]>,
    opts: &Options<'_>,
    limits: &Limits,
) -> Result<report::VerificationReport, Error> {
    let mut zip = zip::Archive::parse(data, limits)?;
    zip.set_release(opts.release);
    if zip.find("AndroidManifest.xml").is_none() && ipa::Ipa::is_ipa(&zip) {
        return Err(Error::NotAndroid);
    }
    let apk = apk::Apk::from_archive(zip, limits)?;
    Ok(apk::verify::verify(&apk, idsig, opts.min_sdk, opts.max_sdk))
}
