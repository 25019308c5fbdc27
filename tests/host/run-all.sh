#!/bin/sh
# Run every host test program built into OUT, dump QEMU's device trees for
# the fdt test, and end with one line adding up the programs' own closing
# lines:  "host-check: N passed, N failed". Exit status 1 if any failed.
#     tests/host/run-all.sh OUT [FUZZ_ROUNDS [FUZZ_SEED]]
set -u
out=${1:?usage: run-all.sh OUT [FUZZ_ROUNDS [FUZZ_SEED]]}
rounds=${2:-2000}
seed=${3:-0x5eed}
log=$out/host-check.log
rc=0
: >"$log"

run() {     # run NAME COMMAND...: its output goes to the terminal and the log
    echo "== $1"
    shift
    { "$@" 2>&1 || echo "exit status $?: FAILED"; } | tee -a "$log"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
run tap "$out/test_tap"
run bootargs "$out/test_bootargs"
run dtbs tests/host/dump-dtbs.sh "$out/dtb"
run fdt "$out/test_fdt" -r "$rounds" -s "$seed" "$out/dtb"
run hist "$out/test_litmus_hist"
run pgtable "$out/test_pgtable"
run layout-self-test python3 scripts/layout-check.py --self-test
run layout python3 scripts/layout-check.py

# A program that crashed (a sanitizer report) prints no closing line, and
# "exit status" marks any non-zero exit: both count as a failure.
grep -q 'FAILED$' "$log" && rc=1
grep -q '^layout self-test: MISSED\|REJECTED' "$log" && rc=1
for name in tap bootargs fdt hist pgtable layout; do
    grep -Eq "^$name: [0-9]+ passed, [0-9]+ failed$" "$log" || {
        echo "host-check: test_$name printed no closing line (crashed?)"
        rc=1
    }
done
awk -v rc="$rc" '
    /^[a-z]+: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
    END { if (rc && f == 0) f = 1; printf "host-check: %d passed, %d failed\n", p, f }
' "$log"
awk '/^[a-z]+: [0-9]+ passed, [0-9]+ failed$/ && $4 > 0 { bad = 1 } END { exit bad }' "$log" || rc=1
exit $rc
