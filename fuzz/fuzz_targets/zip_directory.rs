#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = apkinfo::zip::Archive::parse(data, &apkinfo::Limits::default()) {
        for e in a.entries() {
            let _ = a.read(e);
        }
        let _ = a.find("AndroidManifest.xml");
    }
});
