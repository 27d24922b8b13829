//! Android packages (APK): archive → binary manifest + resource table → facts.
pub mod aapt2;
pub mod arsc;
pub mod axml;
pub mod icon;
pub mod manifest;
pub mod package;
pub mod res;
pub mod resolve;
pub mod signing;
pub mod verify;

pub use package::{Apk, ApkError, Layout};
