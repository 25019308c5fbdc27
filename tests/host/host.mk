# Host unit tests for the host-buildable C in lib/ (fdt, bootargs, tap).
#
# Included by the top-level Makefile; also works alone from the top of the
# tree:   make -f tests/host/host.mk host-check [BUILD=build]
#
# Everything is built into $(BUILD)/host (nothing is written into the
# source tree), with ASan and UBSan, so that a read past a buffer is a
# crash rather than a silent pass. QEMU dumps its device trees into
# $(BUILD)/host/dtb at test time; a missing QEMU skips that family.
# Variables: HOST_CC, HOST_FUZZ_ROUNDS (mutations per tree, default 2000),
# HOST_FUZZ_SEED, HOST_CROSS (compilers that must also build lib/*.c).

BUILD ?= build
HOST_OUT := $(BUILD)/host
HOST_CC ?= gcc
HOST_FUZZ_ROUNDS ?= 2000
HOST_FUZZ_SEED ?= 0x5eed
# -iquote: our "fdt.h" must not hide libfdt's <fdt.h>.
HOST_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -Werror -iquote include \
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The targets' compilers (big-endian 32-bit ppc, strict-align arm64) build
# lib/*.c as well, warnings as errors, when they are installed.
HOST_CROSS ?= aarch64-linux-gnu-gcc:-mstrict-align powerpc-linux-gnu-gcc:-mcpu=e500mc

HOST_TESTS := tap bootargs fdt
HOST_BINS := $(addprefix $(HOST_OUT)/test_,$(HOST_TESTS))
HOST_LIBS_fdt := -lfdt

.PHONY: host-check host-tests host-cross

host-check: $(HOST_BINS) host-cross
	@tests/host/run-all.sh $(HOST_OUT) $(HOST_FUZZ_ROUNDS) $(HOST_FUZZ_SEED)

host-tests: $(HOST_BINS)

$(HOST_OUT)/test_%: tests/host/test_%.c lib/%.c include/%.h tests/host/check.h tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(HOST_CFLAGS) -o $@ $< lib/$*.c $(HOST_LIBS_$*)

# Compile only (no libc of theirs is needed for -c of these files).
host-cross:
	@for spec in $(HOST_CROSS); do \
	    cc=$${spec%%:*}; flags=$$(echo "$${spec#*:}" | tr , ' '); \
	    if ! command -v $$cc >/dev/null 2>&1; then \
	        echo "  SKIP lib/*.c with $$cc: not installed"; continue; fi; \
	    mkdir -p $(HOST_OUT)/cross; \
	    for f in lib/fdt.c lib/bootargs.c lib/tap.c; do \
	        $$cc -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding $$flags -Iinclude \
	            -c $$f -o $(HOST_OUT)/cross/$$(basename $$f .c)-$$cc.o || exit 1; \
	    done; \
	    echo "  lib/*.c build cleanly with $$cc $$flags"; \
	done
