# Included by every platforms/<p>/platform.mk (make runs from the top of
# the tree for the build and for the runner alike). The QEMU recipe uses
# $(ACCEL_ARGS_$(ACCEL)), -cpu $(CPU_ARG_$(ACCEL)) and, on the kernel's
# command line, $(TCG_BOOTARGS_$(TCG)) and $(SUBSET_BOOTARGS_$(SUBSET)).
# ACCEL: tcg (TCG=multi: a host thread per vCPU, the default; TCG=single:
# every vCPU round-robin on one thread, which a QEMU maintainer compares)
# or kvm (on a host of this architecture with /dev/kvm: -cpu host, the
# CPU's own reorderings; the runner refuses it anywhere else).
ACCEL ?= tcg
TCG ?= multi
ACCEL_ARGS_tcg = -accel tcg,thread=$(TCG)
ACCEL_ARGS_kvm = -accel kvm
CPU_ARG_tcg = $(CPU)
CPU_ARG_kvm = host
# One thread runs one vCPU at a time: no store buffering can show, so no
# litmus state is demanded (the verdicts say "allowed, not observed").
TCG_BOOTARGS_single = litmus.must_see=none

# SUBSET=cpus: the tests that use every CPU (bring-up, work, interrupts,
# faults and translations on each) and two litmus tests, for the matrix rows
# with many vCPUs: on a 2-core host a whole run there takes minutes, and
# what such a row is for is every CPU online and the engine choosing among
# them. No state is demanded there: with 64 vCPU threads on 2 host cores,
# store buffering between the two chosen is at the host scheduler's mercy
# (seen in most runs, in none of 180000 in some); the forbidden state of
# SB+fencembonceonces still fails the row. SUBSET=spin: everything that
# spin-waits on another CPU, an interrupt or a device (bring-up, the
# interrupt, io, device, DMA and virtio suites) and two litmus tests, for
# riscv64's TCG=single row: there a waiter keeps QEMU's one thread (7.2's
# pause only ends the translation block) until the 100 ms round-robin
# kick, so the whole litmus library takes ~100 s, and what the row is for
# is that every such wait still ends. SUBSET=all (the default) adds nothing.
SUBSET ?= all
SUBSET_BOOTARGS_cpus = tests=smp/*,irq/timer,irq/ipi,selftest/exception-report,mmu/every-cpu,litmus/SB+onceonces,litmus/SB+fencembonceonces litmus.must_see=none
SUBSET_BOOTARGS_spin = tests=smp/*,irq/*,io/*,dev/*,dma/*,virtio/*,litmus/SB+onceonces,litmus/SB+fencembonceonces
