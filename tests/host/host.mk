# Host unit tests for the host-buildable C in lib/ (fdt, bootargs, tap,
# litmus_hist, pgtable).
#
# Included by the top-level Makefile; also works alone from the top of the
# tree:   make -f tests/host/host.mk host-check [BUILD=build]
#
# Everything is built into $(BUILD)/host (nothing is written into the
# source tree), with ASan and UBSan, so that a read past a buffer is a
# crash rather than a silent pass. QEMU dumps its device trees into
# $(BUILD)/host/dtb at test time; a missing QEMU skips that family.
# Variables: HOST_CC, HOST_FUZZ_ROUNDS (mutations per tree, default 2000),
# HOST_FUZZ_SEED.

BUILD ?= build
HOST_OUT := $(BUILD)/host
HOST_CC ?= gcc
HOST_FUZZ_ROUNDS ?= 2000
HOST_FUZZ_SEED ?= 0x5eed
# -iquote: our "fdt.h" must not hide libfdt's <fdt.h>.
HOST_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -Werror -iquote include \
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The targets' compilers build lib/*.c too, warnings as errors, as part of
# every platform's image (big-endian 32-bit ppc, strict-align arm64/riscv64).

HOST_TESTS := tap bootargs fdt litmus_hist pgtable
HOST_BINS := $(addprefix $(HOST_OUT)/test_,$(HOST_TESTS))
HOST_LIBS_fdt := -lfdt

.PHONY: host-check host-tests

host-check: $(HOST_BINS)
	@tests/host/run-all.sh $(HOST_OUT) $(HOST_FUZZ_ROUNDS) $(HOST_FUZZ_SEED)

host-tests: $(HOST_BINS)

$(HOST_OUT)/test_%: tests/host/test_%.c lib/%.c include/%.h tests/host/check.h tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(HOST_CFLAGS) -o $@ $< lib/$*.c $(HOST_LIBS_$*)
