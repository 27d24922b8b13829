#![no_main]
//! HarmonyOS: the signing block (found at the end of the input, as if the
//! central directory started there), its sub-blocks read as the profile and
//! as PKCS#7, and the input as module.json / config.json / pack.info JSON.
use apkinfo::cert::pkcs7;
use apkinfo::hap::{module, profile, signing::SigningBlock};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(block)) = SigningBlock::find(data, data.len()) {
        for s in &block.sub_blocks {
            let _ = profile::read(s.value, 8);
            let _ = pkcs7::parse_limited(s.value, 8);
        }
    }
    let _ = profile::read(data, 8);
    if let Ok(json) = module::parse_json(data) {
        let m = module::stage(&json);
        let _ = module::launcher(&m);
        let f = module::fa(&json);
        let _ = module::launcher(&f);
        let _ = module::pack_info(&json);
        for v in [m.min_api_version, f.min_api_version].into_iter().flatten() {
            let _ = module::api_level(v);
        }
    }
});
