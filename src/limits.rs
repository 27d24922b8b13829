//! Every bound apkinfo puts on what a file can make it do, in one place.
//!
//! A package is untrusted input: no size, count or depth read from it is used
//! to allocate or loop without first being held to one of these.

/// Bounds applied while reading a package. [`Limits::default`] suits app
/// packages seen in the wild; the CLI can override them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Central-directory records read from one archive.
    pub max_entries: usize,
    /// Bytes one entry may inflate to.
    pub max_entry_size: u64,
    /// Bytes all entries read from one archive may inflate to, together.
    pub max_total_inflated: u64,
    /// Largest inflated/compressed ratio accepted for an entry over 1 MiB
    /// (zip bombs reach 1000:1 and more; real resources stay well below 100:1).
    pub max_ratio: u64,
    /// How many references (`@string/a` → `@string/b` → …) a lookup follows.
    pub max_reference_depth: usize,
    /// XML elements nested inside each other in a binary manifest.
    pub max_xml_depth: usize,
    /// Arrays/dictionaries nested inside each other in a plist.
    pub max_plist_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 200_000,
            max_entry_size: 64 << 20,
            max_total_inflated: 256 << 20,
            max_ratio: 200,
            max_reference_depth: 16,
            max_xml_depth: 256,
            max_plist_depth: 128,
        }
    }
}
