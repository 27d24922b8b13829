//! Split APK sets: one app as a base APK plus split APKs, in the containers
//! they travel in — bundletool's `.apks` (`toc.pb`, `splits/`,
//! `standalones/`, `universal.apk`), APKPure's `.xapk` (`manifest.json`),
//! APKMirror's `.apkm` (`info.json`), and a folder of `base.apk` with
//! `split_*.apk` (what `adb pull` gives for a split install).
//!
//! Each member is an ordinary APK, read by the APK code from the container's
//! bytes in place (stored entries are borrowed; deflated ones are inflated
//! under the usual caps). The report is the base APK's, plus one line per
//! other APK. Android installs a set only when every APK is signed by the
//! same certificates as the base; a set that is not says so.

use crate::apk::icon::{raster_rank, reported_density, RasterFormat};
use crate::apk::manifest::attr;
use crate::apk::resolve::{Resolved, Resolver};
use crate::apk::{Apk, ApkError};
use crate::limits::Limits;
use crate::proto::Message;
use crate::report::{
    Cert, IconReport, LayerReport, Report, Signer, SplitConfigReport, SplitReport,
    VerificationReport,
};
use crate::zip::{Archive, ZipError};
use std::borrow::Cow;
use thiserror::Error;

/// Most APKs read from one set (bundletool's biggest sets hold a few
/// hundred: every ABI × density × language split of every module).
pub const MAX_MEMBERS: usize = 2048;

/// Bytes of a JSON or protobuf index (`manifest.json`, `info.json`, `toc.pb`) read.
const MAX_INDEX: u64 = 4 << 20;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SetError {
    #[error(transparent)]
    Zip(#[from] ZipError),
    #[error("{path}: {source}")]
    Member {
        path: String,
        #[source]
        source: ApkError,
    },
    #[error("{path}: {error}")]
    Unreadable { path: String, error: String },
    #[error("encrypted .apkm ({0} is encrypted): APKMirror's older .apkm files can only be opened by the APKMirror Installer app; download the APK bundle again to get an unencrypted one")]
    EncryptedApkm(String),
    #[error("{0} is encrypted; apkinfo does not decrypt archives")]
    Encrypted(String),
    #[error("the set holds no APK")]
    Empty,
    #[error("more than {MAX_MEMBERS} APKs in one set")]
    TooMany,
}

/// The container a set came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetFormat {
    /// bundletool's `build-apks` output (`toc.pb`).
    Apks,
    /// APKPure's XAPK (`manifest.json`).
    Xapk,
    /// APKMirror's APKM (`info.json`).
    Apkm,
    /// A folder (or a plain ZIP) of `base.apk` and split APKs.
    Folder,
}

impl SetFormat {
    /// The report's `format`.
    pub fn name(self) -> &'static str {
        match self {
            SetFormat::Apks => "apks",
            SetFormat::Xapk => "xapk",
            SetFormat::Apkm => "apkm",
            SetFormat::Folder => "apk-set",
        }
    }
}

fn is_apk_name(name: &str) -> bool {
    name.len() > 4
        && name
            .get(name.len() - 4..)
            .is_some_and(|x| x.eq_ignore_ascii_case(".apk"))
}

/// Is this archive a split set, and which kind? Told by content: the index
/// file each container has beside APK entries (an APK's own manifest at the
/// root rules all of these out before this is asked).
pub fn format_of(zip: &Archive<'_>) -> Option<SetFormat> {
    let has_apk = zip
        .entries()
        .take(MAX_MEMBERS * 4)
        .any(|e| is_apk_name(&e.name_normalized()));
    if !has_apk {
        return None;
    }
    if zip.find("toc.pb").is_some() {
        Some(SetFormat::Apks)
    } else if zip.find("manifest.json").is_some() {
        Some(SetFormat::Xapk)
    } else if zip.find("info.json").is_some() {
        Some(SetFormat::Apkm)
    } else if zip.find("base.apk").is_some() {
        Some(SetFormat::Folder)
    } else {
        None
    }
}

/// A set's APKs, each opened once.
struct Opened<'s> {
    base: Apk<'s>,
    /// Every other member by index, or why it does not open.
    others: Vec<(usize, Result<Apk<'s>, SetError>)>,
}

impl<'s> Opened<'s> {
    /// The other members that opened.
    fn others(&self) -> impl Iterator<Item = (usize, &Apk<'s>)> {
        self.others
            .iter()
            .filter_map(|(i, a)| a.as_ref().ok().map(|a| (*i, a)))
    }

    /// Member `i` (`base` is the base's index), when it opened.
    fn get(&self, base: usize, i: usize) -> Option<&Apk<'s>> {
        if i == base {
            return Some(&self.base);
        }
        self.others().find(|(j, _)| *j == i).map(|(_, a)| a)
    }
}

/// The raster a set's icon comes from.
struct IconRaster {
    /// Index of the APK in the set's members.
    member: usize,
    /// Path in that APK.
    path: String,
    density: u16,
    format: RasterFormat,
}

/// One APK of a set: where it is, and its bytes (or why they could not be
/// read: a split past a limit spoils only itself, not the set's report).
pub struct Member<'a> {
    pub path: String,
    pub data: Result<Cow<'a, [u8]>, String>,
}

/// An opened set: its members (bytes only; each is opened as an APK when
/// needed) and which one is the base.
pub struct ApkSet<'a> {
    pub format: SetFormat,
    pub members: Vec<Member<'a>>,
    /// Index of the base APK in `members`.
    pub base: usize,
    limits: Limits,
    warnings: Vec<String>,
}

impl<'a> ApkSet<'a> {
    /// The limits the set was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Open a set held in a ZIP container (`.apks`, `.xapk`, `.apkm`, or a
    /// ZIP of `base.apk` and splits).
    pub fn from_archive(
        zip: &Archive<'a>,
        format: SetFormat,
        limits: &Limits,
    ) -> Result<ApkSet<'a>, SetError> {
        let mut warnings: Vec<String> = zip.warnings().to_vec();
        let mut members = Vec::new();
        for e in zip.entries() {
            let name = e.name_normalized();
            if e.is_dir() || !is_apk_name(&name) {
                continue;
            }
            if members.len() >= MAX_MEMBERS {
                return Err(SetError::TooMany);
            }
            if e.flags & 1 != 0 {
                return Err(if format == SetFormat::Apkm {
                    SetError::EncryptedApkm(name.into_owned())
                } else {
                    SetError::Encrypted(name.into_owned())
                });
            }
            members.push(Member {
                path: name.into_owned(),
                data: zip.read(&e).map_err(|err| err.to_string()),
            });
        }
        let index = |name: &str, warnings: &mut Vec<String>| -> Option<Cow<'a, [u8]>> {
            let e = zip.find(name)?;
            zip.read_capped(&e, MAX_INDEX)
                .map_err(|err| warnings.push(format!("{name}: {err}")))
                .ok()
        };
        let named_base: Option<String> = match format {
            SetFormat::Apks => index("toc.pb", &mut warnings).and_then(|b| {
                let m = Message::new(&b);
                if let Err(e) = m.validate() {
                    warnings.push(format!("toc.pb: {e}"));
                }
                toc_base(m)
            }),
            SetFormat::Xapk => index("manifest.json", &mut warnings).and_then(|b| {
                match serde_json::from_slice(&b) {
                    Ok(v) => xapk_base(&v),
                    Err(e) => {
                        warnings.push(format!("manifest.json: {e}"));
                        None
                    }
                }
            }),
            SetFormat::Apkm => {
                if let Some(b) = index("info.json", &mut warnings) {
                    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&b) {
                        warnings.push(format!("info.json: {e}"));
                    }
                }
                Some("base.apk".to_string())
            }
            SetFormat::Folder => Some("base.apk".to_string()),
        };
        ApkSet::new(format, members, named_base.as_deref(), limits, warnings)
    }

    /// Open a set from APK files given by name (a folder's `*.apk`).
    pub fn from_files(
        files: Vec<(String, &'a [u8])>,
        limits: &Limits,
    ) -> Result<ApkSet<'a>, SetError> {
        if files.len() > MAX_MEMBERS {
            return Err(SetError::TooMany);
        }
        let members = files
            .into_iter()
            .map(|(path, data)| Member {
                path,
                data: Ok(Cow::Borrowed(data)),
            })
            .collect();
        ApkSet::new(
            SetFormat::Folder,
            members,
            Some("base.apk"),
            limits,
            Vec::new(),
        )
    }

    fn new(
        format: SetFormat,
        mut members: Vec<Member<'a>>,
        named_base: Option<&str>,
        limits: &Limits,
        warnings: Vec<String>,
    ) -> Result<ApkSet<'a>, SetError> {
        if members.is_empty() {
            return Err(SetError::Empty);
        }
        members.sort_by(|a, b| a.path.cmp(&b.path));
        let mut set = ApkSet {
            format,
            members,
            base: 0,
            limits: *limits,
            warnings,
        };
        set.base = match named_base.and_then(|n| set.members.iter().position(|m| m.path == n)) {
            Some(i) => i,
            // No index named it: the first APK whose manifest has no `split`.
            None => {
                let found = (0..set.members.len()).find(|&i| {
                    set.open(i)
                        .ok()
                        .is_some_and(|apk| split_name(&apk).is_none())
                });
                match found {
                    Some(i) => {
                        if let (Some(n), Some(m)) = (named_base, set.members.get(i)) {
                            set.warnings.push(format!(
                                "the index names {n} as the base APK, which is not in the set; {} is used",
                                m.path
                            ));
                        }
                        i
                    }
                    None => {
                        set.warnings
                            .push("no APK of the set is a base (each has a split name); the first is reported".into());
                        0
                    }
                }
            }
        };
        Ok(set)
    }

    /// Open member `i` as an APK.
    pub fn open(&self, i: usize) -> Result<Apk<'_>, SetError> {
        let m = self.members.get(i).ok_or(SetError::Empty)?;
        let data = m.data.as_ref().map_err(|e| SetError::Unreadable {
            path: m.path.clone(),
            error: e.clone(),
        })?;
        Apk::open(data, &self.limits).map_err(|source| SetError::Member {
            path: m.path.clone(),
            source,
        })
    }

    /// The base APK.
    pub fn base_apk(&self) -> Result<Apk<'_>, SetError> {
        self.open(self.base)
    }

    pub fn base_path(&self) -> &str {
        self.members.get(self.base).map_or("", |m| m.path.as_str())
    }

    /// The best icon raster across the set: config splits carry the
    /// density-specific resources of a bundletool build, so the base alone
    /// may hold only a low-density icon (or none). Ranked as for one APK.
    fn icon_raster(&self, set: &Opened<'_>) -> Option<IconRaster> {
        let id = set.base.icon_id()?;
        let mut best: Option<((bool, u32, u16), IconRaster)> = None;
        let config_splits = set.others().filter(|(_, a)| is_base_config_split(a));
        for (i, apk) in std::iter::once((self.base, &set.base)).chain(config_splits) {
            let table = apk.table(&mut Vec::new());
            let res = Resolver::new(table.as_ref(), self.limits.max_reference_depth);
            for (config, path) in res.files(id) {
                let Some(format) = RasterFormat::from_path(&path) else {
                    continue;
                };
                let rank = raster_rank(&config);
                // Ties go to the base (it comes first), then to the earlier split.
                let better = best.as_ref().is_none_or(|(r, b)| {
                    rank > *r || (rank == *r && i == self.base && b.member != self.base)
                });
                if better {
                    let density = reported_density(&config);
                    best = Some((
                        rank,
                        IconRaster {
                            member: i,
                            path,
                            density,
                            format,
                        },
                    ));
                }
            }
        }
        best.map(|(_, b)| b)
    }

    /// The icon as PNG bytes, and where it came from (`member!path`).
    pub fn icon_png(&self) -> Result<(Vec<u8>, String), SetError> {
        let set = self.open_all()?;
        let IconRaster {
            member: i,
            path,
            format,
            ..
        } = self.icon_raster(&set).ok_or_else(|| SetError::Member {
            path: self.base_path().to_string(),
            source: if set.base.icon_id().is_some() {
                ApkError::NoRasterIcon
            } else {
                ApkError::NoIcon
            },
        })?;
        let apk = set.get(self.base, i).ok_or(SetError::Empty)?;
        let member = self.members.get(i).map_or("", |m| m.path.as_str());
        let png = apk
            .raster_png(&path, format)
            .map_err(|source| SetError::Member {
                path: member.to_string(),
                source,
            })?;
        Ok((png, format!("{member}!{path}")))
    }

    /// The icon report for the set: paths name the APK they are in
    /// (`splits/base-xxhdpi.apk!res/mipmap-xxhdpi-v4/ic_launcher.png`).
    fn icon_report(
        &self,
        set: &Opened<'_>,
        mut icon: IconReport,
        warnings: &mut Vec<String>,
    ) -> IconReport {
        let base_path = self.base_path();
        let prefix = |p: &str| format!("{base_path}!{p}");
        if let Some(a) = &mut icon.adaptive {
            a.path = prefix(&a.path);
            for layer in [&mut a.background, &mut a.foreground, &mut a.monochrome]
                .into_iter()
                .flatten()
            {
                if let LayerReport::Path(p) = layer {
                    *p = prefix(p);
                }
            }
        }
        let Some(IconRaster {
            member: i,
            path,
            density,
            format,
        }) = self.icon_raster(set)
        else {
            return icon;
        };
        let member = self.members.get(i).map_or("", |m| m.path.as_str());
        icon.path = Some(format!("{member}!{path}"));
        icon.density = Some(density);
        icon.format = Some(format.name());
        icon.width = None;
        icon.height = None;
        match set.get(self.base, i).map(|apk| apk.raster_size(&path)) {
            Some(Ok((w, h))) => {
                icon.width = Some(w);
                icon.height = Some(h);
            }
            Some(Err(e)) => warnings.push(format!("{member}: {e}")),
            None => {}
        }
        if i != self.base {
            // The base's own choice (or its lack of one) no longer stands.
            warnings.retain(|w| !w.starts_with("icon resource"));
        }
        icon
    }

    /// Labels in the locales the set's language splits carry: a bundletool
    /// build moves every translated string out of the base.
    fn split_labels(&self, set: &Opened<'_>, r: &mut Report) {
        let base = &set.base;
        let Some(label) = base
            .manifest
            .root()
            .and_then(|root| base.manifest.children(root, "application").next())
            .and_then(|app| app.attr(attr::LABEL, "label"))
        else {
            return;
        };
        if label.value.reference().is_none() {
            return;
        }
        for (_, apk) in set.others().filter(|(_, a)| is_base_config_split(a)) {
            let table = apk.table(&mut Vec::new());
            if table.is_none() {
                continue;
            }
            let res = Resolver::new(table.as_ref(), self.limits.max_reference_depth);
            for locale in res.locales_of(label.value) {
                if r.labels.contains_key(&locale) {
                    continue;
                }
                if let Ok(Some(Resolved::Str(s))) = res.attr(label, Some(&locale)) {
                    r.labels.insert(locale, s);
                }
            }
        }
    }

    /// Every member opened as an APK, once: the base (whose failure is the
    /// set's), the others with theirs.
    fn open_all(&self) -> Result<Opened<'_>, SetError> {
        Ok(Opened {
            base: self.base_apk()?,
            others: (0..self.members.len())
                .filter(|&i| i != self.base)
                .map(|i| (i, self.open(i)))
                .collect(),
        })
    }

    /// The base APK's report, with the set's other APKs under `splits`.
    pub fn report(&self, path: &str) -> Result<Report, SetError> {
        let set = self.open_all()?;
        let mut r = set.base.report(path, None);
        r.format = self.format.name();
        r.base_apk = Some(self.base_path().to_string());
        let (base_package, base_version) = (r.package.clone(), r.version_code);
        let mut warnings = self.warnings.clone();
        if let Some(icon) = r.icon.take() {
            r.icon = Some(self.icon_report(&set, icon, &mut r.warnings));
        }
        self.split_labels(&set, &mut r);
        let mut splits = Vec::new();
        for (i, apk) in &set.others {
            let apk = match apk {
                Ok(apk) => apk,
                Err(e) => {
                    warnings.push(e.to_string());
                    continue;
                }
            };
            let Some(m) = self.members.get(*i) else {
                continue;
            };
            let split = split_name(apk);
            let sigs = crate::apk::signing::read(&apk.zip, None);
            let facts = apk.sdk_facts();
            if facts.package.is_some() && facts.package != base_package {
                warnings.push(format!(
                    "{}: package {} differs from the base's {}; Android installs a set of one package only",
                    m.path,
                    facts.package.as_deref().unwrap_or("-"),
                    base_package.as_deref().unwrap_or("-")
                ));
            }
            if facts.version_code.is_some()
                && base_version.is_some()
                && facts.version_code != base_version
            {
                warnings.push(format!(
                    "{}: versionCode {} differs from the base's {}; Android refuses such a set",
                    m.path,
                    facts.version_code.unwrap_or(0),
                    base_version.unwrap_or(0)
                ));
            }
            if let Some(w) = signer_mismatch(&m.path, &sigs.signers, &r.signers) {
                warnings.push(w);
            }
            // The app's ABIs are those of the set: config splits carry the libraries.
            for abi in apk.abis() {
                if !r.abis.contains(&abi) {
                    r.abis.push(abi);
                }
            }
            splits.push(SplitReport {
                path: m.path.clone(),
                config: split.as_deref().map(split_config).unwrap_or_default(),
                split,
                signers: sigs.signers,
            });
        }
        r.abis.sort();
        r.splits = Some(splits);
        warnings.append(&mut r.warnings);
        r.warnings = warnings;
        Ok(r)
    }

    /// Verify every APK of the set: one verdict, true only when each
    /// verifies and all are signed by the base's certificates. Errors and
    /// warnings name the APK they come from.
    pub fn verify(&self, min_sdk: Option<u32>, max_sdk: Option<u32>) -> VerificationReport {
        let mut out = VerificationReport::default();
        let mut base_signers: Option<Vec<Cert>> = None;
        let mut all = true;
        // The base first: its verdict gives the SDK range and the signers.
        let order =
            std::iter::once(self.base).chain((0..self.members.len()).filter(|&i| i != self.base));
        for i in order {
            let path = self.members.get(i).map_or("", |m| m.path.as_str());
            let v = match self.open(i) {
                Ok(apk) => crate::apk::verify::verify(&apk, None, min_sdk, max_sdk),
                Err(e) => {
                    all = false;
                    out.errors.push(e.to_string());
                    continue;
                }
            };
            all &= v.verified;
            out.errors
                .extend(v.errors.iter().map(|e| format!("{path}: {e}")));
            out.warnings
                .extend(v.warnings.iter().map(|w| format!("{path}: {w}")));
            match &base_signers {
                None => {
                    out.schemes = v.schemes;
                    out.min_sdk = v.min_sdk;
                    out.max_sdk = v.max_sdk;
                    out.signers = v.signers.clone();
                    base_signers = Some(v.signers);
                }
                Some(base) if v.verified => {
                    let (a, b) = (digests(v.signers.iter()), digests(base.iter()));
                    if a != b {
                        all = false;
                        out.errors.push(format!(
                            "{path}: SPLIT_SIGNER_MISMATCH: signed by {} but the base by {}; Android installs a set only when every APK has the base's signers",
                            digest_list(&a),
                            digest_list(&b)
                        ));
                    }
                }
                Some(_) => {}
            }
        }
        out.verified = all && out.errors.is_empty();
        out
    }
}

/// Certificate SHA-256 digests, sorted and once each.
fn digests<'c>(certs: impl Iterator<Item = &'c Cert>) -> Vec<&'c str> {
    let mut d: Vec<&str> = certs.map(|c| c.sha256.as_str()).collect();
    d.sort_unstable();
    d.dedup();
    d
}

/// Digests as a message shows them.
fn digest_list(d: &[&str]) -> String {
    if d.is_empty() {
        "no certificate".into()
    } else {
        d.join(", ")
    }
}

/// A warning when a split's signing certificates are not the base's.
fn signer_mismatch(path: &str, split: &[Signer], base: &[Signer]) -> Option<String> {
    let a = digests(split.iter().map(|s| &s.certificate));
    let b = digests(base.iter().map(|s| &s.certificate));
    (a != b).then(|| {
        format!(
            "{path} is signed by {} but the base APK by {}: Android refuses to install a set whose APKs are not all signed by the same certificates",
            digest_list(&a),
            digest_list(&b),
        )
    })
}

/// A configuration split of the base module (`config.*`): its resource
/// table holds the base's ids. A feature module's table has ids of its own
/// (and a lookup falls back to a table's only package), so only these are
/// asked for the base's label and icon.
fn is_base_config_split(apk: &Apk<'_>) -> bool {
    split_name(apk).is_some_and(|s| s.starts_with("config."))
}

/// The manifest's `split` attribute (plain, no namespace).
pub fn split_name(apk: &Apk<'_>) -> Option<String> {
    let root = apk.manifest.root()?;
    root.attributes
        .iter()
        .find(|a| &*a.name == "split" && a.ns.is_none())
        .and_then(|a| a.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// What a configuration split targets, from bundletool's naming:
/// `config.<abi>`, `config.<density>`, `config.<language>`, also after a
/// feature module's name (`feature1.config.xxhdpi`).
pub fn split_config(split: &str) -> SplitConfigReport {
    let mut out = SplitConfigReport::default();
    let Some(value) = split.rsplit_once("config.").map(|(_, v)| v) else {
        return out;
    };
    const ABIS: [&str; 8] = [
        "armeabi",
        "armeabi_v7a",
        "arm64_v8a",
        "x86",
        "x86_64",
        "mips",
        "mips64",
        "riscv64",
    ];
    const DENSITIES: [&str; 9] = [
        "ldpi", "mdpi", "tvdpi", "hdpi", "xhdpi", "xxhdpi", "xxxhdpi", "nodpi", "anydpi",
    ];
    if ABIS.contains(&value) {
        // Folder names use '-' except in x86_64.
        out.abi = Some(if value == "x86_64" {
            value.to_string()
        } else {
            value.replace('_', "-")
        });
    } else if DENSITIES.contains(&value) {
        out.density = Some(value.to_string());
    } else {
        let mut parts = value.split(['_', '-']);
        let lang = parts.next().unwrap_or("");
        if (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase()) {
            let mut tag = lang.to_string();
            for p in parts {
                tag.push('-');
                tag.push_str(p);
            }
            out.language = Some(tag);
        }
    }
    out
}

/// The base APK named by bundletool's `toc.pb` (`BuildApksResult`): the
/// master split of the "base" module (variant 1 → apk_set 2 →
/// module_metadata 1 {name 1} / apk_description 2 {path 2,
/// split_apk_metadata 3 {is_master_split 2}}), else a standalone or the
/// universal APK (standalone_apk_metadata 4).
pub fn toc_base(toc: Message<'_>) -> Option<String> {
    let mut standalone = None;
    for variant in toc.messages(1).take(1024) {
        for set in variant.messages(2).take(1024) {
            let module = set.message(1).and_then(|m| m.string(1)).unwrap_or_default();
            for apk in set.messages(2).take(MAX_MEMBERS) {
                let Some(path) = apk.string(2) else { continue };
                let master = apk.message(3).is_some_and(|s| s.bool(2));
                if master && module == "base" {
                    return Some(path.into_owned());
                }
                if apk.message(4).is_some() && standalone.is_none() {
                    standalone = Some(path.into_owned());
                }
            }
        }
    }
    standalone
}

/// The base APK named by an XAPK's `manifest.json`: the `split_apks` entry
/// with id "base", else `<package_name>.apk` (XAPK version 1 has one APK).
fn xapk_base(v: &serde_json::Value) -> Option<String> {
    if let Some(list) = v.get("split_apks").and_then(|s| s.as_array()) {
        if let Some(f) = list
            .iter()
            .find(|s| s.get("id").and_then(|i| i.as_str()) == Some("base"))
            .and_then(|s| s.get("file"))
            .and_then(|f| f.as_str())
        {
            return Some(f.to_string());
        }
    }
    v.get("package_name")
        .and_then(|p| p.as_str())
        .map(|p| format!("{p}.apk"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_names_give_their_configuration() {
        let c = split_config("config.arm64_v8a");
        assert_eq!(c.abi.as_deref(), Some("arm64-v8a"));
        assert_eq!(split_config("config.x86_64").abi.as_deref(), Some("x86_64"));
        assert_eq!(
            split_config("config.xxhdpi").density.as_deref(),
            Some("xxhdpi")
        );
        assert_eq!(split_config("config.zh").language.as_deref(), Some("zh"));
        assert_eq!(
            split_config("feature1.config.en_GB").language.as_deref(),
            Some("en-GB")
        );
        assert_eq!(split_config("feature1"), SplitConfigReport::default());
        assert_eq!(split_config("config.etc2"), SplitConfigReport::default());
    }
}
