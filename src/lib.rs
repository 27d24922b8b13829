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
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod apk;
pub mod bytes;
pub mod limits;
pub mod zip;
