#!/usr/bin/env bash
# Add seeds from the repo's fixtures to fuzz/corpus/<target>/ (files > 1 MB skipped).
# Additive: what earlier runs added to the corpus stays.  `./seed.sh --clean` starts afresh.
# `--shared` also adds the packages of ../../shared/corpus (<= 1 MB) as `inspect` and
# `zip_directory` seeds: real apps reach code the fixtures do not, and a lost corpus grows back
# faster.  They stay in the local corpus only (corpus/ is not committed).
set -euo pipefail
cd "$(dirname "$0")"
F=../fixtures
C=corpus
T="zip_directory axml arsc signing_block pkcs7_x509 macho objc plist_profile cgbi inspect proto hap resindex dex domains"
shared=
for a in "$@"; do
    case $a in
        --clean) rm -rf "$C" ;;
        --shared) shared=../../shared/corpus ;;
        *) echo "usage: $0 [--clean] [--shared]" >&2; exit 2 ;;
    esac
done
for t in $T; do mkdir -p "$C/$t"; done
small() { find "$@" -type f -size -1024k; }
# put FILE as TARGET/NAME unless larger than 1 MB
put() { [ -s "$1" ] && [ "$(stat -c %s "$1")" -le 1048576 ] && cp "$1" "$C/$2/$3" || true; }
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
for f in $(small $F/android $F/signing $F/verify $F/hostile $F/sdk -name '*.apk') \
         $(small $F/ios $F/hostile $F/sdk -name '*.ipa'); do
    b=$(basename "$(dirname "$f")")-$(basename "$f")
    for t in zip_directory inspect signing_block; do put "$f" $t "$b"; done
    names=$(unzip -Z1 "$f" 2>/dev/null || true)
    x() { unzip -p "$f" "$1" > "$tmp" 2>/dev/null || true; put "$tmp" "$2" "$3"; }
    x AndroidManifest.xml axml "$b.manifest"; put "$tmp" domains "$b.manifest"
    x resources.arsc arsc "$b.arsc"; put "$tmp" domains "$b.arsc"
    for m in $(grep -E '^classes[0-9]*\.dex$' <<<"$names" || true); do
        x "$m" dex "$b.$m"; put "$tmp" domains "$b.$m"
    done
    for m in $(grep -E '^META-INF/[^/]*\.(RSA|EC|DSA)$' <<<"$names" || true); do
        x "$m" pkcs7_x509 "$b.$(basename "$m")"
    done
    for m in $(grep -E '^res/.*\.xml$' <<<"$names" | head -5 || true); do
        x "$m" axml "$b.$(tr / _ <<<"$m")"
    done
    # iOS: the main executable(s) and anything under the bundle without a known data extension
    for m in $(grep -E '^Payload/[^/]+\.app/[^/]+$' <<<"$names" \
               | grep -vE '\.(png|plist|mobileprovision|car|strings|nib|storyboardc|json)$' | tr ' ' '?' || true); do
        x "$m" macho "$b.$(basename "$m" | tr '?' _)"
        put "$tmp" objc "$b.$(basename "$m" | tr '?' _)"
    done
    for m in $(grep -E '(Info\.plist|\.strings|\.mobileprovision)$' <<<"$names" | tr ' ' '?' || true); do
        x "$m" plist_profile "$b.$(tr '/?' __ <<<"$m")"
    done
    for m in $(grep -E '^Payload/[^/]+\.app/[^/]+\.png$' <<<"$names" | head -3 | tr ' ' '?' || true); do
        x "$m" cgbi "$b.$(basename "$m" | tr '?' _)"
    done
done
# Bundles and split sets: whole files for inspect, their protobuf parts for proto.
for f in $(small $F/bundles $F/sets -name '*.aab' -o -name '*.apks' -o -name '*.xapk' -o -name '*.apkm'); do
    b=$(basename "$f")
    for t in zip_directory inspect; do put "$f" $t "$b"; done
    for m in $(unzip -Z1 "$f" 2>/dev/null | grep -E '(\.pb|manifest/AndroidManifest\.xml|^[^/]+/res/.*\.xml)$' | head -20 || true); do
        unzip -p "$f" "$m" > "$tmp" 2>/dev/null || true; put "$tmp" proto "$b.$(tr / _ <<<"$m")"
    done
done
# HarmonyOS: whole packages for inspect; the signing block (the bytes up to
# the central directory) and the JSON files for hap; resources.index for resindex.
for f in $(small $F/harmony $F/hostile -name '*.hap' -o -name '*.hsp' -o -name '*.app'); do
    b=$(basename "$f")
    for t in zip_directory inspect; do put "$f" $t "$b"; done
    cd_at=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); e=d.rfind(b"PK\x05\x06"); print(struct.unpack_from("<I",d,e+16)[0] if e>=0 else 0)' "$f")
    head -c "$cd_at" "$f" > "$tmp"; put "$tmp" hap "$b.block"
    for m in module.json config.json pack.info resources.index; do
        unzip -p "$f" "$m" > "$tmp" 2>/dev/null || true
        case $m in resources.index) put "$tmp" resindex "$b.index" ;; *) put "$tmp" hap "$b.$m" ;; esac
    done
done
# objc: macho.py images with class names, C strings and encryption, thin and fat.
M=$F/tools/ios/macho.py
python3 $M "$C/objc/macho-strings" arm64 --objc-class WXApi --cstring https://api.example.com \
    --cstring '%s.weixin.qq.com' --dylib @rpath/A.framework/A
python3 $M "$C/objc/macho-strings-fat" armv7,arm64 --objc-class Foo --cstring a.example.org
python3 $M "$C/objc/macho-strings-encrypted" arm64,x86_64 --objc-class Foo --cstring x --cryptid 1
python3 $M "$C/objc/macho-strings-only" x86_64 --cstring only --cryptid 0
for f in $F/resindex/*.index; do put "$f" resindex "$(basename "$f")"; done
for f in $(small $F/signing -name '*.idsig'); do put "$f" signing_block "$(basename "$f")"; done
for f in $F/keys/*.der $F/keys/ios/*.der; do put "$f" pkcs7_x509 "$(basename "$f")"; done
for f in $F/ios/profiles/*; do put "$f" plist_profile "$(basename "$f")"; done
for f in $F/ios/icons/*.png; do put "$f" cgbi "$(basename "$f")"; done
if [ -n "$shared" ] && [ -d "$shared" ]; then
    # NUL-separated: some of these names have spaces
    while IFS= read -r -d '' f; do
        b=shared-$(basename "$(dirname "$f")")-$(basename "$f")
        for t in zip_directory inspect; do put "$f" $t "$b"; done
    done < <(small "$shared" -regextype egrep -regex '.*\.(apk|ipa|hap|aab|apks|zip)' -print0)
    # Real bundles are over 1 MB; their protobuf parts are not.
    while IFS= read -r -d '' f; do
        b=shared-$(basename "$f")
        for m in $(unzip -Z1 "$f" 2>/dev/null | grep -E '(\.pb|manifest/AndroidManifest\.xml)$' || true); do
            unzip -p "$f" "$m" > "$tmp" 2>/dev/null || true; put "$tmp" proto "$b.$(tr / _ <<<"$m")"
        done
    done < <(find "$shared" -type f \( -name '*.aab' -o -name '*.apks' \) -print0)
fi
for t in $T; do echo "$t: $(ls "$C/$t" | wc -l) files"; done
