//! 服务语言: the languages an app itself is offered in, named as the filing
//! form names them (中文简体, 中文繁体, 英语, …).
//!
//! Where the tags come from is each platform's business (Android's
//! `localeConfig` or the label's translations, iOS's `.lproj` folders and
//! Info.plist, HarmonyOS's label locales); this module turns tags into the
//! form's words and a deduplicated, ordered list.

use crate::report::LanguageReport;

/// The form's name for a BCP-47 tag or an Android/iOS locale name
/// (`zh-Hans`, `zh-rCN`, `zh_TW`, `en-GB`, `pt-BR`…); `None` when the form
/// has no name we know for it.
pub fn name_zh(tag: &str) -> Option<&'static str> {
    let t = tag
        .replace('_', "-")
        .replace("-r", "-")
        .to_ascii_lowercase();
    let mut parts = t.split('-');
    let lang = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    if lang == "zh" {
        let traditional = rest
            .iter()
            .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"));
        return Some(if traditional {
            "中文繁体"
        } else {
            "中文简体"
        });
    }
    Some(match lang {
        "en" => "英语",
        "ja" => "日语",
        "ko" => "韩语",
        "fr" => "法语",
        "de" => "德语",
        "es" => "西班牙语",
        "pt" => "葡萄牙语",
        "ru" => "俄语",
        "it" => "意大利语",
        "ar" => "阿拉伯语",
        "th" => "泰语",
        "vi" => "越南语",
        "id" | "in" => "印尼语",
        "ms" => "马来语",
        "tr" => "土耳其语",
        "nl" => "荷兰语",
        "pl" => "波兰语",
        "uk" => "乌克兰语",
        "hi" => "印地语",
        "bn" => "孟加拉语",
        "fa" => "波斯语",
        "he" | "iw" => "希伯来语",
        "el" => "希腊语",
        "sv" => "瑞典语",
        "da" => "丹麦语",
        "nb" | "no" | "nn" => "挪威语",
        "fi" => "芬兰语",
        "cs" => "捷克语",
        "hu" => "匈牙利语",
        "ro" => "罗马尼亚语",
        "km" => "高棉语",
        "lo" => "老挝语",
        "my" => "缅甸语",
        "fil" | "tl" => "菲律宾语",
        "bo" => "藏语",
        "ug" => "维吾尔语",
        "mn" => "蒙古语",
        "kk" => "哈萨克语",
        "ii" => "彝语",
        "za" => "壮语",
        "sr" => "塞尔维亚语",
        "hr" => "克罗地亚语",
        "bs" => "波斯尼亚语",
        "sk" => "斯洛伐克语",
        "sl" => "斯洛文尼亚语",
        "bg" => "保加利亚语",
        "lt" => "立陶宛语",
        "lv" => "拉脱维亚语",
        "et" => "爱沙尼亚语",
        "ca" => "加泰罗尼亚语",
        "eu" => "巴斯克语",
        "gl" => "加利西亚语",
        "af" => "南非荷兰语",
        "sw" => "斯瓦希里语",
        "ur" => "乌尔都语",
        "ta" => "泰米尔语",
        "te" => "泰卢固语",
        "mr" => "马拉地语",
        "gu" => "古吉拉特语",
        "kn" => "卡纳达语",
        "ml" => "马拉雅拉姆语",
        "pa" => "旁遮普语",
        "si" => "僧伽罗语",
        "ne" => "尼泊尔语",
        "az" => "阿塞拜疆语",
        "ka" => "格鲁吉亚语",
        "hy" => "亚美尼亚语",
        "uz" => "乌兹别克语",
        "ky" => "吉尔吉斯语",
        "is" => "冰岛语",
        "ga" => "爱尔兰语",
        "cy" => "威尔士语",
        "sq" => "阿尔巴尼亚语",
        "mk" => "马其顿语",
        "be" => "白俄罗斯语",
        "am" => "阿姆哈拉语",
        "zu" => "祖鲁语",
        _ => return None,
    })
}

/// A tag in BCP-47 form: Android's `zh-rCN` → `zh-CN`, `b+sr+Latn` →
/// `sr-Latn`, iOS's `zh_TW` → `zh-TW`; `Base` and empty tags → `None`.
pub fn normalize(tag: &str) -> Option<String> {
    let t = tag.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("base") || t.eq_ignore_ascii_case("und") {
        return None;
    }
    let t = match t.strip_prefix("b+") {
        Some(b) => b.replace('+', "-"),
        None => t.replace('_', "-").replace("-r", "-"),
    };
    // iOS's old English names for its first localizations.
    let t = match t.as_str() {
        "English" => "en".to_string(),
        "Japanese" => "ja".to_string(),
        "French" => "fr".to_string(),
        "German" => "de".to_string(),
        "Spanish" => "es".to_string(),
        "Italian" => "it".to_string(),
        "Dutch" => "nl".to_string(),
        _ => t,
    };
    Some(t)
}

/// Build the list: each tag once (by normalised form), in the order given,
/// with the form's name and where it was found.
pub fn languages<'a>(
    tags: impl IntoIterator<Item = (&'a str, &'static str)>,
) -> Vec<LanguageReport> {
    let mut out: Vec<LanguageReport> = Vec::new();
    for (raw, source) in tags {
        let Some(tag) = normalize(raw) else { continue };
        if out.iter().any(|l| l.tag.eq_ignore_ascii_case(&tag)) {
            continue;
        }
        out.push(LanguageReport {
            name_zh: name_zh(&tag).map(str::to_string),
            tag,
            source,
        });
    }
    out
}

/// The language a default (unqualified) label is written in, told by its
/// script: Han → Chinese, kana → Japanese, Hangul → Korean; `None` for Latin
/// and the rest, where the script does not tell the language. Simplified
/// and traditional Han are not told apart here: the tag is `zh`.
pub fn by_script(text: &str) -> Option<&'static str> {
    let mut han = false;
    for c in text.chars() {
        match c {
            '\u{3040}'..='\u{30ff}' => return Some("ja"),
            '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' => return Some("ko"),
            '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => han = true,
            _ => {}
        }
    }
    han.then_some("zh")
}

/// The languages of a package, from what its platform says (see the module
/// doc); `r` is its report (labels already resolved). Warnings go to `warnings`.
pub(crate) fn of_package(
    pkg: &crate::Package<'_>,
    r: &crate::Report,
    warnings: &mut Vec<String>,
) -> Vec<LanguageReport> {
    use crate::Package;
    let from_labels = || {
        let default = r.label.as_deref().and_then(by_script);
        languages(
            default
                .map(|t| (t, "default-label"))
                .into_iter()
                .chain(r.labels.keys().map(|k| (k.as_str(), "label"))),
        )
    };
    let android = |apk: &crate::apk::Apk<'_>, warnings: &mut Vec<String>| match apk.locale_config()
    {
        Some(Ok(tags)) if !tags.is_empty() => {
            languages(tags.iter().map(|t| (t.as_str(), "localeConfig")))
        }
        Some(Err(e)) => {
            warnings.push(format!("{e}; languages from the label instead"));
            from_labels()
        }
        _ => from_labels(),
    };
    match pkg {
        Package::Apk(apk) => android(apk, warnings),
        Package::Bundle(b) => android(&b.base, warnings),
        Package::Set(s) => match s.base_apk() {
            Ok(apk) => android(&apk, warnings),
            Err(_) => from_labels(),
        },
        Package::Ipa(ipa) => {
            let mut tags: Vec<(String, &'static str)> = Vec::new();
            let string = |k: &str| {
                ipa.info
                    .get(k)
                    .and_then(plist::Value::as_string)
                    .map(str::to_string)
            };
            if let Some(dev) = string("CFBundleDevelopmentRegion") {
                tags.push((dev, "CFBundleDevelopmentRegion"));
            }
            if let Some(list) = ipa
                .info
                .get("CFBundleLocalizations")
                .and_then(plist::Value::as_array)
            {
                for v in list.iter().filter_map(plist::Value::as_string) {
                    tags.push((v.to_string(), "CFBundleLocalizations"));
                }
            }
            // The main app's own folders only: Payload/X.app/zh-Hans.lproj/…
            let mut lproj: Vec<String> = ipa
                .zip
                .entries()
                .filter_map(|e| {
                    let name = e.name_normalized();
                    let rest = name.strip_prefix(ipa.app.as_str())?;
                    let (dir, _) = rest.split_once('/')?;
                    dir.strip_suffix(".lproj").map(str::to_string)
                })
                .collect();
            lproj.sort();
            lproj.dedup();
            tags.extend(lproj.into_iter().map(|t| (t, "lproj")));
            languages(tags.iter().map(|(t, s)| (t.as_str(), *s)))
        }
        Package::Hap(_) => from_labels(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_names() {
        assert_eq!(name_zh("zh-Hans"), Some("中文简体"));
        assert_eq!(name_zh("zh-rCN"), Some("中文简体"));
        assert_eq!(name_zh("zh"), Some("中文简体"));
        assert_eq!(name_zh("zh-Hant-TW"), Some("中文繁体"));
        assert_eq!(name_zh("zh_HK"), Some("中文繁体"));
        assert_eq!(name_zh("en-GB"), Some("英语"));
        assert_eq!(name_zh("in"), Some("印尼语"));
        assert_eq!(name_zh("xx"), None);
    }

    #[test]
    fn tags_are_normalised_and_deduplicated() {
        assert_eq!(normalize("b+sr+Latn").as_deref(), Some("sr-Latn"));
        assert_eq!(normalize("zh-rTW").as_deref(), Some("zh-TW"));
        assert_eq!(normalize("Base"), None);
        let l = languages([
            ("en", "label"),
            ("zh-rCN", "label"),
            ("en", "lproj"),
            ("Base", "lproj"),
        ]);
        let tags: Vec<&str> = l.iter().map(|l| l.tag.as_str()).collect();
        assert_eq!(tags, ["en", "zh-CN"]);
        assert_eq!(l[1].name_zh.as_deref(), Some("中文简体"));
    }

    #[test]
    fn scripts() {
        assert_eq!(by_script("购物"), Some("zh"));
        assert_eq!(by_script("ショップ"), Some("ja"));
        assert_eq!(by_script("쇼핑"), Some("ko"));
        assert_eq!(by_script("Shop"), None);
    }
}
