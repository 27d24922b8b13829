//! `ResTable_config`: the qualifiers (locale, density, sdk, …) of one type chunk.
//!
//! The struct grew over Android releases and starts with its own size, so
//! only the fields the stored size covers are read; the rest stay 0.

use crate::bytes::{u16_at, u32_at};

pub const DENSITY_DEFAULT: u16 = 0;
pub const DENSITY_MEDIUM: u16 = 160;
pub const DENSITY_ANY: u16 = 0xfffe;
pub const DENSITY_NONE: u16 = 0xffff;

/// One configuration, raw as stored (all fields little-endian decoded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The size the struct declared for itself.
    pub size: u32,
    pub mcc: u16,
    pub mnc: u16,
    /// Two bytes; when the high bit of the first is set they pack three letters.
    pub language: [u8; 2],
    /// Two bytes; when the high bit of the first is set they pack three digits.
    pub country: [u8; 2],
    pub orientation: u8,
    pub touchscreen: u8,
    pub density: u16,
    pub keyboard: u8,
    pub navigation: u8,
    pub input_flags: u8,
    /// `inputPad0`, which Android 14 reuses for `grammaticalInflection` (low 2 bits).
    pub input_pad0: u8,
    pub screen_width: u16,
    pub screen_height: u16,
    pub sdk_version: u16,
    pub minor_version: u16,
    pub screen_layout: u8,
    pub ui_mode: u8,
    pub smallest_screen_width_dp: u16,
    pub screen_width_dp: u16,
    pub screen_height_dp: u16,
    pub locale_script: [u8; 4],
    pub locale_variant: [u8; 8],
    pub screen_layout2: u8,
    pub color_mode: u8,
    pub screen_config_pad2: u16,
    pub locale_script_was_computed: bool,
    pub locale_numbering_system: [u8; 8],
}

impl Config {
    /// Read a config from `data` (which starts at the struct). Reads at most
    /// `min(declared size, data.len())` bytes; absent fields are 0.
    pub fn parse(data: &[u8]) -> Config {
        let size = u32_at(data, 0).unwrap_or(0);
        let avail = usize::try_from(size).unwrap_or(usize::MAX).min(data.len());
        let d = data.get(..avail).unwrap_or(&[]);
        let b = |at: usize| d.get(at).copied().unwrap_or(0);
        let h = |at: usize| u16_at(d, at).unwrap_or(0);
        fn arr<const N: usize>(d: &[u8], at: usize) -> [u8; N] {
            let mut out = [0u8; N];
            // A field cut in half by the size is read up to the cut.
            for (i, o) in out.iter_mut().enumerate() {
                *o = at
                    .checked_add(i)
                    .and_then(|p| d.get(p))
                    .copied()
                    .unwrap_or(0);
            }
            out
        }
        Config {
            size,
            mcc: h(4),
            mnc: h(6),
            language: arr(d, 8),
            country: arr(d, 10),
            orientation: b(12),
            touchscreen: b(13),
            density: h(14),
            keyboard: b(16),
            navigation: b(17),
            input_flags: b(18),
            input_pad0: b(19),
            screen_width: h(20),
            screen_height: h(22),
            sdk_version: h(24),
            minor_version: h(26),
            screen_layout: b(28),
            ui_mode: b(29),
            smallest_screen_width_dp: h(30),
            screen_width_dp: h(32),
            screen_height_dp: h(34),
            locale_script: arr(d, 36),
            locale_variant: arr(d, 40),
            screen_layout2: b(48),
            color_mode: b(49),
            screen_config_pad2: h(50),
            locale_script_was_computed: b(52) != 0,
            locale_numbering_system: arr(d, 53),
        }
    }

    /// Read a config at `at` in `data`, bounded by `data`.
    pub(crate) fn parse_at(data: &[u8], at: usize) -> Config {
        Config::parse(data.get(at..).unwrap_or(&[]))
    }

    /// Set the locale from a BCP-47 tag ("zh-CN", "sr-Latn", "es-419",
    /// "de-1901", "ar-u-nu-latn"), as aapt2's protobuf configurations store
    /// it. Subtags that fit no field are ignored.
    pub(crate) fn set_locale(&mut self, tag: &str) {
        let mut parts = tag.split(['-', '_']).filter(|p| !p.is_empty());
        let Some(lang) = parts.next() else { return };
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
            return;
        }
        self.language = pack(&lang.to_ascii_lowercase(), b'a');
        let mut extension = false;
        while let Some(p) = parts.next() {
            let alpha = p.bytes().all(|b| b.is_ascii_alphabetic());
            let digits = p.bytes().all(|b| b.is_ascii_digit());
            if extension || p.len() == 1 {
                // "-u-nu-latn": the one extension Android keeps.
                if p.eq_ignore_ascii_case("nu") {
                    if let Some(nu) = parts.next() {
                        copy_into(&mut self.locale_numbering_system, nu);
                    }
                }
                extension = true;
            } else if p.len() == 4 && alpha {
                copy_into(&mut self.locale_script, p);
            } else if (p.len() == 2 && alpha) || (p.len() == 3 && digits) {
                // Two letters are stored as they are, three digits packed.
                self.country = pack(&p.to_ascii_uppercase(), b'0');
            } else if (5..=8).contains(&p.len()) || (p.len() == 4 && !alpha) {
                copy_into(&mut self.locale_variant, p);
            }
        }
    }

    /// Language code ("en", "fil"), or `None` when unset.
    pub fn language(&self) -> Option<String> {
        unpack(self.language, b'a').map(|s| s.to_ascii_lowercase())
    }

    /// Region code ("US", "419"), or `None` when unset.
    pub fn region(&self) -> Option<String> {
        unpack(self.country, b'0').map(|s| s.to_ascii_uppercase())
    }

    /// The script when it was written in the file ("Latn"), not computed.
    pub fn script(&self) -> Option<String> {
        if self.locale_script_was_computed {
            return None;
        }
        text(&self.locale_script).map(|s| {
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
    }

    pub fn variant(&self) -> Option<String> {
        text(&self.locale_variant).map(|s| s.to_ascii_lowercase())
    }

    pub fn numbering_system(&self) -> Option<String> {
        text(&self.locale_numbering_system).map(|s| s.to_ascii_lowercase())
    }

    /// BCP-47 tag: "zh-CN", "sr-Latn", "b+sr+Latn" -> "sr-Latn", "en-XA";
    /// `None` for the default (no language).
    pub fn locale(&self) -> Option<String> {
        let mut out = self.language()?;
        for part in [self.script(), self.region(), self.variant()]
            .into_iter()
            .flatten()
        {
            out.push('-');
            out.push_str(&part);
        }
        if let Some(nu) = self.numbering_system() {
            out.push_str("-u-nu-");
            out.push_str(&nu);
        }
        Some(out)
    }

    /// 0 = default (treat as 160 when comparing), 0xfffe anydpi, 0xffff nodpi.
    pub fn density(&self) -> u16 {
        self.density
    }

    pub fn sdk_version(&self) -> u16 {
        self.sdk_version
    }

    /// True when nothing but density/sdkVersion (and its minor version) is set.
    pub fn is_default_locale(&self) -> bool {
        self.language == [0, 0] && self.other_qualifier_count() == 0
    }

    /// How many qualifiers other than locale, density and version are set.
    pub(crate) fn other_qualifier_count(&self) -> u32 {
        let set = [
            self.mcc != 0,
            self.mnc != 0,
            self.country != [0, 0] && self.language == [0, 0],
            self.orientation != 0,
            self.touchscreen != 0,
            self.keyboard != 0,
            self.navigation != 0,
            self.input_flags != 0,
            self.input_pad0 != 0,
            self.screen_width != 0,
            self.screen_height != 0,
            self.screen_layout != 0,
            self.ui_mode != 0,
            self.smallest_screen_width_dp != 0,
            self.screen_width_dp != 0,
            self.screen_height_dp != 0,
            self.screen_layout2 != 0,
            self.color_mode != 0,
        ];
        set.iter().map(|&s| u32::from(s)).sum()
    }

    /// aapt-style qualifier string, e.g. "zh-rCN-xhdpi-v26" ("" for default).
    pub fn qualifiers(&self) -> String {
        let mut q: Vec<String> = Vec::new();
        if self.mcc != 0 {
            q.push(format!("mcc{}", self.mcc));
        }
        if self.mnc != 0 {
            // Like AOSP's toString: MNC_ZERO (0xffff) prints as "mnc65535".
            q.push(format!("mnc{}", self.mnc));
        }
        if let Some(l) = self.dir_locale() {
            q.push(l);
        }
        push_named(
            &mut q,
            self.input_pad0 & 0x03,
            &[(1, "neuter"), (2, "feminine"), (3, "masculine")],
        );
        push_named(
            &mut q,
            self.screen_layout & 0xc0,
            &[(0x40, "ldltr"), (0x80, "ldrtl")],
        );
        if self.smallest_screen_width_dp != 0 {
            q.push(format!("sw{}dp", self.smallest_screen_width_dp));
        }
        if self.screen_width_dp != 0 {
            q.push(format!("w{}dp", self.screen_width_dp));
        }
        if self.screen_height_dp != 0 {
            q.push(format!("h{}dp", self.screen_height_dp));
        }
        push_named(
            &mut q,
            self.screen_layout & 0x0f,
            &[(1, "small"), (2, "normal"), (3, "large"), (4, "xlarge")],
        );
        push_named(
            &mut q,
            self.screen_layout & 0x30,
            &[(0x10, "notlong"), (0x20, "long")],
        );
        push_named(
            &mut q,
            self.screen_layout2 & 0x03,
            &[(1, "notround"), (2, "round")],
        );
        push_named(
            &mut q,
            self.color_mode & 0x03,
            &[(1, "nowidecg"), (2, "widecg")],
        );
        push_named(
            &mut q,
            self.color_mode & 0x0c,
            &[(0x04, "lowdr"), (0x08, "highdr")],
        );
        push_named(
            &mut q,
            self.orientation,
            &[(1, "port"), (2, "land"), (3, "square")],
        );
        push_named(
            &mut q,
            self.ui_mode & 0x0f,
            &[
                (2, "desk"),
                (3, "car"),
                (4, "television"),
                (5, "appliance"),
                (6, "watch"),
                (7, "vrheadset"),
            ],
        );
        push_named(
            &mut q,
            self.ui_mode & 0x30,
            &[(0x10, "notnight"), (0x20, "night")],
        );
        if self.density != 0 {
            q.push(density_name(self.density));
        }
        push_named(
            &mut q,
            self.touchscreen,
            &[(1, "notouch"), (2, "stylus"), (3, "finger")],
        );
        push_named(
            &mut q,
            self.input_flags & 0x03,
            &[(1, "keysexposed"), (2, "keyshidden"), (3, "keyssoft")],
        );
        push_named(
            &mut q,
            self.keyboard,
            &[(1, "nokeys"), (2, "qwerty"), (3, "12key")],
        );
        push_named(
            &mut q,
            self.input_flags & 0x0c,
            &[(0x04, "navexposed"), (0x08, "navhidden")],
        );
        push_named(
            &mut q,
            self.navigation,
            &[(1, "nonav"), (2, "dpad"), (3, "trackball"), (4, "wheel")],
        );
        if self.screen_width != 0 || self.screen_height != 0 {
            q.push(format!("{}x{}", self.screen_width, self.screen_height));
        }
        if self.sdk_version != 0 {
            if self.minor_version != 0 {
                q.push(format!("v{}.{}", self.sdk_version, self.minor_version));
            } else {
                q.push(format!("v{}", self.sdk_version));
            }
        }
        q.join("-")
    }

    /// The locale as a resource directory writes it: "zh-rCN" or "b+sr+Latn".
    fn dir_locale(&self) -> Option<String> {
        let lang = self.language()?;
        let script = self.script();
        let variant = self.variant();
        let nu = self.numbering_system();
        if script.is_none() && variant.is_none() && nu.is_none() {
            return Some(match self.region() {
                Some(r) => format!("{lang}-r{r}"),
                None => lang,
            });
        }
        let mut out = format!("b+{lang}");
        for part in [script, self.region(), variant].into_iter().flatten() {
            out.push('+');
            out.push_str(&part);
        }
        if let Some(nu) = nu {
            out.push_str("+u+nu+");
            out.push_str(&nu);
        }
        Some(out)
    }
}

fn push_named(q: &mut Vec<String>, v: u8, names: &[(u8, &str)]) {
    if v == 0 {
        return;
    }
    match names.iter().find(|(k, _)| *k == v) {
        Some((_, n)) => q.push((*n).to_string()),
        None => q.push(format!("0x{v:02x}")),
    }
}

/// "xhdpi" etc., as aapt names densities.
pub fn density_name(d: u16) -> String {
    match d {
        120 => "ldpi".into(),
        160 => "mdpi".into(),
        213 => "tvdpi".into(),
        240 => "hdpi".into(),
        320 => "xhdpi".into(),
        480 => "xxhdpi".into(),
        640 => "xxxhdpi".into(),
        DENSITY_ANY => "anydpi".into(),
        DENSITY_NONE => "nodpi".into(),
        n => format!("{n}dpi"),
    }
}

/// Zero-terminated ASCII field as text; `None` when empty or not printable.
/// Copy ASCII text into a fixed, NUL-padded field (cut to fit).
fn copy_into<const N: usize>(field: &mut [u8; N], text: &str) {
    *field = [0; N];
    for (f, b) in field.iter_mut().zip(text.bytes()) {
        *f = b;
    }
}

fn text(b: &[u8]) -> Option<String> {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    let s = b.get(..end)?;
    if s.is_empty() || !s.iter().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(String::from_utf8_lossy(s).into_owned())
}

/// AOSP `unpackLanguageOrRegion`: two plain chars, or three 5-bit values.
fn unpack(b: [u8; 2], base: u8) -> Option<String> {
    let [b0, b1] = b;
    if b0 & 0x80 != 0 {
        let c0 = base.wrapping_add(b1 & 0x1f);
        let c1 = base.wrapping_add(((b1 & 0xe0) >> 5) | ((b0 & 0x03) << 3));
        let c2 = base.wrapping_add((b0 & 0x7c) >> 2);
        let s = [c0, c1, c2];
        s.iter()
            .all(|c| c.is_ascii_alphanumeric())
            .then(|| String::from_utf8_lossy(&s).into_owned())
    } else {
        text(&b)
    }
}

/// Pack a 2- or 3-letter code the way the file stores it (aapt2's protobuf
/// configurations give locales as text; test builders).
pub(crate) fn pack(code: &str, base: u8) -> [u8; 2] {
    let c = code.as_bytes();
    match c {
        [a, b] => [*a, *b],
        [a, b, c] => {
            let (x, y, z) = (
                a.wrapping_sub(base),
                b.wrapping_sub(base),
                c.wrapping_sub(base),
            );
            [
                0x80 | ((z & 0x1f) << 2) | ((y >> 3) & 0x03),
                (x & 0x1f) | ((y & 0x07) << 5),
            ]
        }
        _ => [0, 0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(lang: &str, region: &str) -> Config {
        Config {
            size: 64,
            language: pack(lang, b'a'),
            country: pack(region, b'0'),
            ..Config::default()
        }
    }

    #[test]
    fn packing_round_trips() {
        assert_eq!(cfg("fil", "").language().as_deref(), Some("fil"));
        assert_eq!(cfg("es", "419").locale().as_deref(), Some("es-419"));
        assert_eq!(cfg("es", "419").qualifiers(), "es-r419");
        assert_eq!(unpack(pack("haw", b'a'), b'a').as_deref(), Some("haw"));
    }

    #[test]
    fn qualifiers_and_locale() {
        let mut c = cfg("zh", "CN");
        c.density = 320;
        c.sdk_version = 26;
        assert_eq!(c.qualifiers(), "zh-rCN-xhdpi-v26");
        assert_eq!(c.locale().as_deref(), Some("zh-CN"));
        assert!(!c.is_default_locale());
        let mut s = cfg("sr", "");
        s.locale_script = *b"Latn";
        assert_eq!(s.locale().as_deref(), Some("sr-Latn"));
        assert_eq!(s.qualifiers(), "b+sr+Latn");
        let mut d = Config::default();
        assert_eq!(d.qualifiers(), "");
        assert_eq!(d.locale(), None);
        d.density = DENSITY_ANY;
        d.sdk_version = 26;
        assert!(d.is_default_locale());
        assert_eq!(d.qualifiers(), "anydpi-v26");
        d.orientation = 2;
        assert!(!d.is_default_locale());
        assert_eq!(d.qualifiers(), "land-anydpi-v26");
    }

    #[test]
    fn short_configs_read_what_is_there() {
        // A 28-byte config (pre-screenLayout): sdkVersion present, the rest 0.
        let mut raw = vec![0u8; 28];
        raw[0] = 28;
        raw[8..10].copy_from_slice(b"en");
        raw[24] = 21;
        raw.extend_from_slice(&[0xff; 40]); // bytes past the size are ignored
        let c = Config::parse(&raw);
        assert_eq!(c.sdk_version(), 21);
        assert_eq!(c.screen_layout, 0);
        assert_eq!(c.locale_script, [0; 4]);
        assert_eq!(c.locale().as_deref(), Some("en"));
        // Declared size larger than the data: read up to the data.
        let c = Config::parse(&[0xff, 0xff, 0xff, 0xff, 1, 0]);
        assert_eq!((c.mcc, c.mnc), (1, 0));
        assert_eq!(Config::parse(&[]), Config::default());
    }
}
