#![no_main]
use apkinfo::ipa::macho;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = macho::read(&mut &data[..]);
    let _ = macho::read(&mut macho::Stream::new(data));
    let _ = macho::super_blob(data, 0);
});
