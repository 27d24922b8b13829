//! The human view: aligned, short, filing fields first.

use super::{Cert, IconReport, LayerReport, Report};
use crate::cert::colon_hex;
use std::fmt::Write;

/// Width of the label column.
const COL: usize = 18;

fn row(out: &mut String, label: &str, value: &str) {
    // Pad by display width: CJK labels take two columns per character.
    let width: usize = label
        .chars()
        .map(|c| if c as u32 >= 0x1100 { 2 } else { 1 })
        .sum();
    let pad = COL.saturating_sub(width).max(1);
    let _ = writeln!(out, "  {label}{}{value}", " ".repeat(pad));
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_string(), T::to_string)
}

/// What was read, for the header of a package that is not a plain APK/IPA.
fn what_was_read(r: &Report) -> Option<String> {
    let others = r.splits.as_ref().map_or(0, Vec::len);
    let base = r.base_apk.as_deref().unwrap_or("-");
    let set = |name: &str| match others {
        0 => format!("{name}: its one APK, {base}"),
        n => format!("{name}: the base APK {base}; {n} more APK(s) of the set at the end"),
    };
    Some(match r.format {
        "aab" => {
            let modules = r.modules.as_ref().map_or(0, Vec::len);
            format!("Android App Bundle (.aab): the base module's facts; {modules} module(s)")
        }
        "apks" => set("bundletool APK set (.apks)"),
        "xapk" => set("XAPK (APKPure)"),
        "apkm" => set("APKM (APKMirror)"),
        "apk-set" => set("split APK set"),
        "app" => {
            let modules = r.modules.as_ref().map_or(0, Vec::len);
            format!("HarmonyOS app (.app): the entry module's facts; {modules} module(s)")
        }
        _ => return None,
    })
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.path);
    if let Some(what) = what_was_read(r) {
        let _ = writeln!(out, "  ({what})");
    }
    filing(&mut out, r);
    let _ = writeln!(out, "  ── package");
    row(&mut out, "package", &opt(&r.package));
    row(&mut out, "名称 label", &opt(&r.label));
    if r.platform == "ios" {
        ios_rows(&mut out, r);
        signers(&mut out, r);
        sdk_rows(&mut out, r);
        for w in &r.warnings {
            row(&mut out, "warning", w);
        }
        return out;
    }
    let version = match (&r.version_name, r.version_code) {
        (Some(n), Some(c)) => format!("{n} (code {c})"),
        (None, Some(c)) => format!("(code {c})"),
        (Some(n), None) => n.clone(),
        (None, None) => "-".into(),
    };
    row(&mut out, "version", &version);
    if r.platform == "harmonyos" {
        let mut api = format!("min {}", opt(&r.min_api));
        if let Some(os) = &r.min_os {
            let _ = write!(api, " ({os})");
        }
        let _ = write!(api, " · target {}", opt(&r.target_api));
        if let Some(t) = &r.api_release_type {
            let _ = write!(api, " · {t}");
        }
        row(&mut out, "api", &api);
        row(&mut out, "devices", &list(&r.device_types));
    } else {
        let mut sdk = format!("min {} · target {}", opt(&r.min_sdk), opt(&r.target_sdk));
        if let Some(c) = &r.min_sdk_codename {
            let _ = write!(sdk, " (min codename {c})");
        }
        if let Some(m) = r.max_sdk {
            let _ = write!(sdk, " · max {m}");
        }
        row(&mut out, "sdk", &sdk);
    }
    if !r.labels.is_empty() {
        // A handful inline; a big app has a hundred locales (--json has them all).
        const SHOWN: usize = 6;
        let mut list: Vec<String> = r
            .labels
            .iter()
            .take(SHOWN)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if r.labels.len() > SHOWN {
            list.push(format!("… {} locales in all", r.labels.len()));
        }
        row(&mut out, "labels", &list.join(", "));
    }
    row(&mut out, "icon", &icon(r.icon.as_ref()));
    if let Some(a) = r.icon.as_ref().and_then(|i| i.adaptive.as_ref()) {
        let layer = |l: &Option<LayerReport>| match l {
            Some(LayerReport::Path(p)) => p.clone(),
            Some(LayerReport::Color(c)) => c.clone(),
            None => "-".into(),
        };
        row(
            &mut out,
            "adaptive icon",
            &format!(
                "{} (fg {}, bg {})",
                a.path,
                layer(&a.foreground),
                layer(&a.background)
            ),
        );
    }
    if let Some(l) = r.icon.as_ref().and_then(|i| i.layered.as_ref()) {
        row(
            &mut out,
            "layered icon",
            &format!(
                "{} (fg {}, bg {})",
                l.path,
                opt(&l.foreground),
                opt(&l.background)
            ),
        );
    }
    if r.platform == "harmonyos" {
        row(&mut out, "launcher", &opt(&r.main_ability));
    } else {
        row(&mut out, "launcher", &opt(&r.launcher_activity));
    }
    row(
        &mut out,
        "abis",
        &if r.abis.is_empty() {
            "-".into()
        } else {
            r.abis.join(", ")
        },
    );
    let mut first = true;
    for p in &r.permissions {
        row(&mut out, if first { "permissions" } else { "" }, p);
        first = false;
    }
    if first {
        row(&mut out, "permissions", "-");
    }
    bundle_rows(&mut out, r);
    if let Some(p) = &r.harmony_profile {
        row(
            &mut out,
            "profile",
            &format!(
                "{} · {} · bundle {} · developer {} · expires {}",
                opt(&p.kind),
                opt(&p.app_distribution_type),
                opt(&p.bundle_name),
                opt(&p.developer_id),
                opt(&p.not_after)
            ),
        );
    }
    signers(&mut out, r);
    split_rows(&mut out, r);
    sdk_rows(&mut out, r);
    for w in &r.warnings {
        row(&mut out, "warning", w);
    }
    out
}

fn bundle_rows(out: &mut String, r: &Report) {
    for (i, m) in r.modules.iter().flatten().enumerate() {
        let mut desc = format!("{} ({}, {})", m.name, m.kind, m.delivery);
        if let Some(p) = &m.path {
            let _ = write!(desc, " {p}");
        }
        if let Some(t) = &m.title {
            let _ = write!(desc, " \"{t}\"");
        }
        if m.instant {
            desc.push_str(" instant");
        }
        row(out, if i == 0 { "modules" } else { "" }, &desc);
    }
    if let Some(b) = &r.bundle {
        let mut desc = format!("bundletool {}", opt(&b.bundletool_version));
        if let Some(agp) = &b.android_gradle_plugin {
            let _ = write!(desc, " · Android Gradle plugin {agp}");
        }
        if b.kind != "regular" {
            let _ = write!(desc, " · {}", b.kind);
        }
        row(out, "built by", &desc);
    }
}

fn split_rows(out: &mut String, r: &Report) {
    let Some(splits) = r.splits.as_ref().filter(|s| !s.is_empty()) else {
        return;
    };
    let _ = writeln!(out, "  ── other APKs of the set ({})", splits.len());
    for s in splits {
        let c = &s.config;
        let target: Vec<&str> = [&c.abi, &c.density, &c.language]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let mut desc = s.path.clone();
        let _ = write!(desc, "  split {}", opt(&s.split));
        if !target.is_empty() {
            let _ = write!(desc, " ({})", target.join(", "));
        }
        row(out, "APK", &desc);
        let signers: Vec<&str> = s
            .signers
            .iter()
            .map(|x| x.certificate.sha256.as_str())
            .collect();
        row(
            out,
            "  signed by",
            &if signers.is_empty() {
                "(unsigned)".to_string()
            } else {
                signers.join(", ")
            },
        );
    }
}

fn icon(i: Option<&IconReport>) -> String {
    let Some(i) = i else { return "-".into() };
    let Some(path) = &i.path else {
        if let (Some(_), Some(w), Some(h)) = (&i.layered, i.width, i.height) {
            return format!("layered ({w}×{h}, foreground over background)");
        }
        return "no raster image".into();
    };
    let mut s = path.clone();
    let dims = match (i.width, i.height) {
        (Some(w), Some(h)) => format!("{w}×{h} "),
        _ => String::new(),
    };
    let _ = write!(s, " ({dims}{}", i.format.unwrap_or("?"));
    if let Some(d) = i.density {
        let _ = write!(s, ", {d} dpi");
    }
    if i.crushed == Some(true) {
        s.push_str(", Xcode-crushed");
    }
    s.push(')');
    s
}

/// The APP备案 block: the form's own labels, each value ready to paste.
fn filing(out: &mut String, r: &Report) {
    if let Some(w) = &r.filing_withheld {
        let from = match w.cause {
            "upload-key" => "an .aab",
            "debug-certificate" => "a debug build",
            "development-certificate" => "a development build",
            "test-certificate" => "a test-signed build",
            "re-signed" => "a re-signed build",
            _ => "this package",
        };
        let _ = writeln!(out, "  ── APP备案 filing: no value from {from}");
        row(out, "包名", &opt(&r.package));
        row(
            out,
            "签名MD5值 / 公钥",
            &format!("none to file: the certificate here is {}", w.what()),
        );
        row(out, "", &w.certificate_sha256);
        for line in wrap(&w.note, 76) {
            row(out, "", &line);
        }
        return;
    }
    let Some(f) = &r.filing else {
        let _ = writeln!(
            out,
            "  ── APP备案 filing: no signing certificate found (unsigned?)"
        );
        return;
    };
    let profile_certs = r.provisioning.iter().flat_map(|p| p.certificates.iter());
    let cert = r
        .signers
        .iter()
        .flat_map(|s| std::iter::once(&s.certificate).chain(&s.lineage))
        .chain(profile_certs)
        .find(|c| c.sha256 == f.certificate_sha256);
    let _ = writeln!(out, "  ── APP备案 filing ({})", f.platform);
    if f.platform == "ios" {
        // The form's "MD5" field wants the SHA-1 fingerprint for iOS apps.
        row(out, "Bundle ID", &opt(&f.package));
        row(out, "签名MD5值 → SHA-1", &colon_hex(&f.signature_sha1));
        row(out, "", &f.signature_sha1);
        row(out, "MD5", &colon_hex(&f.signature_md5));
        row(out, "", &f.signature_md5);
    } else {
        row(out, "包名", &opt(&f.package));
        row(out, "签名MD5值", &colon_hex(&f.signature_md5));
        row(out, "", &f.signature_md5);
        row(out, "SHA-1", &colon_hex(&f.signature_sha1));
        row(out, "", &f.signature_sha1);
    }
    row(out, "SHA-256", &colon_hex(&f.certificate_sha256));
    row(out, "certificate", &f.certificate);
    row(out, "  why this one", basis_text(f.basis));
    let Some(c) = cert else { return };
    let k = &c.public_key;
    let mut desc = k.algorithm.clone();
    if let Some(b) = k.bits {
        let _ = write!(desc, " {b}-bit");
    }
    if let Some(curve) = &k.curve {
        let _ = write!(desc, " {curve}");
    }
    row(out, "公钥", &desc);
    row(out, "  SPKI base64", &k.spki_base64);
    row(out, "  SPKI hex", &k.spki_hex);
    if let Some(m) = &k.rsa_modulus_decimal {
        row(out, "  modulus (dec)", m);
    }
    if let Some(m) = &k.rsa_modulus_hex {
        row(out, "  modulus (hex)", m);
    }
    if let Some(e) = k.rsa_exponent {
        row(out, "  exponent", &e.to_string());
    }
    if let Some(p) = &k.ec_point_hex {
        row(out, "  EC point (hex)", p);
    }
    row(out, "certificate", &c.subject);
    let rotated = r
        .signers
        .iter()
        .any(|s| s.lineage.len() > 1 && s.lineage.first().is_some_and(|l| l.sha256 == c.sha256));
    if rotated {
        row(
            out,
            "",
            "(original certificate of a rotated key: what Android reports to apps)",
        );
    }
    if r.platform == "ios" && !r.signers.iter().any(|s| s.certificate.sha256 == c.sha256) {
        row(
            out,
            "",
            "(the developer certificate from the provisioning profile)",
        );
    }
}

/// Words of `text` in lines of at most `width` characters (a longer word
/// gets a line of its own).
/// Why the filing uses the certificate it does, in a phrase.
pub fn basis_text(basis: &str) -> &'static str {
    match basis {
        "signer" => "the package's signer",
        "rotation-original" => "the original of a v3 key rotation (what Android reports to apps)",
        "code-signature" => "the executable's code-signing certificate",
        "profile-developer-certificate" => {
            "the provisioning profile's developer certificate (Apple re-signed the binary, or it is unsigned)"
        }
        "signing-block-leaf" => "the leaf of the signing block's chain",
        _ => "-",
    }
}

/// 使用外部SDK, one line each as the form lists them, with `--scan`.
fn sdk_rows(out: &mut String, r: &Report) {
    let Some(sdks) = &r.sdks else { return };
    let _ = writeln!(out, "  ── 使用外部SDK external SDKs ({})", sdks.len());
    if sdks.is_empty() {
        row(out, "", "none found");
    }
    for s in sdks {
        row(
            out,
            "",
            &format!("{} · {} · {}", s.name_zh, s.provider_zh, s.category_zh),
        );
    }
    if let Some(Some(p)) = &r.packer {
        row(
            out,
            "加固 packer",
            &format!("{} · {}", p.name_zh, p.provider_zh),
        );
    }
    if let Some(libs) = r.libraries.as_ref().filter(|l| !l.is_empty()) {
        let names: Vec<&str> = libs.iter().map(|l| l.name.as_str()).collect();
        row(out, "libraries", &names.join(", "));
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn signers(out: &mut String, r: &Report) {
    for (i, s) in r.signers.iter().enumerate() {
        let role = s.role.map(|r| format!(", {r} key")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  ── signer {} ({}{role})",
            i + 1,
            s.schemes.join(", ")
        );
        cert_rows(out, &s.certificate);
        for (n, l) in s.lineage.iter().enumerate() {
            row(
                out,
                if n == 0 { "lineage" } else { "" },
                &format!("{} {}", l.sha256, l.subject),
            );
        }
    }
}

fn cert_rows(out: &mut String, c: &Cert) {
    row(out, "subject", &c.subject);
    row(out, "issuer", &c.issuer);
    row(out, "serial", &c.serial);
    row(
        out,
        "valid",
        &format!("{} … {}", opt(&c.not_before), opt(&c.not_after)),
    );
    row(out, "algorithm", &c.signature_algorithm);
    row(out, "SHA-256", &c.sha256);
}

/// A list on one line, `-` when absent or empty.
fn list(v: &Option<Vec<String>>) -> String {
    match v {
        Some(v) if !v.is_empty() => v.join(", "),
        _ => "-".to_string(),
    }
}

fn ios_rows(out: &mut String, r: &Report) {
    let version = format!("{} (build {})", opt(&r.version_name), opt(&r.build));
    row(out, "version", &version);
    row(out, "min iOS", &opt(&r.min_os));
    row(out, "devices", &opt(&r.device_family));
    row(out, "architectures", &list(&r.architectures));
    if !r.labels.is_empty() {
        let l: Vec<String> = r.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        row(out, "labels", &l.join(", "));
    }
    row(out, "icon", &icon(r.icon.as_ref()));
    row(out, "url schemes", &list(&r.url_schemes));
    row(out, "ATS exceptions", &list(&r.ats_exception_domains));
    if let Some(p) = &r.provisioning {
        row(
            out,
            "profile",
            &format!(
                "{} · {} · team {} · expires {}",
                p.kind,
                opt(&p.name),
                opt(&p.team_id),
                opt(&p.expires)
            ),
        );
    }
    for e in r.extensions.iter().flatten() {
        row(
            out,
            "contains",
            &format!("{} {} ({})", e.kind, opt(&e.bundle_id), e.path),
        );
    }
    if !r.permissions.is_empty() {
        row(out, "privacy keys", &r.permissions.join(", "));
    }
}
