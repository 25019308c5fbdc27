# Host unit tests for the host-buildable C in lib/ (fdt, bootargs, tap,
# litmus_hist, pgtable), and the layout check (scripts/layout-check.py).
#
# Included by the top-level Makefile; also works alone from the top of the
# tree:   make -f tests/host/host.mk host-check [O=DIR | BUILD=build]
#
# Everything is built into $(BUILD)/host (the top-level Makefile's: O=,
# else build/; nothing is written into the source tree), with ASan and
# UBSan, so that a read past a buffer is a crash rather than a silent pass. QEMU dumps its device trees into
# $(BUILD)/host/dtb at test time; a missing QEMU skips that family.
# Variables: HOST_CC, HOST_FUZZ_ROUNDS (mutations per tree, default 2000),
# HOST_FUZZ_SEED.

BUILD ?= $(or $(O),build)
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

.PHONY: host-check host-tests layout-check

host-check: $(HOST_BINS)
	@tests/host/run-all.sh $(HOST_OUT) $(HOST_FUZZ_ROUNDS) $(HOST_FUZZ_SEED)

host-tests: $(HOST_BINS)

# The layering rules of docs/ARCHITECTURE.md (also part of host-check).
layout-check:
	@python3 scripts/layout-check.py --self-test && python3 scripts/layout-check.py

# The library each test program exercises: lib/NAME.c, or the file below.
HOST_SRC_litmus_hist := lib/litmus/hist.c
host_src = $(or $(HOST_SRC_$(1)),lib/$(1).c)

$(foreach t,$(HOST_TESTS),$(eval $(HOST_OUT)/test_$(t): $(call host_src,$(t))))
$(HOST_OUT)/test_%: tests/host/test_%.c include/%.h tests/host/check.h tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(call host_src,$*) $(HOST_LIBS_$*)
