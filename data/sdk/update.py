#!/usr/bin/env python3
"""Compile the SDK rules into src/sdk/rules.rs (one command per rules update).

    python3 data/sdk/update.py [SDK_RULES_DIR]     (default: ../shared/sdk-rules)

Inputs:
  data/sdk/sdks.toml     the project's own table: SDK services with the filing
                         form's names, providers and categories, and their signals
  data/sdk/packers.toml  packers (加固) and their traces
  SDK_RULES_DIR/rules.db LibChecker's rules (LibChecker-Rules-Bundle, Apache-2.0)
  SDK_RULES_DIR/libchecker-rules/**.json   the rules' labels and teams (providers)

A LibChecker label listed under an SDK's `libchecker` (or a packer's) makes that
label's rules the SDK's strong signals; every other label becomes a `library`:
reported apart from `sdks`, because LibChecker does not tell an SDK service from
an open-source library. Static-library rules (type 6) are about on-device
shared libraries and are left out.

The script refuses: unknown keys, unknown categories, a label folded twice or
missing from rules.db, a strong signal shared by two SDKs, a regex Python cannot
compile. Needs Python 3.11+ (tomllib) and its sqlite3; nothing else.
"""
import json
import os
import re
import sqlite3
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "src" / "sdk" / "rules.rs"

CATEGORIES = {
    "payment": "Payment", "maps-location": "MapsLocation", "push": "Push",
    "analytics": "Analytics", "login-share": "LoginShare", "ads": "Ads",
    "crash-reporting": "CrashReporting", "audio-video": "AudioVideo", "im": "Im",
    "cloud-storage": "CloudStorage", "one-click-login": "OneClickLogin",
    "customer-service": "CustomerService", "security": "Security", "other": "Other",
}
# table key -> (RuleKind, weak)
ANDROID = {
    "dex": ("DexPrefix", False), "native": ("Native", False),
    "component": ("Component", False), "meta_data": ("MetaData", False),
    "action": ("Action", False), "weak_component": ("Component", True),
    "weak_meta_data": ("MetaData", True), "weak_dex": ("DexPrefix", True),
}
IOS = {"objc": ("ObjcClass", False), "framework": ("Framework", False),
       "bundle_id": ("BundleId", False)}
HARMONY = {"native": ("Native", False)}
SDK_KEYS = {"id", "name", "name_zh", "provider", "provider_zh", "category",
            "domains", "android", "ios", "harmony", "libchecker", "note"}
PACKER_KEYS = {"id", "name", "name_zh", "provider", "provider_zh", "native",
               "file", "class", "libchecker", "note"}
# LibChecker rule type -> RuleKind (6, static libraries, is left out)
LC_KIND = {0: "Native", 1: "Component", 2: "Component", 3: "Component",
           4: "Component", 5: "DexPrefix", 9: "Action"}


def fail(msg):
    sys.exit(f"update.py: {msg}")


def rust_str(s):
    out = []
    for ch in s:
        if ch in "\\\"":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def pattern(p, where):
    """('pattern', regex?) from a table string; 're:' marks a regex."""
    if not isinstance(p, str) or not p:
        fail(f"{where}: signal must be a non-empty string, got {p!r}")
    if p.startswith("re:"):
        body = p[3:]
        try:
            re.compile(body)
        except re.error as e:
            fail(f"{where}: bad regex {body!r}: {e}")
        return body, True
    return p, False


def main():
    rules_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "sdk-rules"
    tables = Path(os.environ.get("APKINFO_SDK_TABLES", HERE))
    sdks = tomllib.loads((tables / "sdks.toml").read_text())["sdk"]
    packers = tomllib.loads((tables / "packers.toml").read_text())["packer"]
    db = sqlite3.connect(rules_dir / "rules.db")
    lc_rows = db.execute(
        "select type, name, label, isRegexRule from rules_table order by _id"
    ).fetchall()
    version = (rules_dir / "rules.db.version.prop").read_text()
    m = re.search(r"version=(\d+)", version)
    lc_version = m.group(1) if m else "?"
    labels = {r[2] for r in lc_rows}

    # label -> team, from the per-rule JSON files
    teams = {}
    for p in sorted((rules_dir / "libchecker-rules").rglob("*.json")):
        try:
            j = json.loads(p.read_text())
        except (ValueError, UnicodeDecodeError):
            continue
        lab, team = j.get("label"), (j.get("team") or "").strip()
        if lab and team and lab not in teams:
            teams[lab] = team

    rules = []  # (kind, pattern, regex, weak, owner)
    strong_owner = {}  # (kind, pattern) -> owner name, for the uniqueness check
    folded = {}

    def add(kind, pat, rx, weak, owner, who):
        if not weak:
            key = (kind, pat)
            prev = strong_owner.get(key)
            if prev is not None and prev != who:
                fail(f"strong signal {kind} {pat!r} belongs to both {prev} and {who}")
            strong_owner[key] = who
        rules.append((kind, pat, rx, weak, owner))

    ids = set()
    sdk_defs = []
    for i, s in enumerate(sdks):
        unknown = set(s) - SDK_KEYS
        if unknown:
            fail(f"sdk {s.get('id')}: unknown keys {sorted(unknown)}")
        for k in ("id", "name", "name_zh", "provider", "provider_zh", "category"):
            if not s.get(k):
                fail(f"sdk #{i} {s.get('id')}: missing {k}")
        if s["id"] in ids:
            fail(f"sdk id {s['id']} twice")
        ids.add(s["id"])
        if s["category"] not in CATEGORIES:
            fail(f"sdk {s['id']}: unknown category {s['category']!r}")
        sdk_defs.append(s)
        owner = f"Sdk({i})"
        strong = 0
        for table, kinds in (("android", ANDROID), ("ios", IOS), ("harmony", HARMONY)):
            sub = s.get(table, {})
            extra = set(sub) - set(kinds)
            if extra:
                fail(f"sdk {s['id']}: unknown {table} keys {sorted(extra)}")
            for key, values in sub.items():
                kind, weak = kinds[key]
                for v in values:
                    pat, rx = pattern(v, f"sdk {s['id']} {table}.{key}")
                    add(kind, pat, rx, weak, owner, s["id"])
                    strong += not weak
        for lab in s.get("libchecker", []):
            if lab not in labels:
                fail(f"sdk {s['id']}: LibChecker label {lab!r} not in rules.db")
            if lab in folded:
                fail(f"LibChecker label {lab!r} folded into {folded[lab]} and {s['id']}")
            folded[lab] = s["id"]
            strong += 1
        if strong == 0:
            fail(f"sdk {s['id']}: no strong signal")

    packer_defs = []
    for i, p in enumerate(packers):
        unknown = set(p) - PACKER_KEYS
        if unknown:
            fail(f"packer {p.get('id')}: unknown keys {sorted(unknown)}")
        packer_defs.append(p)
        owner = f"Packer({i})"
        for key, kind in (("native", "Native"), ("file", "File"), ("class", "Class")):
            for v in p.get(key, []):
                pat, rx = pattern(v, f"packer {p['id']} {key}")
                add(kind, pat, rx, False, owner, p["id"])
        for lab in p.get("libchecker", []):
            if lab not in labels:
                fail(f"packer {p['id']}: LibChecker label {lab!r} not in rules.db")
            if lab in folded:
                fail(f"LibChecker label {lab!r} folded twice")
            folded[lab] = p["id"]

    sdk_index = {s["id"]: i for i, s in enumerate(sdk_defs)}
    packer_index = {p["id"]: i for i, p in enumerate(packer_defs)}
    libraries = []
    library_index = {}
    seen = set()
    for typ, name, label, is_regex in lc_rows:
        kind = LC_KIND.get(typ)
        if kind is None:
            continue
        key = (kind, name, bool(is_regex))
        if key in seen:  # the bundle repeats some regex rules
            continue
        seen.add(key)
        if is_regex:
            try:
                re.compile(name)
            except re.error:
                continue
        who = folded.get(label)
        if who in sdk_index:
            owner = f"Sdk({sdk_index[who]})"
        elif who in packer_index:
            owner = f"Packer({packer_index[who]})"
        else:
            if label not in library_index:
                library_index[label] = len(libraries)
                libraries.append((label, teams.get(label, "")))
            owner = f"Library({library_index[label]})"
        # LibChecker's rules are not checked for uniqueness against each other:
        # a name may carry two labels there, and both are then reported.
        rules.append((kind, name, bool(is_regex), False, owner))

    out = []
    w = out.append
    w("// @generated by data/sdk/update.py from data/sdk/sdks.toml, data/sdk/packers.toml")
    w(f"// and LibChecker's rules.db (version {lc_version}, Apache-2.0; see NOTICE). Do not edit:")
    w("// change the inputs and run `python3 data/sdk/update.py`.")
    w("#![cfg_attr(rustfmt, rustfmt_skip)]")
    w("use super::{Category::*, LibraryDef, Owner::*, PackerDef, Rule, RuleKind::*, SdkDef};")
    w("")
    w("/// Where the rules come from, for reports.")
    w(f"pub const RULES_SOURCE: &str = {rust_str(f'apkinfo SDK table ({len(sdk_defs)} SDKs, {len(packer_defs)} packers) + LibChecker rules v{lc_version}')};")
    w("")
    w("pub(super) static SDKS: &[SdkDef] = &[")
    for s in sdk_defs:
        w(f"    SdkDef {{ id: {rust_str(s['id'])}, name: {rust_str(s['name'])}, name_zh: {rust_str(s['name_zh'])}, "
          f"provider: {rust_str(s['provider'])}, provider_zh: {rust_str(s['provider_zh'])}, category: {CATEGORIES[s['category']]} }},")
    w("];")
    w("")
    w("pub(super) static LIBRARIES: &[LibraryDef] = &[")
    for name, team in libraries:
        w(f"    LibraryDef {{ name: {rust_str(name)}, provider: {rust_str(team)} }},")
    w("];")
    w("")
    w("pub(super) static PACKERS: &[PackerDef] = &[")
    for p in packer_defs:
        w(f"    PackerDef {{ name: {rust_str(p['name'])}, name_zh: {rust_str(p['name_zh'])}, "
          f"provider: {rust_str(p.get('provider', ''))}, provider_zh: {rust_str(p.get('provider_zh', ''))} }},")
    w("];")
    w("")
    w("/// Registrable domains (or hosts) of SDK vendors → index into SDKS.")
    w("pub(super) static SDK_DOMAINS: &[(&str, u16)] = &[")
    seen_domains = {}
    for i, s in enumerate(sdk_defs):
        for dom in s.get("domains", []):
            dom = dom.strip().lower().strip(".")
            if dom in seen_domains:
                continue  # first SDK of the table names a shared vendor domain
            seen_domains[dom] = i
            w(f"    ({rust_str(dom)}, {i}),")
    w("];")
    w("")
    w("pub(super) static RULES: &[Rule] = &[")
    for kind, pat, rx, weak, owner in rules:
        w(f"    Rule {{ kind: {kind}, pattern: {rust_str(pat)}, regex: {'true' if rx else 'false'}, "
          f"weak: {'true' if weak else 'false'}, owner: {owner} }},")
    w("];")
    OUT.write_text("\n".join(out) + "\n")
    cats = {}
    for s in sdk_defs:
        cats[s["category"]] = cats.get(s["category"], 0) + 1
    print(f"{OUT.relative_to(REPO)}: {len(sdk_defs)} SDKs, {len(packer_defs)} packers, "
          f"{len(libraries)} LibChecker libraries, {len(rules)} rules; {len(folded)} labels folded")
    print("  by category: " + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())))


if __name__ == "__main__":
    main()
