//! apkinfo: read Android and iOS app packages and report what is inside.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
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
        clippy::panic
    )
)]

pub mod apk;
pub mod bytes;
pub mod cert;
pub mod check;
pub mod ipa;
pub mod limits;
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

/// What `inspect` adds beyond the package's own facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Verify signatures (APK) and report the verdict under `verification`.
    pub verify: bool,
    /// Add MD5/SHA-1/SHA-256 of the whole file under `file`.
    pub hashes: bool,
    /// SDK range for verification (default: the manifest's minSdkVersion..∞).
    pub min_sdk: Option<u32>,
    pub max_sdk: Option<u32>,
}

/// Inspect with [`Options`].
pub fn inspect_opts(
    path: &str,
    data: &[u8],
    idsig: Option<&[u8]>,
    opts: &Options,
    limits: &Limits,
) -> Result<Report, Error> {
    let zip = zip::Archive::parse(data, limits)?;
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
    let zip = zip::Archive::parse(data, limits)?;
    if zip.find("AndroidManifest.xml").is_none() && ipa::Ipa::is_ipa(&zip) {
        return Err(Error::NotAndroid);
    }
    let apk = apk::Apk::from_archive(zip, limits)?;
    Ok(apk::verify::verify(&apk, idsig, min_sdk, max_sdk))
}
