#![no_main]
use apkinfo::apk::signing::{block::SigningBlock, v2v3, v4};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(block)) = SigningBlock::find(data, data.len()) {
        for pair in &block.pairs {
            for scheme in [v2v3::Scheme::V2, v2v3::Scheme::V3, v2v3::Scheme::V31] {
                let _ = v2v3::parse(pair.value, pair.offset, scheme, 32);
            }
        }
    }
    let _ = v2v3::parse(data, 0, v2v3::Scheme::V3, 32);
    let _ = v2v3::lineage(data);
    let _ = v4::certificate(data);
    let _ = v4::apk_digest(data);
});
