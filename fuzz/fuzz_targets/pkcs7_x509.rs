#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sd) = apkinfo::cert::pkcs7::parse(data) {
        for si in &sd.signers {
            let _ = sd.certificate_of(si);
        }
        for c in &sd.certificates {
            let _ = apkinfo::cert::describe(c);
        }
    }
    let _ = apkinfo::cert::describe(data);
});
