//! Android packages.
pub mod arsc;
pub mod res;
