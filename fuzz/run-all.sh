#!/usr/bin/env bash
# Run every target for $SECONDS_EACH seconds (default 120), one at a time,
# and append a line per target to runs.log: target, execs, seconds, cov, ft, artifacts.
set -uo pipefail
cd "$(dirname "$0")"
EACH="${SECONDS_EACH:-120}"
export RUSTC_BOOTSTRAP=1   # cargo-fuzz wants nightly flags; the stable toolchain accepts them so
for t in ${TARGETS:-zip_directory axml arsc signing_block pkcs7_x509 macho objc plist_profile cgbi inspect proto hap resindex dex domains}; do
    log="logs/$t.log"; mkdir -p logs artifacts/$t
    cargo fuzz run -O "$t" corpus/$t -- -max_total_time="$EACH" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 > "$log" 2>&1
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    last=$(grep -E '#[0-9]+.*cov:' "$log" | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
    crashes=$(ls artifacts/$t 2>/dev/null | wc -l)
    echo -e "$t\t${execs:-?}\t$EACH\t${cov:-?}\t${ft:-?}\t$crashes" | tee -a runs.log
done
