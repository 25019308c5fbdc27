#!/usr/bin/env bash
# `make check`: host unit tests, then for every platform its run matrix,
# the rows of tests/controls.cfg (negative controls that must fail for the
# named reason, and output checks; the runner executes them), and the
# uniprocessor (SMP=n) image. Ends with "N passed, N failed"; a stop
# signal ends the step that is running (and its QEMU) and the script, with
# 128 + the signal and no total (scripts/stoppable.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/stoppable.sh

PLATFORMS=${PLATFORMS:-$(ls platforms)}
passed=0 failed=0 failures=()
RUN=scripts/orderly-run
CONTROLS=tests/controls.cfg
OUTDIR=build/check
mkdir -p "$OUTDIR"

step() {   # step NAME COMMAND...: one counted check
    local name=$1; shift
    echo "=== $name"
    if child "$@"; then
        passed=$((passed + 1)); echo "--- ok: $name"
    else
        failed=$((failed + 1)); failures+=("$name"); echo "--- FAILED: $name"
    fi
}

kernel_of() { make -s --no-print-directory PLATFORM="$1" SMP="${2:-y}" print-KERNEL_FOR_RUN; }

run() {    # run PLATFORM KERNEL ARGS...: the runner, quietly
    local p=$1 k=$2; shift 2
    "$RUN" --quiet --platform "platforms/$p" --kernel "$k" "$@"
}

user_litmus() {   # make LITMUS_DIRS= adds a user's tests; a file the translator rejects is named and skips
    local p=$1 dir=$OUTDIR/user-litmus log=$OUTDIR/$1-user.log out=$OUTDIR/$1-user-build.log
    rm -rf "$dir" && mkdir -p "$dir"
    sed 's/^C SB+xchgrelaxed-onceonces$/C SB+user-xchgrelaxed/' \
        tests/litmus/library/SB+xchgrelaxed-onceonces.litmus >"$dir/SB+user-xchgrelaxed.litmus"
    sed 's/^C SB+xchgrelaxed-onceonces$/C SB+user-unsupported/; s/xchg_relaxed(za, 1)/synchronize_sched()/' \
        tests/litmus/library/SB+xchgrelaxed-onceonces.litmus >"$dir/SB+user-unsupported.litmus"
    make -s PLATFORM="$p" LITMUS_DIRS="$dir" all >"$out" 2>&1 || { cat "$out"; return 1; }
    grep "user-unsupported" "$out"
    grep -q "$dir/SB+user-unsupported.litmus:[0-9]*: P0: unsupported construct 'synchronize_sched': not in the kernel API" \
        "$out" || { echo "the rejected file is not named with its line and reason"; return 1; }
    run "$p" "$(kernel_of "$p")" --log "$log" --bootargs "tests=litmus/SB+user-* litmus.ms=30" &&
        grep -qE '^ok [0-9]+ - litmus/SB\+user-xchgrelaxed ' "$log" &&
        grep -qE "^ok [0-9]+ - litmus/SB\+user-unsupported # SKIP not translated: .*synchronize_sched" "$log" ||
        { echo "the user's tests did not run, or the rejected one did not skip naming why"; return 1; }
    make -s --no-print-directory PLATFORM="$p" LITMUS_DIRS="$dir" litmus-report | tee "$OUTDIR/$1-user-report.log" |
        grep -q '^litmus-report: 1 of 2 translated, 1 rejected$' &&
        make -s PLATFORM="$p" all >/dev/null   # the plain image again
}

# The project's herd7-dialect corpus (tests/litmus/dialect/: every construct
# of the dialect the translator takes) built into the image and run briefly:
# each test passes, and the one whose every execution deadlocks says so.
dialect_litmus() {
    local p=$1 log=$OUTDIR/$1-dialect.log
    make -s PLATFORM="$p" LITMUS_DIRS=tests/litmus/dialect all >/dev/null &&
        run "$p" "$(kernel_of "$p")" --log "$log" --bootargs "tests=litmus/dialect-* litmus.ms=30" &&
        grep -qE '^ok [0-9]+ - litmus/dialect-deadlock # deadlock: all [1-9][0-9]* executions deadlocked$' "$log"
    local rc=$?
    make -s PLATFORM="$p" all >/dev/null   # the plain image again
    return $rc
}

step "host unit tests (fdt, bootargs, tap, litmus histogram, page tables) and the layout check" make -s host-check
step "runner and litmus translator unit tests" python3 -m unittest discover -s scripts/tests -q

# The build's handling of a user's litmus directory is arch-neutral: one platform.
first=$(make -s --no-print-directory print-PLATFORM)
case " $(echo $PLATFORMS) " in *" $first "*) ;; *) first=$(echo $PLATFORMS | cut -d' ' -f1) ;; esac
step "$first: make LITMUS_DIRS= adds a user's tests; a rejected file is named (file:line, reason) and skips" \
    user_litmus "$first"
step "$first: the herd7-dialect corpus (tests/litmus/dialect) builds and passes" dialect_litmus "$first"

# The runner stopped by a signal or killed leaves no process of its run and
# exits with 128 + the signal; a run that selects no test exits 6
# (scripts/tests/stop_check.py, a few seconds). Arch-neutral: one platform.
stop_check() {
    make -s PLATFORM="$1" all >/dev/null &&
        python3 scripts/tests/stop_check.py --platform "platforms/$1" --kernel "$(kernel_of "$1")"
}
step "$first: a stop signal or SIGKILL to the runner (or to check.sh) leaves no process of the run; a run that selects no test fails" \
    stop_check "$first"

# Every platform runs every row of the controls table (NAME<TAB>DESCRIPTION).
rows=$("$RUN" --platform "platforms/$first" --controls "$CONTROLS" --list-controls) ||
    step "controls table $CONTROLS" false

for p in $PLATFORMS; do
    if ! child make -s PLATFORM="$p" all; then
        step "$p: build" false
        continue
    fi
    k=$(kernel_of "$p")
    step "$p: default run, full litmus budgets" run "$p" "$k" --junit "$OUTDIR/$p-default.xml"
    step "$p: run matrix (short litmus budgets)" run "$p" "$k" --variants --bootargs "litmus.ms=30" \
        --junit "$OUTDIR/$p-matrix.xml"
    # The table's rows, one counted step each, in its order.
    while IFS=$'\t' read -r name what <&3; do
        [ -n "$name" ] || continue
        step "$p: $what" run "$p" "$k" --controls "$CONTROLS" --control "$name" \
            --log "$OUTDIR/$p-$name.log"
    done 3<<<"$rows"
    if child make -s PLATFORM="$p" SMP=n all; then
        # The seed patch's scenario; the library's pair needs no external
        # corpus: smp_store_mb() is WRITE_ONCE() + smp_mb(), virt_store_mb()
        # the same with virt_mb().
        step "$p: uniprocessor (SMP=n) image: SB with smp_store_mb() breaks, with virt_store_mb() holds" \
            run "$p" "$(kernel_of "$p" n)" --log "$OUTDIR/$p-up.log" --bootargs "litmus.ms=100" \
            --expect-pattern '^not ok [0-9]+ - litmus/SB\+storemb\+storemb # TODO .*forbidden state seen [1-9]' \
            --expect-pattern '^ok [0-9]+ - litmus/SB\+virtstoremb\+virtstoremb # never: 0 of [1-9]'
    else
        step "$p: uniprocessor (SMP=n) build" false
    fi
done

echo
if [ ${#failures[@]} -gt 0 ]; then
    echo "failed checks:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
