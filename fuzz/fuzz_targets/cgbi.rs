#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = apkinfo::ipa::cgbi::info(data);
    let _ = apkinfo::ipa::cgbi::to_standard_png(data);
});
