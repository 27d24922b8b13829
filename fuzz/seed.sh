#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds from the repo's fixtures (files ≤ 1 MB).
set -euo pipefail
cd "$(dirname "$0")"
F=../fixtures
C=corpus
rm -rf "$C"; mkdir -p "$C"/{zip_directory,axml,arsc,signing_block,pkcs7_x509,macho,plist_profile,cgbi,inspect}
small() { find "$@" -type f -size -1024k; }
for f in $(small $F/android $F/signing $F/verify -name '*.apk') $(small $F/ios -name '*.ipa'); do
    b=$(basename "$f")
    cp "$f" "$C/zip_directory/$b"; cp "$f" "$C/inspect/$b"; cp "$f" "$C/signing_block/$b"
    unzip -p "$f" AndroidManifest.xml > "$C/axml/$b.manifest" 2>/dev/null || true
    unzip -p "$f" resources.arsc > "$C/arsc/$b.arsc" 2>/dev/null || true
    for m in $(unzip -Z1 "$f" 2>/dev/null | grep -E '^META-INF/.*\.(RSA|EC|DSA)$' || true); do
        unzip -p "$f" "$m" > "$C/pkcs7_x509/$b.$(basename "$m")"
    done
    for x in $(unzip -Z1 "$f" 2>/dev/null | grep -E 'res/.*\.xml$' | head -3 || true); do
        unzip -p "$f" "$x" > "$C/axml/$b.$(echo "$x" | tr / _)"
    done
    for p in $(unzip -Z1 "$f" 2>/dev/null | grep -E '\.app/[^/]+$' | grep -vE '\.(png|plist|mobileprovision|car|strings)$' || true); do
        unzip -p "$f" "$p" > "$C/macho/$b.$(basename "$p" | tr ' ' _)" 2>/dev/null || true
    done
    for p in $(unzip -Z1 "$f" 2>/dev/null | grep -E 'Info\.plist$|InfoPlist\.strings$' | tr ' ' '?' || true); do
        unzip -p "$f" "$p" > "$C/plist_profile/$b.$(echo "$p" | tr '/ ?' ___)" 2>/dev/null || true
    done
done
cp $F/keys/*.der "$C/pkcs7_x509/" 2>/dev/null || true
cp $F/ios/profiles/* "$C/plist_profile/"
cp $F/ios/icons/*.png "$C/cgbi/"
find "$C" -type f -empty -delete
for d in "$C"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"; done
