#![no_main]
//! `macho::read_with` with the Objective-C class names and the string
//! literals (`__cstring`, `__ustring`) asked for, over bytes in place and
//! streamed (which must agree whenever both succeed), and
//! `macho::objc_classnames`, `macho::cstrings` and `macho::ustrings` on the
//! raw input.
use apkinfo::ipa::macho::{self, SectionState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Mostly both; the length picks one alone now and then (a Mach-O's first
    // byte is its magic, so it cannot pick).
    let pick = data.len() % 4;
    let opts = macho::ReadOptions {
        objc_classnames: pick != 3,
        cstrings: pick != 2,
    };
    let in_place = macho::read_with(&mut &data[..], &opts);
    let streamed = macho::read_with(&mut macho::Stream::new(data), &opts);
    if let (Ok(a), Ok(b)) = (&in_place, &streamed) {
        assert_eq!(a, b, "in place and streamed disagree");
    }
    for s in in_place.iter().flatten() {
        assert_eq!(
            s.objc_classnames.is_some(),
            s.objc == SectionState::Read,
            "objc_classnames is Some exactly when Read"
        );
        assert_eq!(s.cstrings.is_some(), s.cstrings_state == SectionState::Read);
        assert_eq!(s.ustrings.is_some(), s.ustrings_state == SectionState::Read);
        if !opts.cstrings {
            assert_eq!(s.cstrings_state, SectionState::NotAsked);
        }
        for bytes in [&s.cstrings, &s.ustrings].into_iter().flatten() {
            assert!(bytes.len() <= macho::MAX_CSTRING_SECTION);
        }
    }
    // Each section is read from one slice at most.
    if let Ok(slices) = &in_place {
        let read = |f: fn(&macho::SliceInfo) -> bool| slices.iter().filter(|s| f(s)).count();
        assert!(read(|s| s.objc == SectionState::Read) <= 1);
        assert!(read(|s| s.cstrings_state == SectionState::Read) <= 1);
        assert!(read(|s| s.ustrings_state == SectionState::Read) <= 1);
    }
    let n = macho::objc_classnames(data).map(|c| c.len()).sum::<usize>();
    assert!(n <= data.len() * 3, "lossy UTF-8 grows at most threefold");
    let n = macho::cstrings(data).map(|c| c.len()).sum::<usize>();
    assert!(n <= data.len() * 3, "lossy UTF-8 grows at most threefold");
    let n = macho::ustrings(data).map(|c| c.len()).sum::<usize>();
    assert!(n <= data.len() * 3 / 2, "UTF-16 to UTF-8 grows at most 3/2");
});
