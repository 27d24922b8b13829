#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = apkinfo::ipa::profile::read(data, &mut Vec::new());
    let _ = apkinfo::ipa::plist_value(data);
    let _ = apkinfo::ipa::strings_file(data, apkinfo::Limits::default().max_plist_depth);
});
