//! `apkinfo filing`: the APP备案 form for one app built for several
//! platforms, in the form's own order and words, from the packages' scanned
//! reports (see `../shared/FILING.md`).
//!
//! APP基础信息 first (服务名称, 服务语言, 使用外部SDK, APP图标), then one
//! APP特征信息 row per platform (应用运行平台, 包名, 公钥, 签名MD5值, 域名), then
//! 服务器IP candidates and the warnings that matter for the filing.

use crate::report::{DomainReport, FilingWithheld, IpReport, LanguageReport, Report, SdkReport};
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Form {
    /// APP基础信息.
    pub app: AppInfo,
    /// APP特征信息: one row per platform, in the order the files were given.
    pub platforms: Vec<PlatformRow>,
    /// 服务器IP: public addresses found in URLs and configuration, with
    /// where. Private and loopback addresses are never candidates.
    pub server_ips: Vec<IpReport>,
    /// What the filer must know before pasting: certificates not to file,
    /// several signers, names that differ between platforms, domains past
    /// the fourth level.
    pub warnings: Vec<String>,
}

/// APP基础信息.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AppInfo {
    /// 服务名称: the Chinese label when there is one, else the default label.
    pub name: Option<String>,
    /// Where the name came from: "zh label (zh-CN) of android", "label of ios", …
    pub name_source: Option<String>,
    /// 服务语言: every platform's languages, each once.
    pub languages: Vec<LanguageReport>,
    /// 使用外部SDK: each SDK once over the platforms, with the platforms it is on.
    pub sdks: Vec<FormSdk>,
    /// APP图标: the icons written (with `--icon-dir`), by platform.
    pub icons: Vec<FormIcon>,
}

/// An SDK as the form lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormSdk {
    pub name: String,
    pub name_zh: String,
    pub provider: String,
    pub provider_zh: String,
    pub category: &'static str,
    pub category_zh: &'static str,
    pub platforms: Vec<&'static str>,
}

/// An icon written for the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormIcon {
    pub platform: &'static str,
    /// The PNG written.
    pub file: String,
    /// Where in the package it came from.
    pub source: String,
    pub width: u32,
    pub height: u32,
}

/// APP特征信息 for one platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlatformRow {
    /// 应用运行平台: "android", "ios", "harmonyos".
    pub platform: &'static str,
    /// The form's word for it: Android, iOS, 鸿蒙 (HarmonyOS).
    pub platform_zh: &'static str,
    /// The package file.
    pub file: String,
    /// 包名 (Bundle ID, bundleName).
    pub package: Option<String>,
    /// 公钥: SPKI as base64 (the body of `openssl x509 -pubkey`) and hex.
    pub public_key_base64: Option<String>,
    pub public_key_hex: Option<String>,
    /// RSA modulus in decimal (what jadx shows), when RSA.
    pub rsa_modulus_decimal: Option<String>,
    /// 签名MD5值: what the platform's form wants in it — Android the MD5,
    /// iOS the SHA-1 (labelled so), HarmonyOS the MD5 with SHA-1 and SHA-256
    /// beside it.
    pub signature_label: &'static str,
    pub signature_value: Option<String>,
    pub md5: Option<String>,
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    /// The certificate the values are of, and why that one.
    pub certificate: Option<String>,
    pub basis: Option<&'static str>,
    /// Set when the package's certificate is not the one to file: no value
    /// is given then.
    pub withheld: Option<FilingWithheld>,
    /// 域名: the `own` bucket, by registrable domain.
    pub domains: Vec<DomainGroup>,
}

/// The hosts under one registrable domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainGroup {
    pub registrable: String,
    /// Deepest DNS level among the hosts (registrable = 2).
    pub max_level: u8,
    pub hosts: Vec<FormHost>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormHost {
    pub host: String,
    pub level: u8,
}

fn platform_zh(p: &str) -> &'static str {
    match p {
        "android" => "Android",
        "ios" => "iOS",
        "harmonyos" => "鸿蒙 (HarmonyOS)",
        _ => "-",
    }
}

/// The form from the scanned reports of one app's packages.
pub fn form(reports: &[Report]) -> Form {
    let mut f = Form::default();
    // 服务名称: a Chinese label first (zh-CN, zh-Hans, zh…), else the default.
    let zh = reports.iter().find_map(|r| {
        let (tag, label) = r.labels.iter().find(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k == "zh" || k.starts_with("zh-cn") || k.starts_with("zh-hans") || k == "zh-rcn"
        })?;
        Some((
            label.clone(),
            format!("{} label ({tag}) of {}", "zh", r.platform),
        ))
    });
    let default = || {
        reports.iter().find_map(|r| {
            let l = r.label.clone()?;
            Some((l, format!("label of {}", r.platform)))
        })
    };
    if let Some((name, source)) = zh.or_else(default) {
        f.app.name = Some(name);
        f.app.name_source = Some(source);
    }
    for r in reports {
        // The form lists languages, not tags: zh-CN and zh-Hans are one 中文简体.
        for l in r.languages.iter().flatten() {
            let same = |x: &LanguageReport| match (&x.name_zh, &l.name_zh) {
                (Some(a), Some(b)) => a == b,
                _ => x.tag.eq_ignore_ascii_case(&l.tag),
            };
            if !f.app.languages.iter().any(same) {
                f.app.languages.push(l.clone());
            }
        }
        for s in r.sdks.iter().flatten() {
            add_sdk(&mut f.app.sdks, s, r.platform);
        }
        f.platforms.push(row(r));
        for ip in r.ips.iter().flatten().filter(|ip| ip.public) {
            if !f.server_ips.iter().any(|x| x.address == ip.address) {
                f.server_ips.push(ip.clone());
            }
        }
    }
    f.warnings = warnings(reports);
    f
}

fn add_sdk(list: &mut Vec<FormSdk>, s: &SdkReport, platform: &'static str) {
    if let Some(x) = list.iter_mut().find(|x| x.name == s.name) {
        if !x.platforms.contains(&platform) {
            x.platforms.push(platform);
        }
        return;
    }
    list.push(FormSdk {
        name: s.name.clone(),
        name_zh: s.name_zh.clone(),
        provider: s.provider.clone(),
        provider_zh: s.provider_zh.clone(),
        category: s.category,
        category_zh: s.category_zh,
        platforms: vec![platform],
    });
}

fn row(r: &Report) -> PlatformRow {
    let mut p = PlatformRow {
        platform: r.platform,
        platform_zh: platform_zh(r.platform),
        file: r.path.clone(),
        package: r.package.clone(),
        withheld: r.filing_withheld.clone(),
        signature_label: match r.platform {
            "ios" => "签名MD5值 (iOS: SHA-1 指纹)",
            "harmonyos" => "签名MD5值 (证书指纹 MD5; SHA-1, SHA-256 beside)",
            _ => "签名MD5值",
        },
        ..PlatformRow::default()
    };
    if let Some(f) = &r.filing {
        let cert = r
            .signers
            .iter()
            .flat_map(|s| std::iter::once(&s.certificate).chain(&s.lineage))
            .chain(r.provisioning.iter().flat_map(|p| p.certificates.iter()))
            .find(|c| c.sha256 == f.certificate_sha256);
        p.public_key_hex = Some(f.public_key.clone());
        p.public_key_base64 = cert.map(|c| c.public_key.spki_base64.clone());
        p.rsa_modulus_decimal = cert.and_then(|c| c.public_key.rsa_modulus_decimal.clone());
        p.signature_value = Some(if r.platform == "ios" {
            f.signature_sha1.clone()
        } else {
            f.signature_md5.clone()
        });
        p.md5 = Some(f.signature_md5.clone());
        p.sha1 = Some(f.signature_sha1.clone());
        p.sha256 = Some(f.certificate_sha256.clone());
        p.certificate = Some(f.certificate.clone());
        p.basis = Some(f.basis);
    }
    p.domains = groups(r.domains.iter().flatten().filter(|d| d.bucket == "own"));
    p
}

fn groups<'a>(domains: impl Iterator<Item = &'a DomainReport>) -> Vec<DomainGroup> {
    let mut by: BTreeMap<&str, Vec<FormHost>> = BTreeMap::new();
    for d in domains {
        by.entry(d.registrable.as_str())
            .or_default()
            .push(FormHost {
                host: d.host.clone(),
                level: d.level,
            });
    }
    by.into_iter()
        .map(|(registrable, mut hosts)| {
            hosts.sort_by(|a, b| (a.level, &a.host).cmp(&(b.level, &b.host)));
            DomainGroup {
                registrable: registrable.to_string(),
                max_level: hosts.iter().map(|h| h.level).max().unwrap_or(2),
                hosts,
            }
        })
        .collect()
}

fn warnings(reports: &[Report]) -> Vec<String> {
    let mut out = Vec::new();
    for r in reports {
        if let Some(w) = &r.filing_withheld {
            out.push(format!("{} ({}): {}", r.platform, r.path, w.note));
        }
        if r.filing.is_none() && r.filing_withheld.is_none() {
            out.push(format!(
                "{} ({}): no signing certificate found: nothing to file for 公钥 and 签名MD5值",
                r.platform, r.path
            ));
        }
        for w in r
            .warnings
            .iter()
            .filter(|w| w.starts_with("signed by ") && w.contains("certificates"))
        {
            out.push(format!("{} ({}): {w}", r.platform, r.path));
        }
        for d in r
            .domains
            .iter()
            .flatten()
            .filter(|d| d.bucket == "own" && d.level > 4)
        {
            out.push(format!(
                "{} ({}): {} is a level-{} domain; the form takes domains up to the fourth level ({} is the second)",
                r.platform, r.path, d.host, d.level, d.registrable
            ));
        }
        if r.domains.is_none() {
            out.push(format!(
                "{} ({}): not scanned: domains, SDKs and languages are missing",
                r.platform, r.path
            ));
        }
    }
    let mut names: Vec<(&str, &str)> = reports
        .iter()
        .filter_map(|r| Some((r.platform, r.label.as_deref()?)))
        .collect();
    names.dedup_by(|a, b| a.1 == b.1);
    if names.len() > 1 {
        let list: Vec<String> = names.iter().map(|(p, l)| format!("{p}: {l}")).collect();
        out.push(format!(
            "the platforms name the app differently ({}): the form files one 服务名称",
            list.join(", ")
        ));
    }
    let mut packages: Vec<(&str, &str)> = reports
        .iter()
        .filter_map(|r| Some((r.platform, r.package.as_deref()?)))
        .collect();
    packages.dedup_by(|a, b| a.1 == b.1);
    if packages.len() > 1 {
        let list: Vec<String> = packages.iter().map(|(p, l)| format!("{p}: {l}")).collect();
        out.push(format!(
            "the package names differ between platforms ({}): each row carries its own, which is allowed, but check they are this app's",
            list.join(", ")
        ));
    }
    out
}

fn line(out: &mut String, label: &str, value: &str) {
    use std::fmt::Write;
    let pad = 16usize.saturating_sub(display_width(label));
    let _ = writeln!(out, "  {label}{}  {value}", " ".repeat(pad));
}

/// Columns a label takes in a terminal: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{1100}'..='\u{ffdc}').contains(&c) && !c.is_ascii() {
                2
            } else {
                1
            }
        })
        .sum()
}

/// The form as text, in its own order; every value on its own line so it
/// can be copied whole.
pub fn render_text(f: &Form) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "APP基础信息");
    line(&mut out, "服务名称", f.app.name.as_deref().unwrap_or("-"));
    if let Some(s) = &f.app.name_source {
        line(&mut out, "", &format!("(from the {s})"));
    }
    let langs: Vec<String> = f
        .app
        .languages
        .iter()
        .map(|l| match &l.name_zh {
            Some(n) => format!("{n} ({})", l.tag),
            None => l.tag.clone(),
        })
        .collect();
    line(
        &mut out,
        "服务语言",
        &if langs.is_empty() {
            "-".into()
        } else {
            langs.join(", ")
        },
    );
    line(
        &mut out,
        "使用外部SDK",
        &if f.app.sdks.is_empty() {
            "否 (none found)".to_string()
        } else {
            format!("是 ({})", f.app.sdks.len())
        },
    );
    for s in &f.app.sdks {
        line(
            &mut out,
            "",
            &format!(
                "{} · {} · {} [{}]",
                s.name_zh,
                s.provider_zh,
                s.category_zh,
                s.platforms.join(", ")
            ),
        );
    }
    if f.app.icons.is_empty() {
        line(&mut out, "APP图标", "- (give --icon-dir DIR to write it)");
    }
    for i in &f.app.icons {
        line(
            &mut out,
            "APP图标",
            &format!(
                "{} ({}×{}, {} {})",
                i.file, i.width, i.height, i.platform, i.source
            ),
        );
    }
    let _ = writeln!(out, "APP特征信息");
    for p in &f.platforms {
        let _ = writeln!(out, "  ── {} ({})", p.platform_zh, p.file);
        line(&mut out, "应用运行平台", p.platform_zh);
        line(
            &mut out,
            if p.platform == "ios" {
                "Bundle ID"
            } else {
                "包名"
            },
            p.package.as_deref().unwrap_or("-"),
        );
        if let Some(w) = &p.withheld {
            line(
                &mut out,
                "公钥 / 签名MD5值",
                &format!("none to file: the certificate here is {}", w.what()),
            );
            line(&mut out, "", &w.note);
        } else if p.signature_value.is_some() {
            line(
                &mut out,
                "公钥",
                p.public_key_base64.as_deref().unwrap_or("-"),
            );
            if let Some(m) = &p.rsa_modulus_decimal {
                line(&mut out, "  RSA modulus", m);
            }
            line(
                &mut out,
                p.signature_label,
                p.signature_value.as_deref().unwrap_or("-"),
            );
            if p.platform != "android" {
                line(&mut out, "  MD5", p.md5.as_deref().unwrap_or("-"));
            }
            if p.platform != "ios" {
                line(&mut out, "  SHA-1", p.sha1.as_deref().unwrap_or("-"));
            }
            line(&mut out, "  SHA-256", p.sha256.as_deref().unwrap_or("-"));
            line(
                &mut out,
                "  certificate",
                p.certificate.as_deref().unwrap_or("-"),
            );
            line(
                &mut out,
                "  why this one",
                crate::report::text::basis_text(p.basis.unwrap_or_default()),
            );
        } else {
            line(
                &mut out,
                "公钥 / 签名MD5值",
                "- (no signing certificate found)",
            );
        }
        if p.domains.is_empty() {
            line(&mut out, "域名", "- (none of the app's own found)");
        }
        for (i, g) in p.domains.iter().enumerate() {
            let hosts: Vec<String> = g
                .hosts
                .iter()
                .map(|h| format!("{} (L{})", h.host, h.level))
                .collect();
            line(
                &mut out,
                if i == 0 { "域名" } else { "" },
                &format!(
                    "{} — {} host(s), up to level {}: {}",
                    g.registrable,
                    g.hosts.len(),
                    g.max_level,
                    hosts.join(", ")
                ),
            );
        }
    }
    if !f.server_ips.is_empty() {
        let _ = writeln!(out, "服务器IP candidates");
        for ip in &f.server_ips {
            let from: Vec<&str> = ip.sources.iter().map(|s| s.path.as_str()).collect();
            line(
                &mut out,
                "",
                &format!("{} (in {})", ip.address, from.join(", ")),
            );
        }
    }
    if !f.warnings.is_empty() {
        let _ = writeln!(out, "提醒 warnings");
        for w in &f.warnings {
            line(&mut out, "", w);
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The form as one self-contained HTML page: no external resource, the
/// icons inlined as data URIs, a copy button beside every value, long keys
/// wrapped. `icons` are (platform, PNG bytes).
pub fn render_html(f: &Form, icons: &[(&str, Vec<u8>)]) -> String {
    use base64ct::{Base64, Encoding};
    use std::fmt::Write;
    let mut h = String::new();
    let row = |h: &mut String, label: &str, value: &str| {
        let _ = write!(
            h,
            "<tr><th>{}</th><td><code>{}</code></td><td><button onclick=\"copy(this)\">复制 copy</button></td></tr>",
            esc(label),
            esc(value)
        );
    };
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>APP备案 {}</title><style>\
body{{font-family:sans-serif;margin:2em;max-width:72em}}table{{border-collapse:collapse;width:100%;margin-bottom:1.5em}}\
th{{text-align:left;vertical-align:top;width:12em;padding:.3em;background:#f3f3f3}}td{{padding:.3em;vertical-align:top}}\
code{{word-break:break-all;white-space:pre-wrap}}button{{font-size:.8em}}.warn{{color:#a00}}img{{width:96px;height:96px}}\
</style><script>function copy(b){{navigator.clipboard.writeText(b.parentNode.previousSibling.innerText)}}</script></head><body>",
        esc(f.app.name.as_deref().unwrap_or(""))
    );
    let _ = write!(h, "<h1>APP基础信息</h1><table>");
    row(&mut h, "服务名称", f.app.name.as_deref().unwrap_or("-"));
    let langs: Vec<String> = f
        .app
        .languages
        .iter()
        .map(|l| l.name_zh.clone().unwrap_or_else(|| l.tag.clone()))
        .collect();
    row(&mut h, "服务语言", &langs.join("、"));
    row(
        &mut h,
        "使用外部SDK",
        if f.app.sdks.is_empty() { "否" } else { "是" },
    );
    for s in &f.app.sdks {
        row(
            &mut h,
            "",
            &format!("{} · {} · {}", s.name_zh, s.provider_zh, s.category_zh),
        );
    }
    for (platform, png) in icons {
        let _ = write!(
            h,
            "<tr><th>APP图标 ({})</th><td><img alt=\"icon\" src=\"data:image/png;base64,{}\"></td><td></td></tr>",
            esc(platform),
            Base64::encode_string(png)
        );
    }
    let _ = write!(h, "</table><h1>APP特征信息</h1>");
    for p in &f.platforms {
        let _ = write!(
            h,
            "<h2>{} <small>{}</small></h2><table>",
            esc(p.platform_zh),
            esc(&p.file)
        );
        row(&mut h, "应用运行平台", p.platform_zh);
        row(
            &mut h,
            if p.platform == "ios" {
                "Bundle ID"
            } else {
                "包名"
            },
            p.package.as_deref().unwrap_or("-"),
        );
        match (&p.withheld, &p.signature_value) {
            (Some(w), _) => row(
                &mut h,
                "公钥 / 签名MD5值",
                &format!("none to file: {}", w.note),
            ),
            (None, Some(v)) => {
                row(
                    &mut h,
                    "公钥",
                    p.public_key_base64.as_deref().unwrap_or("-"),
                );
                row(&mut h, p.signature_label, v);
                row(&mut h, "SHA-256", p.sha256.as_deref().unwrap_or("-"));
                row(
                    &mut h,
                    "certificate",
                    p.certificate.as_deref().unwrap_or("-"),
                );
            }
            (None, None) => row(
                &mut h,
                "公钥 / 签名MD5值",
                "- (no signing certificate found)",
            ),
        }
        let hosts: Vec<String> = p
            .domains
            .iter()
            .flat_map(|g| g.hosts.iter().map(|x| x.host.clone()))
            .collect();
        row(&mut h, "域名", &hosts.join("\n"));
        let _ = write!(h, "</table>");
    }
    if !f.server_ips.is_empty() {
        let _ = write!(h, "<h1>服务器IP</h1><table>");
        for ip in &f.server_ips {
            row(&mut h, "", &ip.address);
        }
        let _ = write!(h, "</table>");
    }
    if !f.warnings.is_empty() {
        let _ = write!(h, "<h1>提醒</h1><ul>");
        for w in &f.warnings {
            let _ = write!(h, "<li class=\"warn\">{}</li>", esc(w));
        }
        let _ = write!(h, "</ul>");
    }
    h.push_str("</body></html>\n");
    h
}
