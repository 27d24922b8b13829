#![no_main]
use apkinfo::dex::{mutf8_lossy, Dex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dex) = Dex::parse(data) {
        for c in dex.classes().flatten() {
            let _ = c.package();
            let _ = c.java_name();
        }
        for s in dex.strings().flatten() {
            let _ = mutf8_lossy(s);
        }
    }
    let _ = mutf8_lossy(data);
});
