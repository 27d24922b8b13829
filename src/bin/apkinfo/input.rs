//! Finding the files to read, mapping them, and running several at once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Largest `.idsig` read (it holds a Merkle tree: ~1/128 of the APK).
const IDSIG_MAX: u64 = 64 << 20;

/// Extensions picked up when a folder is given.
const EXTENSIONS: [&str; 9] = [
    "apk", "ipa", "aab", "apks", "xapk", "apkm", "hap", "hsp", "app",
];

/// Most APK files read from one split folder.
const MAX_SPLIT_FILES: usize = 2048;

/// Files as given, with folders replaced by the packages under them
/// (sorted). A folder of a split install (`base.apk` beside `split_*.apk`)
/// is one package, wherever it is met.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() && !is_split_folder(p) {
            walk(p, &mut out).map_err(|e| format!("{}: {e}", p.display()))?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A folder holding `base.apk` and at least one `split_*.apk`.
pub fn is_split_folder(dir: &Path) -> bool {
    if !dir.join("base.apk").is_file() {
        return false;
    }
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("split_") && has_extension(&name, "apk")
        })
    })
}

fn has_extension(name: &str, ext: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The `*.apk` files directly in a split folder, mapped, sorted by name.
fn split_files(dir: &Path) -> Result<Vec<(String, Mapped)>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| e.to_string())?;
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if has_extension(&name, "apk") && path.is_file() {
            if out.len() >= MAX_SPLIT_FILES {
                return Err(format!(
                    "more than {MAX_SPLIT_FILES} APK files in the folder"
                ));
            }
            let data = Mapped::open(&path).map_err(|err| format!("{name}: {err}"))?;
            out.push((name, data));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// A split folder's files as the library takes them: (name, bytes).
fn named(files: &[(String, Mapped)]) -> Vec<(String, &[u8])> {
    files.iter().map(|(n, d)| (n.clone(), d.bytes())).collect()
}

/// Open a package (a file, or a split folder) and hand it to `f`.
pub fn with_package<T>(
    path: &Path,
    limits: &apkinfo::Limits,
    f: impl FnOnce(&apkinfo::Package<'_>) -> Result<T, String>,
) -> Result<T, String> {
    if path.is_dir() {
        let files = split_files(path)?;
        let named = named(&files);
        let set = apkinfo::apkset::ApkSet::from_files(named, limits).map_err(|e| e.to_string())?;
        return f(&apkinfo::Package::Set(set));
    }
    let data = Mapped::open(path)?;
    let p = apkinfo::Package::open(data.bytes(), limits).map_err(|e| e.to_string())?;
    f(&p)
}

/// Verify a split folder as one set.
pub fn verify_folder(
    dir: &Path,
    opts: &apkinfo::Options<'_>,
    limits: &apkinfo::Limits,
) -> Result<apkinfo::report::VerificationReport, String> {
    let files = split_files(dir)?;
    let named = named(&files);
    apkinfo::verify_files(named, opts, limits).map_err(|e| e.to_string())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        // Do not follow symlinked folders: a link cycle would never end.
        let meta = std::fs::symlink_metadata(&p)?;
        if meta.is_dir() && is_split_folder(&p) {
            out.push(p);
        } else if meta.is_dir() {
            walk(&p, out)?;
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// A file's bytes: memory-mapped, or read when mapping is not possible
/// (empty files, pipes).
pub enum Mapped {
    Map(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Mapped {
    pub fn open(path: &Path) -> Result<Mapped, String> {
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let meta = file.metadata().map_err(|e| e.to_string())?;
        if meta.is_dir() {
            return Err("is a folder".into());
        }
        if meta.is_file() && meta.len() > 0 {
            // SAFETY: the map is read-only and private to this process. If another
            // process truncates the file while we read it, the kernel raises SIGBUS;
            // apkinfo reads packages at rest and accepts that risk for the speed
            // of not copying (documented in README, Security).
            #[allow(unsafe_code)]
            let map = unsafe { memmap2::Mmap::map(&file) };
            if let Ok(m) = map {
                return Ok(Mapped::Map(m));
            }
        }
        let mut data = Vec::new();
        use std::io::Read;
        std::io::BufReader::new(file)
            .read_to_end(&mut data)
            .map_err(|e| e.to_string())?;
        Ok(Mapped::Owned(data))
    }

    /// Leave the mapping in place for the kernel to drop at exit. Only for
    /// the one file of a run: unmapping a big APK page by page first costs
    /// ~0.4 ms (framework-res), a tenth of the whole inspection.
    pub fn keep_until_exit(self) {
        std::mem::forget(self);
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            Mapped::Map(m) => m,
            Mapped::Owned(v) => v,
        }
    }

    /// The library's [`apkinfo::Release`] hook: drop the whole pages of
    /// `bytes`, a stretch of this map that a pass over the file is done with,
    /// so that verifying a big APK does not keep all of it mapped. Anything
    /// outside the map (or a read file) is left alone.
    pub fn release(&self, bytes: &[u8]) {
        const PAGE: usize = 4096;
        let Mapped::Map(m) = self else { return };
        let Some(from) = (bytes.as_ptr() as usize).checked_sub(m.as_ptr() as usize) else {
            return;
        };
        let to = from.saturating_add(bytes.len());
        let (lo, hi) = (from.div_ceil(PAGE) * PAGE, to / PAGE * PAGE);
        if to > m.len() || hi <= lo {
            return;
        }
        // SAFETY: the map is read-only and shared (`Mmap::map`), so
        // MADV_DONTNEED only drops this process's page-table entries for
        // those pages: the next read faults the same file bytes back in, and
        // no borrow of the map can observe a change. (A file changed under us
        // is the risk `open` already documents.) A failure only means the
        // pages stay mapped.
        #[allow(unsafe_code)]
        let _ =
            unsafe { m.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, lo, hi - lo) };
    }
}

/// The `.idsig` beside an APK, when there is one. Mapped like the APK: its
/// Merkle tree (most of the file) is only read when `verify` checks it.
pub fn idsig_for(path: &Path) -> Option<Mapped> {
    let mut idsig_path = path.as_os_str().to_owned();
    idsig_path.push(".idsig");
    std::fs::metadata(&idsig_path)
        .ok()
        .filter(|m| m.is_file() && m.len() <= IDSIG_MAX)
        .and_then(|_| Mapped::open(Path::new(&idsig_path)).ok())
}

/// Inspect one file. `only` says it is the run's only file (its mapping is
/// then left for the exit to drop).
pub fn inspect_one(
    path: &Path,
    opts: &apkinfo::Options<'_>,
    limits: &apkinfo::Limits,
    only: bool,
) -> Result<apkinfo::Report, String> {
    if path.is_dir() {
        let files = split_files(path)?;
        let named = named(&files);
        let lib_opts = apkinfo::Options {
            hashes: false,
            ..*opts
        };
        return apkinfo::inspect_files(&path.display().to_string(), named, &lib_opts, limits)
            .map_err(|e| e.to_string());
    }
    let data = Mapped::open(path)?;
    let idsig = idsig_for(path);
    // Whole-file digests are streamed from the file, not read through the map,
    // so memory stays flat however large the file is.
    let release = |bytes: &[u8]| data.release(bytes);
    let lib_opts = apkinfo::Options {
        hashes: false,
        release: Some(&release),
        ..*opts
    };
    let mut report = apkinfo::inspect_opts(
        &path.display().to_string(),
        data.bytes(),
        idsig.as_ref().map(Mapped::bytes),
        &lib_opts,
        limits,
    )
    .map_err(|e| e.to_string())?;
    if opts.hashes {
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let (size, md5, sha1, sha256) = apkinfo::apk::verify::digest::file_digests_reader(file)
            .map_err(|e| format!("reading for digests: {e}"))?;
        report.file = Some(apkinfo::report::FileDigests {
            size,
            md5,
            sha1,
            sha256,
        });
    }
    if only {
        data.keep_until_exit();
    }
    Ok(report)
}

/// Inspect `files` on all cores and hand each result to `emit` in input order.
/// `emit` returns false to stop (e.g. stdout closed).
pub fn for_each_in_order<T: Send>(
    files: &[PathBuf],
    work: impl Fn(&Path) -> T + Sync,
    mut emit: impl FnMut(&Path, T) -> bool,
) {
    // One file needs no pool (and not the cgroup files that size one).
    let workers = match files.len() {
        0 | 1 => 1,
        n => std::thread::available_parallelism().map_or(1, |c| c.get().min(n)),
    };
    if workers <= 1 {
        for f in files {
            if !emit(f, work(f)) {
                return;
            }
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    let mut started = 0;
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            let work = &work;
            // Workers get the main thread's 8 MiB stack, not the 2 MiB default.
            let spawned = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    if tx.send((i, work(f))).is_err() {
                        break;
                    }
                });
            match spawned {
                Ok(_) => started += 1,
                // No thread to be had: the files are still read, on the threads there are.
                Err(_) => break,
            }
        }
        drop(tx);
        if started == 0 {
            for f in files {
                if !emit(f, work(f)) {
                    return;
                }
            }
            return;
        }
        // Reorder: hold results until every earlier one has been emitted.
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&want) {
                let Some(f) = files.get(want) else { return };
                if !emit(f, r) {
                    next.store(files.len(), Ordering::Relaxed);
                    return;
                }
                want += 1;
            }
        }
    });
}
