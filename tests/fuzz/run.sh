#!/bin/sh
# Run each libFuzzer target for RUNS inputs from its seed corpus and print
# "fuzz NAME: N execs, C crashes"; exit 1 if any crashed (the crashing
# input is in OUT/NAME/, replay it with OUT/fuzz_NAME FILE).
#     tests/fuzz/run.sh OUT RUNS TARGET...
set -u
out=$1 runs=$2
shift 2
rc=0
for t in "$@"; do
    dir=$out/$t
    mkdir -p "$dir/corpus"
    log=$dir/log
    "$out/fuzz_$t" -runs="$runs" -seed=1 -print_final_stats=1 -artifact_prefix="$dir/" \
        "$dir/corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    crashes=$(ls "$dir" | grep -c '^\(crash\|leak\|timeout\|oom\)-')
    echo "fuzz $t: ${execs:-0} execs, $crashes crashes"
    if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        tail -n 30 "$log"
        rc=1
    fi
done
exit $rc
