//! Android packages.
pub mod arsc;
pub mod axml;
pub mod res;
