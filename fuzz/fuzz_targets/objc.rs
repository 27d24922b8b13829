#![no_main]
//! `macho::read_with` with the Objective-C class names asked for, over bytes in
//! place and streamed (which must agree whenever both succeed), and
//! `macho::objc_classnames` on the raw input.
use apkinfo::ipa::macho;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = macho::ReadOptions {
        objc_classnames: true,
    };
    let in_place = macho::read_with(&mut &data[..], &opts);
    let streamed = macho::read_with(&mut macho::Stream::new(data), &opts);
    if let (Ok(a), Ok(b)) = (&in_place, &streamed) {
        assert_eq!(a, b, "in place and streamed disagree");
    }
    for s in in_place.iter().flatten() {
        assert_eq!(
            s.objc_classnames.is_some(),
            s.objc == macho::ObjcState::Read,
            "objc_classnames is Some exactly when Read"
        );
    }
    let n = macho::objc_classnames(data).map(|c| c.len()).sum::<usize>();
    assert!(n <= data.len() * 3, "lossy UTF-8 grows at most threefold");
});
