#!/usr/bin/env bash
# `make check`: host unit tests, then for every platform its run matrix,
# its negative controls (runs that must fail, and fail for the named
# reason), and the uniprocessor (SMP=n) build. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

PLATFORMS=${PLATFORMS:-$(ls platforms)}
passed=0 failed=0 failures=()
RUN=scripts/orderly-run
OUTDIR=build/check
mkdir -p "$OUTDIR"

step() {   # step NAME COMMAND...: one counted check
    local name=$1; shift
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1)); echo "--- ok: $name"
    else
        failed=$((failed + 1)); failures+=("$name"); echo "--- FAILED: $name"
    fi
}

pvar() {   # pvar PLATFORM VAR: a variable from the platform's build facts
    make -s --no-print-directory PLATFORM="$1" print-"$2"
}

kernel_of() { make -s --no-print-directory PLATFORM="$1" SMP="${2:-y}" print-KERNEL_FOR_RUN; }

run() {    # run PLATFORM KERNEL ARGS...: the runner, quietly, JUnit kept
    local p=$1 k=$2; shift 2
    "$RUN" --quiet --platform "platforms/$p" --kernel "$k" "$@"
}

mutated_dtb() {   # mutated_dtb PLATFORM KERNEL MODE BOOTARGS: QEMU's own DTB (SMP=2), broken on purpose
    local p=$1 k=$2 mode=$3 args=$4 out=$OUTDIR/$1-$3
    local cmd
    cmd=$("$RUN" --dry-run --platform "platforms/$p" --kernel "$k" SMP=2 | tail -n1) || return 1
    eval "$cmd -machine dumpdtb=$out.dtb" >/dev/null 2>&1 || return 1
    dtc -q -I dtb -O dts -o "$out.dts" "$out.dtb" &&
        scripts/dtb-mutate.py "$mode" "$out.dts" "$out-bad.dts" --bootargs "$args" >"$out.what" &&
        dtc -q -I dts -O dtb -o "$out-bad.dtb" "$out-bad.dts" && echo "$out-bad.dtb"
}

bad_reg() {   # a device with a malformed reg is reported, the run still passes
    local log=$OUTDIR/$1-bad-reg.log
    run "$1" "$2" SMP=2 QEMU_EXTRA="-dtb $3" --log "$log" --bootargs "skip=litmus/*" &&
        grep -q "^# warning: dt: $(cat "$OUTDIR/$1-break-reg.what")@.*reg of .* bytes does not fit" "$log"
}

bad_bootargs() {   # warnings for each bad word, and the run still passes
    local log=$OUTDIR/$1-bootargs.log
    run "$1" "$2" --log "$log" \
        --bootargs "tests=smp/online,no/such-test,litmus/SB+onceonces bogus=1 seed=xyz litmus.ms=30 litmus.step=3" &&
        grep -q "unknown option 'bogus=1'" "$log" && grep -q "no/such-test selects no test" "$log" &&
        grep -q "seed 'xyz'" "$log" && grep -q "litmus.step=3 is not a power of 2" "$log"
}

litmus7_lines() {   # herdtools-readable lines are printed on request
    local log=$OUTDIR/$1-litmus7.log
    run "$1" "$2" --log "$log" --bootargs "tests=litmus/SB+onceonces litmus.ms=50 litmus.litmus7" &&
        grep -qE '^# Observation SB\+onceonces (Sometimes|Always) [0-9]+ [0-9]+$' "$log" &&
        grep -qE '^# Positive: [0-9]+, Negative: [0-9]+$' "$log"
}

same_choices() {   # the seed reproduces the random choices (a runs budget fixes the batch count)
    local a b c args="tests=litmus/SB+onceonces litmus.runs=8192 litmus.ms=60000 litmus.must_see=none"
    run "$1" "$2" --log "$OUTDIR/$1-seed-a.log" --bootargs "$args seed=42" &&
        run "$1" "$2" --log "$OUTDIR/$1-seed-b.log" --bootargs "$args seed=42" &&
        run "$1" "$2" --log "$OUTDIR/$1-seed-c.log" --bootargs "$args seed=43" || return 1
    a=$(grep -m1 ' choices: ' "$OUTDIR/$1-seed-a.log") b=$(grep -m1 ' choices: ' "$OUTDIR/$1-seed-b.log")
    c=$(grep -m1 ' choices: ' "$OUTDIR/$1-seed-c.log")
    echo "seed 42: $a / $b; seed 43: $c"
    [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" != "$c" ]
}

up_image() {   # the seed patch's scenario on a multicore platform
    local log=$OUTDIR/$1-up.log
    run "$1" "$2" --log "$log" --bootargs "litmus.ms=100" || return 1
    # The library's pair (no external corpus needed): smp_store_mb() is
    # WRITE_ONCE() + smp_mb(), virt_store_mb() the same with virt_mb().
    grep -qE '^not ok [0-9]+ - litmus/SB\+storemb\+storemb # TODO .*forbidden state seen [1-9]' "$log" ||
        { echo "SB+storemb+storemb did not show the forbidden state under SMP=n"; return 1; }
    grep -qE '^ok [0-9]+ - litmus/SB\+virtstoremb\+virtstoremb # never: 0 of [1-9]' "$log" ||
        { echo "SB+virtstoremb+virtstoremb did not hold under SMP=n"; return 1; }
}

user_litmus() {   # make LITMUS_DIRS= adds a user's tests; an unsupported construct stops the build
    local p=$1 good=$OUTDIR/user-litmus bad=$OUTDIR/user-litmus-bad log=$OUTDIR/$1-user.log
    mkdir -p "$good" "$bad"
    sed 's/^C SB+xchgrelaxed-onceonces$/C SB+user-xchgrelaxed/' \
        tests/litmus/library/SB+xchgrelaxed-onceonces.litmus >"$good/SB+user-xchgrelaxed.litmus"
    sed 's/^C SB+xchgrelaxed-onceonces$/C SB+user-unsupported/; s/xchg_relaxed(za, 1)/synchronize_rcu()/' \
        tests/litmus/library/SB+xchgrelaxed-onceonces.litmus >"$bad/SB+user-unsupported.litmus"
    make -s PLATFORM="$p" LITMUS_DIRS="$good" all >/dev/null &&
        run "$p" "$(kernel_of "$p")" --log "$log" --bootargs "tests=litmus/SB+user-xchgrelaxed litmus.ms=30" &&
        grep -qE '^ok [0-9]+ - litmus/SB\+user-xchgrelaxed ' "$log" || return 1
    if make -s PLATFORM="$p" LITMUS_DIRS="$bad" all >"$OUTDIR/$1-user-bad.log" 2>&1; then
        echo "an unsupported construct did not stop the build"
        return 1
    fi
    cat "$OUTDIR/$1-user-bad.log"
    grep -q "$bad/SB+user-unsupported.litmus:[0-9]*: unsupported construct 'synchronize_rcu'" \
        "$OUTDIR/$1-user-bad.log" && make -s PLATFORM="$p" all >/dev/null   # the plain image again
}

step "host unit tests (fdt, bootargs, tap, litmus histogram)" make -s host-check
step "runner and litmus translator unit tests" python3 -m unittest discover -s scripts/tests -q

# The build's handling of a user's litmus directory is arch-neutral: one platform.
first=$(make -s --no-print-directory print-PLATFORM)
case " $(echo $PLATFORMS) " in *" $first "*) ;; *) first=$(echo $PLATFORMS | cut -d' ' -f1) ;; esac
step "$first: make LITMUS_DIRS= adds a user's tests; an unsupported construct stops the build" \
    user_litmus "$first"

for p in $PLATFORMS; do
    if ! make -s PLATFORM="$p" all; then
        step "$p: build" false
        continue
    fi
    k=$(kernel_of "$p")
    step "$p: default run, full litmus budgets" run "$p" "$k" --junit "$OUTDIR/$p-default.xml"
    step "$p: run matrix (short litmus budgets)" run "$p" "$k" --variants --bootargs "litmus.ms=30" \
        --junit "$OUTDIR/$p-matrix.xml"
    step "$p: an allowed state the platform must show but cannot fails the run" run "$p" "$k" \
        --bootargs "tests=litmus/MP+onceonces litmus.ms=50 litmus.must_see=MP+onceonces" \
        --expect-fail --expect-pattern '^not ok [0-9]+ - litmus/MP\+onceonces' \
        --expect-pattern 'lost its concurrency'
    step "$p: litmus7 vocabulary" litmus7_lines "$p" "$k"
    step "$p: the seed reproduces the litmus engine's random choices" same_choices "$p" "$k"
    step "$p: a failing check fails the run" run "$p" "$k" --bootargs "tests=selftest/fail-demo" \
        --expect-fail --expect-pattern '^not ok [0-9]+ - selftest/fail-demo' --expect-pattern '^# summary:'
    step "$p: a fault is reported and the run reaches the summary" run "$p" "$k" \
        --bootargs "tests=selftest/fault-demo,smp/online" --expect-fail \
        --expect-pattern '^not ok [0-9]+ - selftest/fault-demo' --expect-pattern '^ok [0-9]+ - smp/online' \
        --expect-pattern "$(pvar "$p" FAULT_REGS_PATTERN)" --expect-pattern '^# summary:'
    step "$p: a fault on a secondary CPU is reported" run "$p" "$k" \
        --bootargs "tests=selftest/fault-secondary-demo,smp/online" --expect-fail \
        --expect-pattern '^not ok [0-9]+ - selftest/fault-secondary-demo' --expect-pattern 'on cpu 1' \
        --expect-pattern '^# summary:'
    step "$p: a hanging test is ended by its watchdog" run "$p" "$k" \
        --bootargs "tests=selftest/hang-demo,smp/online" --expect-fail \
        --expect-pattern '^not ok [0-9]+ - selftest/hang-demo' --expect-pattern 'timeout' \
        --expect-pattern '^ok [0-9]+ - smp/online'
    bad=$(mutated_dtb "$p" "$k" add-cpu "tests=smp/online smp_timeout=500")
    if [ -n "$bad" ]; then
        step "$p: a CPU that cannot start is a named failure" run "$p" "$k" SMP=2 \
            QEMU_EXTRA="-dtb $bad" --bootargs "tests=smp/online smp_timeout=500" --expect-fail \
            --expect-pattern '^not ok [0-9]+ - smp/online' --expect-pattern 'cpu [0-9]+ \(cpu@63, hwid 0x63\) is not online'
    else
        step "$p: build a DTB with a CPU that does not exist" false
    fi
    bad=$(mutated_dtb "$p" "$k" break-reg "skip=litmus/*")
    step "$p: a device without a usable reg is reported and skipped" bad_reg "$p" "$k" "$bad"
    step "$p: bad bootargs are reported and ignored" bad_bootargs "$p" "$k"
    if make -s PLATFORM="$p" SMP=n all; then
        step "$p: uniprocessor (SMP=n) image: SB with smp_store_mb() breaks, with virt_store_mb() holds" \
            up_image "$p" "$(kernel_of "$p" n)"
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
