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
    Apk(#[from] apk::ApkError),
    #[error("iOS packages (.ipa) are not supported yet")]
    Ipa,
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
    match apk::Apk::open(data, limits) {
        Ok(apk) => Ok(apk.report(path, idsig)),
        Err(apk::ApkError::NoManifest) if looks_like_ipa(data, limits) => Err(Error::Ipa),
        Err(e) => Err(e.into()),
    }
}

fn looks_like_ipa(data: &[u8], limits: &Limits) -> bool {
    zip::Archive::parse(data, limits).is_ok_and(|z| {
        z.entries()
            .iter()
            .any(|e| e.name.starts_with(b"Payload/") && e.name.windows(5).any(|w| w == b".app/"))
    })
}
