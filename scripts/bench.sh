#!/usr/bin/env bash
# `make bench`: measured, never asserted, on every platform. One run per
# platform (-smp 2) runs SB+onceonces in the batched litmus engine and in
# the one-synchronisation-per-run mode side by side (tests/litmus/bench.c),
# and interrupt latency, timer deadline to handler and IPI send to handler
# (tests/irq/bench.c); this prints a table of each.
#   BENCH_MS=1000  time budget per litmus mode;  BENCH_IRQ_SAMPLES=200
#   samples per latency;  PLATFORMS="..."  which platforms
# A stop signal ends the run and the script, with 128 + the signal and no
# table (scripts/stoppable.sh).
set -uo pipefail
# O=DIR: as in scripts/check.sh, relative to where this was started.
[ -z "${O:-}" ] || { O=$(realpath -ms -- "$O") && export O; }
cd "$(dirname "$0")/.."
. scripts/stoppable.sh
# The logs, the runner's scratch disks and Python's caches go under make's
# build directory (O=, else build/).
. scripts/build-dir.sh
use_build_dir bench
PLATFORMS=${PLATFORMS:-$(ls platforms)}
MS=${BENCH_MS:-1000}
SAMPLES=${BENCH_IRQ_SAMPLES:-200}
mkdir -p "$BUILD/bench"

field() { sed -n "s/^ *$1: //p" "$2" | head -n1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

rows=() irq_rows=() dma_rows=()
for p in $PLATFORMS; do
    if ! child make -s PLATFORM="$p" all >/dev/null; then
        rows+=("$p|build failed")
        irq_rows+=("$p|build failed")
        dma_rows+=("$p|build failed")
        continue
    fi
    k=$(make -s --no-print-directory PLATFORM="$p" print-KERNEL_FOR_RUN)
    log=$BUILD/bench/$p.log
    args="tests=bench/litmus-modes,bench/irq-latency,bench/dma litmus.ms=$MS litmus.runs=4000000000"
    args+=" bench.irq_samples=$SAMPLES"
    if ! child scripts/orderly-run --quiet --platform "platforms/$p" --kernel "$k" SMP=2 \
            --bootargs "$args" --log "$log" 2>/dev/null; then
        rows+=("$p|run failed (see $log)")
        irq_rows+=("$p|run failed (see $log)")
        dma_rows+=("$p|run failed (see $log)")
        continue
    fi
    irq=()
    for kind in timer ipi; do
        lat=$(field "${kind}_min_us" "$log")
        lat+=" / $(field "${kind}_median_us" "$log") / $(field "${kind}_max_us" "$log")"
        irq+=("$lat")
    done
    irq_rows+=("$p|${irq[0]}|${irq[1]}")
    fw=$(field fw_cfg_mb_per_s "$log") fwf=$(sed -n 's/^ *fw_cfg_file: {name: "\([^"]*\)", size: \([0-9]*\)}/\1, \2 B/p' "$log" | head -n1)
    dma_rows+=("$p|${fw:--}|${fwf:-none}|$(field edu_mb_per_s "$log")")
    br=$(field batch_runs_per_s "$log") sr=$(field sync_runs_per_s "$log")
    bw=$(field batch_witnesses_per_s "$log") sw=$(field sync_witnesses_per_s "$log")
    rows+=("$p|$br|$sr|$(ratio "$br" "$sr")|$bw|$sw|$(ratio "$bw" "$sw")")
done

printf '\nlitmus engine, SB+onceonces, -smp 2, %s ms per mode (seed 0x5eed)\n\n' "$MS"
printf '%-20s %14s %14s %7s %16s %16s %7s\n' platform "batch runs/s" "sync runs/s" ratio \
    "batch SB wit/s" "sync SB wit/s" ratio
for r in "${rows[@]}"; do
    IFS='|' read -r p a b c d e f <<<"$r"
    printf '%-20s %14s %14s %7s %16s %16s %7s\n' "$p" "$a" "${b:-}" "${c:-}" "${d:-}" "${e:-}" "${f:-}"
done
printf '\ntargets (issue 5, qemu-virt-arm64 -smp 2): >= 10000000 batch runs/s; SB witnesses/s >= 10x sync\n'

printf '\ninterrupt latency, -smp 2, %s samples each, us of the CPU'"'"'s own counter (min / median / max)\n\n' "$SAMPLES"
printf '%-20s %28s %28s\n' platform "timer deadline to handler" "IPI send to handler"
for r in "${irq_rows[@]}"; do
    IFS='|' read -r p a b <<<"$r"
    printf '%-20s %28s %28s\n' "$p" "$a" "${b:-}"
done

printf '\nDMA round trips, verified, -smp 2 (MB/s; edu is paced by QEMU at 100 ms a transfer)\n\n'
printf '%-20s %14s %-28s %10s\n' platform "fw_cfg DMA" "fw_cfg file" "edu DMA"
for r in "${dma_rows[@]}"; do
    IFS='|' read -r p a b c <<<"$r"
    printf '%-20s %14s %-28s %10s\n' "$p" "$a" "${b:-}" "${c:-}"
done

# virtio requests/s (tests/virtio/bench.c), a run of its own per platform
# (-smp 2): BENCH_VIRTIO_MS=300 per request kind.
virtio_rows=()
for p in $PLATFORMS; do
    k=$(make -s --no-print-directory PLATFORM="$p" print-KERNEL_FOR_RUN)
    log=$BUILD/bench/$p-virtio.log
    if ! child make -s PLATFORM="$p" all >/dev/null ||
        ! child scripts/orderly-run --quiet --platform "platforms/$p" --kernel "$k" SMP=2 \
            --bootargs "tests=bench/virtio bench.virtio_ms=${BENCH_VIRTIO_MS:-300}" \
            --log "$log" 2>/dev/null; then
        virtio_rows+=("$p|run failed (see $log)")
        continue
    fi
    v=()
    for kind in rng blk_read blk_write; do
        v+=("$(field "virtio_${kind}_requests_per_s" "$log") ($(field "virtio_${kind}_irqs_per_1000" "$log"))")
    done
    virtio_rows+=("$p|${v[0]}|${v[1]}|${v[2]}")
done
printf '\nvirtio requests/s, -smp 2, %s ms each, by interrupt with EVENT_IDX (interrupts per 1000)\n\n' \
    "${BENCH_VIRTIO_MS:-300}"
printf '%-20s %20s %20s %20s\n' platform "rng (8-64 B)" "blk 512 B read" "blk 512 B write"
for r in "${virtio_rows[@]}"; do
    IFS='|' read -r p a b c <<<"$r"
    printf '%-20s %20s %20s %20s\n' "$p" "$a" "${b:-}" "${c:-}"
done
