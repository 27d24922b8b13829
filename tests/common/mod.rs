//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared corpus (`../shared/corpus`, or `$APKINFO_CORPUS`), or `None`
/// with a printed note when it is absent: a developer without it still
/// gets a passing run; CI has it.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("APKINFO_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "note: corpus not found at {} — corpus tests skipped",
            dir.display()
        );
        None
    }
}
