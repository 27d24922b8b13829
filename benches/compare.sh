#!/bin/bash
# The side-by-side runs behind README's Performance table:
#   benches/compare.sh [verify|inspect|ab|rss|hashes|big|dist|all]
# Needs apksigner, aapt, zipalign and hyperfine (Debian packages) and
# /usr/share/android-framework-res/framework-res.apk. The "read" page-cache
# state drops the page cache, so that step needs root; without it only the
# "written" state is measured. Stop anything else using the CPUs first: this
# VM's timings drift by ±20% between minutes even when it is quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${APKINFO_PERF_DIR:-/tmp/apkinfo-perf}
FW=/usr/share/android-framework-res/framework-res.apk
B=target/release/apkinfo
F=$W/fw-signed.apk
mkdir -p "$W"
cargo build --release --quiet
# S: the binary we ship (.ci/dist: static PIE, fat LTO); B: the default release build.
S=$(.ci/dist)
[ -f "$W/fw-aligned.apk" ] || zipalign -f 4 "$FW" "$W/fw-aligned.apk"

# Writes fw-signed.apk afresh: its page cache is then what apksigner's writes left.
sign() {
  rm -f "$F"
  apksigner sign --key fixtures/keys/rsa-2048.pk8 --cert fixtures/keys/rsa-2048.x509.der \
    --min-sdk-version 14 --out "$F" "$W/fw-aligned.apk"
}
# Refills the page cache by reading the file (readahead: large folios on ext4, kernel 6.16+).
read_back() {
  if [ "$(id -u)" != 0 ]; then echo "(not root: cannot drop the page cache)"; return 1; fi
  sync; echo 1 > /proc/sys/vm/drop_caches; cat "$F" > /dev/null
  "$S" --version > /dev/null; "$B" --version > /dev/null; aapt version > /dev/null
}
# This VM's DAMON pageout scheme evicts page cache that has been idle for a
# while; a file read back through the mapping's own faults lands in small
# folios and costs twice the faults. Each timed step starts from a read-back.
fresh() {
  [ -f "$F" ] || sign
  read_back 2>/dev/null || cat "$F" > /dev/null
}
faults() { perf stat -e page-faults -r 20 "$@" 2>&1 >/dev/null | grep faults || true; }
inspect() {
  sign
  for state in written read; do
    if [ $state = read ]; then read_back || break; fi
    echo "-- inspect, page cache as $state"
    faults "$S" "$F"
    hyperfine -N -w 20 -r 300 "$S $F" "$B $F" "aapt dump badging $F" /bin/true
  done
}
step=${1:-all}
echo "== $(date -u +%FT%TZ) $(git log --oneline -1 | cut -c1-60)"
case $step in verify|all)
  fresh
  hyperfine -N -w 3 -r 10 "$S verify --min-sdk 14 $F" "$B verify --min-sdk 14 $F" \
    "apksigner verify --min-sdk-version 14 $F"
esac
case $step in inspect|all) inspect ;; esac
case $step in ab|all)
  # Where inspect's time goes: process start, Rust start, clap, then the work.
  fresh
  printf 'fn main() {}\n' > "$W/empty.rs"; rustc -O "$W/empty.rs" -o "$W/empty"
  python3 benches/ab.py 300 /bin/true "$W/empty" "$S --version" "$S $F" "$B $F"
esac
case $step in rss|all)
  fresh
  for c in "$S $F" "aapt dump badging $F" "$S verify --min-sdk 14 $F" \
           "apksigner verify --min-sdk-version 14 $F"; do
    /usr/bin/time -f "%M KB peak RSS  $c" $c > /dev/null
  done 2>&1 | grep "peak RSS"
esac
case $step in hashes|all)
  # A 1 GiB APK: a small real one plus 1 GiB of random data in a ZIP64 entry.
  [ -f "$W/big.apk" ] || python3 - "$W/big.apk" <<'PY'
import os, sys, zipfile
small = zipfile.ZipFile('fixtures/android/minimal.apk')
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    with z.open(zipfile.ZipInfo('assets/blob.bin'), 'w', force_zip64=True) as w:
        for _ in range(1024):
            w.write(os.urandom(1 << 20))
    for name in small.namelist():
        z.writestr(name, small.read(name))
PY
  hyperfine -N -w 1 -r 5 "$S --hashes $W/big.apk" "md5sum $W/big.apk"
esac
case $step in big|all)
  # verify on a 1 GiB signed APK (one stored 1 GiB asset; apksig cannot sign a
  # ZIP64 local header, so the asset stays under 2 GiB and the file plain ZIP):
  # memory must stay flat however big the file is.
  G=$W/big-signed.apk
  if [ ! -f "$G" ]; then
    python3 - "$W/big-unsigned.apk" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile('fixtures/signing/unsigned.apk') as z, zipfile.ZipFile(sys.argv[1], 'w') as o:
    for i in z.infolist():
        o.writestr(i, z.read(i.filename))
    o.writestr(zipfile.ZipInfo('assets/blob.bin'), os.urandom(1 << 30))
PY
    apksigner sign --key fixtures/keys/rsa-2048.pk8 --cert fixtures/keys/rsa-2048.x509.der \
      --min-sdk-version 14 --out "$G" "$W/big-unsigned.apk"
    rm -f "$W/big-unsigned.apk"
  fi
  hyperfine -N -w 1 -r 5 "$S verify --min-sdk 14 $G" "apksigner verify --min-sdk-version 14 $G"
  for c in "$S verify --min-sdk 14 $G" "apksigner verify --min-sdk-version 14 $G"; do
    /usr/bin/time -f "%M KB peak RSS  $c" $c > /dev/null
  done 2>&1 | grep "peak RSS"
esac
case $step in dist|all)
  # The shipped build against the default release build and aapt, by
  # hyperfine and interleaved (which adds Python's spawn cost to every side).
  fresh
  hyperfine -N -w 20 -r 300 "$S $F" "$B $F" "aapt dump badging $F"
  python3 benches/ab.py 500 "$S $F" "$B $F" "aapt dump badging $F"
esac
