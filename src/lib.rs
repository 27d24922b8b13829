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
    let zip = zip::Archive::parse(data, limits)?;
    if ipa::Ipa::is_ipa(&zip) {
        Ok(ipa::Ipa::from_archive(zip, limits)?.report(path))
    } else {
        Ok(apk::Apk::from_archive(zip, limits)?.report(path, idsig))
    }
}
