//! Every bound apkinfo puts on what a file can make it do, in one place.
//!
//! A package is untrusted input: no size, count or depth read from it is used
//! to allocate or loop without first being held to one of these. Bounds that
//! no real package comes near are constants beside the code they guard:
//! 64 signers per PKCS#7 structure, 32 signers per v2/v3 block and 32 digests,
//! signatures and attributes per signer, 16 Mach-O slices, 4096 load commands, 64 blobs
//! per code signature, 16 MiB per code signature, 10 JAR signers, 4096 items per
//! resource bag, 512 nested bundles and localized names per IPA.

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
    /// Bytes all entries of one archive may stream through a hash without
    /// being kept (v1's entry digests), as a multiple of the archive's size;
    /// never less than `max_total_inflated`. Streaming holds no entry in
    /// memory, so no entry size is capped there: this bounds the work that
    /// entries sharing their data (overlapping-files bombs) can cause.
    pub max_stream_factor: u64,
    /// Largest inflated/compressed ratio accepted for an entry over 1 MiB
    /// (zip bombs reach 1000:1 and more; real resources stay well below 100:1).
    pub max_ratio: u64,
    /// How many references (`@string/a` → `@string/b` → …) a lookup follows.
    pub max_reference_depth: usize,
    /// XML elements nested inside each other in a binary manifest.
    pub max_xml_depth: usize,
    /// Arrays/dictionaries nested inside each other in a plist.
    pub max_plist_depth: usize,
    /// Bytes in one string pool (binary XML or resource table). Pools are
    /// read in place, so this bounds the work one lookup can cause, not an
    /// allocation; framework-res's 9 MB global pool is the largest we know.
    pub max_string_pool: usize,
    /// Certificates one signer may carry: a PKCS#7/CMS certificate set, a
    /// v2/v3 signer's list, a provisioning profile's developer certificates.
    /// Real ones carry 1–4.
    pub max_certificates: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 200_000,
            // Below the 64 MiB a whole run may use: one entry's buffer plus the rest.
            max_entry_size: 48 << 20,
            max_total_inflated: 256 << 20,
            // Real APKs inflate to 1–3× their size; 32× leaves room for text-heavy ones.
            max_stream_factor: 32,
            max_ratio: 200,
            max_reference_depth: 16,
            max_xml_depth: 256,
            max_plist_depth: 128,
            max_string_pool: 32 << 20,
            max_certificates: 32,
        }
    }
}

impl Limits {
    /// The names `set` accepts, with what each bounds.
    pub const NAMES: [(&'static str, &'static str); 10] = [
        ("max-entries", "central-directory records read"),
        ("max-entry-size", "bytes one entry may inflate to"),
        (
            "max-total-inflated",
            "bytes all entries may inflate to together",
        ),
        (
            "max-stream-factor",
            "bytes hashed from all entries, as a multiple of the archive's size",
        ),
        (
            "max-ratio",
            "inflated/compressed ratio for entries over 1 MiB",
        ),
        (
            "max-reference-depth",
            "resource references followed in a chain",
        ),
        ("max-xml-depth", "binary XML element nesting"),
        ("max-plist-depth", "plist array/dictionary nesting"),
        ("max-string-pool", "bytes in one string pool"),
        ("max-certificates", "certificates one signer may carry"),
    ];

    /// Set one limit from `name=value` (the CLI's `--limit`).
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (name, value) = spec
            .split_once('=')
            .ok_or_else(|| format!("--limit wants NAME=VALUE, got {spec:?}"))?;
        let n: u64 = value
            .trim()
            .parse()
            .map_err(|_| format!("--limit {name}: {value:?} is not a whole number"))?;
        let size = usize::try_from(n).unwrap_or(usize::MAX);
        match name.trim() {
            "max-entries" => self.max_entries = size,
            "max-entry-size" => self.max_entry_size = n,
            "max-total-inflated" => self.max_total_inflated = n,
            "max-stream-factor" => self.max_stream_factor = n,
            "max-ratio" => self.max_ratio = n,
            "max-reference-depth" => self.max_reference_depth = size,
            "max-xml-depth" => self.max_xml_depth = size,
            "max-plist-depth" => self.max_plist_depth = size,
            "max-string-pool" => self.max_string_pool = size,
            "max-certificates" => self.max_certificates = size,
            other => {
                let known: Vec<&str> = Limits::NAMES.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "unknown limit {other:?}; known: {}",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_by_name() {
        let mut l = Limits::default();
        l.set("max-entries=10").unwrap();
        assert_eq!(l.max_entries, 10);
        l.set("max-string-pool=4096").unwrap();
        l.set("max-certificates=2").unwrap();
        assert_eq!((l.max_string_pool, l.max_certificates), (4096, 2));
        // Every documented name is accepted.
        for (name, _) in Limits::NAMES {
            l.set(&format!("{name}=1")).unwrap();
        }
        assert!(l.set("max-entries").is_err());
        assert!(l.set("nope=1").is_err());
        assert!(l.set("max-ratio=x").is_err());
    }
}
