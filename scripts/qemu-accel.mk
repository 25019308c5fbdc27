# Included by every platforms/<p>/platform.mk (make runs from the top of
# the tree for the build and for the runner alike). The QEMU recipe uses
# $(ACCEL_ARGS_$(ACCEL)), -cpu $(CPU_ARG_$(ACCEL)) and, on the kernel's
# command line, $(TCG_BOOTARGS_$(TCG)).
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
