# orderly: bare-metal multicore memory-ordering test image.
#   make                       build the default platform
#   make PLATFORM=<name>       build another (see platforms/)
#   make run                   build and run it under QEMU
#   make check                 host unit tests, then every platform's run matrix
#   make deps                  install the Debian packages this needs
#   make bench                 litmus speed, interrupt latency, DMA throughput per platform (tables)
#   make layout-check          the layering rules of docs/ARCHITECTURE.md
#   make fuzz [FUZZ_RUNS=N]    libFuzzer on the FDT reader, bootargs parser, TAP emitter;
#                              Hypothesis on the runner's TAP parser, litmus translator
#   make soak [N=20]           the default run N times with random seeds, then a table
#   make fresh-check           make deps && make run && make check in a minimal Debian chroot (root)
#   make litmus-report LITMUS_DIRS=DIR  which litmus files translate, and why the rest do not
# Options: V=1 (show commands), SMP=n (uniprocessor build), CROSS_COMPILE=, EXTRA_CFLAGS=,
#          BOOTARGS="tests=smp/* seed=1", RUN_ARGS="SMP=8 GIC=3",
#          O=DIR (every target writes under DIR, not build/: an out-of-tree build),
#          NEWLIB_DIR=DIR (a newlib build to use, e.g. another tree's build/newlib).

# ARCH=<arch> alone picks the first platform of that architecture. A
# platform's ARCH is what make makes of its platform.mk (scripts/print.mk),
# in a clean environment: this make's command line (ARCH=, PLATFORM=) and
# MAKEFLAGS must not reach the file.
platform_arch = $(shell env -i PATH="$$PATH" LC_ALL=C $(MAKE) -s --no-print-directory \
    -f platforms/$(1)/platform.mk -f scripts/print.mk print-ARCH)
ifeq ($(origin PLATFORM)$(origin ARCH),undefinedcommand line)
PLATFORM := $(firstword $(foreach p,$(notdir $(wildcard platforms/*)),$(if $(filter $(ARCH),$(call platform_arch,$(p))),$(p))))
ifeq ($(PLATFORM),)
$(error no platform for ARCH=$(ARCH); have: $(foreach p,$(notdir $(wildcard platforms/*)),$(p) ($(call platform_arch,$(p)))))
endif
endif
PLATFORM ?= qemu-virt-arm64
SMP ?= y
V ?= 0
BOOTARGS ?=
RUN_ARGS ?=
VERSION := 0.1
# The most CPUs an image may use (a DT listing more fails smp/online by
# name). Per-CPU state is sized at boot to the CPUs found; this only sizes
# the heap that it comes from: a stack and about 4 KiB of tables per CPU.
NR_CPUS ?= 512
HEAP_SIZE := $(shell printf '0x%x' $$((0x100000 + $(NR_CPUS) * 0x5000)))

SRCDIR := $(CURDIR)
# O=DIR (command line or environment), as in Linux and U-Boot: everything
# the targets write goes under DIR, created if missing, and nothing into
# the source tree. A relative DIR is taken from where make was started
# ($(PWD): make -C does not change it), which only the first make knows:
# sub-makes (scripts/check.sh's, bench.sh's) get the absolute path, on
# their command line (MAKEOVERRIDES, the last O= wins) and in the
# environment of every recipe.
START_DIR := $(if $(filter 0,$(MAKELEVEL)),$(or $(filter /%,$(PWD)),$(CURDIR)),$(CURDIR))
outside_path = $(abspath $(if $(filter /%,$(1)),$(1),$(START_DIR)/$(1)))
ifneq ($(strip $(O)),)
override O := $(call outside_path,$(strip $(O)))
ifeq ($(O),$(SRCDIR))
$(error O=$(O) is the source tree; leave O= out for the in-tree build/)
endif
MAKEOVERRIDES += O=$(O)
export O
$(shell mkdir -p $(O))
BUILD := $(O)
else
BUILD := build
endif
# NEWLIB_DIR=DIR: newlib from DIR/<arch> (made once by
# scripts/build-newlib.sh, which takes minutes, so that O= builds can share
# one). Default: $(BUILD)/newlib, built there when missing; with O= the
# tree's build/newlib/<arch> when that has been built (read, not written).
ifneq ($(strip $(NEWLIB_DIR)),)
override NEWLIB_DIR := $(call outside_path,$(strip $(NEWLIB_DIR)))
MAKEOVERRIDES += NEWLIB_DIR=$(NEWLIB_DIR)
export NEWLIB_DIR
endif
# The runner's per-run directories (scratch disks, U-Boot's boot disk),
# the compilers' temporary files and Python's bytecode caches follow the
# build directory too: a run leaves nothing in the tree (scripts/ would
# get __pycache__) nor in /tmp.
export TMPDIR := $(abspath $(BUILD))/tmp
export PYTHONPYCACHEPREFIX := $(abspath $(BUILD))/pycache
$(shell mkdir -p $(TMPDIR))
PLATDIR := platforms/$(PLATFORM)

ifeq ($(wildcard $(PLATDIR)/platform.mk),)
$(error unknown PLATFORM '$(PLATFORM)': expected one of $(notdir $(wildcard platforms/*)))
endif
ARCH_WANTED := $(ARCH)
include $(PLATDIR)/platform.mk
ifneq ($(ARCH_WANTED),)
ifneq ($(ARCH_WANTED),$(call platform_arch,$(PLATFORM)))
$(error ARCH=$(ARCH_WANTED) does not match PLATFORM=$(PLATFORM) (ARCH $(call platform_arch,$(PLATFORM))))
endif
endif
include arch/$(ARCH)/arch.mk

ifeq ($(V),1)
Q :=
else
Q := @
endif

# SMP=n builds a separate image tree so both can exist side by side.
ifeq ($(SMP),y)
VARIANT := $(PLATFORM)
SMP_CFLAGS := -DCONFIG_SMP
else
VARIANT := $(PLATFORM)-up
SMP_CFLAGS :=
endif
OUT := $(BUILD)/$(VARIANT)
ifeq ($(NEWLIB_DIR),)
NEWLIB_DIR := $(if $(O),$(if $(wildcard $(O)/newlib/$(ARCH)/.built),,$(if $(wildcard build/newlib/$(ARCH)/.built),build/newlib)))
NEWLIB_DIR := $(or $(NEWLIB_DIR),$(BUILD)/newlib)
endif
NEWLIB := $(NEWLIB_DIR)/$(ARCH)

CC := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy
SIZE := $(CROSS_COMPILE)size

PLATFORM_CFLAGS := -DPLATFORM_NAME='"$(PLATFORM)"' \
    -DPLATFORM_CONSOLE='"$(CONSOLE)"' -DPLATFORM_CONSOLE_ADDR=$(CONSOLE_ADDR) \
    -DPLATFORM_CONSOLE_SHIFT=$(or $(CONSOLE_SHIFT),0) \
    -DPLATFORM_RAM_BASE=$(RAM_BASE) -DPLATFORM_RAM_SIZE=$(RAM_SIZE) \
    $(if $(DTB_FALLBACK),-DPLATFORM_DTB_FALLBACK=$(DTB_FALLBACK)) \
    $(if $(LITMUS_MUST_SEE),-DLITMUS_MUST_SEE='"$(LITMUS_MUST_SEE)"') \
    $(if $(LITMUS_STEP),-DLITMUS_STEP=$(LITMUS_STEP)) $(if $(LITMUS_WINDOW),-DLITMUS_WINDOW=$(LITMUS_WINDOW))

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
    -ffreestanding -fno-builtin-printf -fno-common -fno-stack-protector -fno-pie \
    -ffunction-sections -fdata-sections \
    $(ARCH_CFLAGS) $(SMP_CFLAGS) $(PLATFORM_CFLAGS) -DNR_CPUS=$(NR_CPUS) \
    -DORDERLY_VERSION='"$(VERSION)"' $(EXTRA_CFLAGS) \
    -Iinclude -Iarch/$(ARCH)/include -isystem $(NEWLIB)/include
ASFLAGS := $(ARCH_CFLAGS) $(SMP_CFLAGS) -D__ASSEMBLY__ -Iinclude -Iarch/$(ARCH)/include
LDFLAGS := -nostdlib -nostartfiles -static $(ARCH_LDFLAGS) -Wl,--gc-sections \
    -Wl,--no-warn-rwx-segments -Wl,--build-id=none \
    -Wl,--defsym=LOAD_ADDR=$(LOAD_ADDR) -Wl,--defsym=HEAP_SIZE=$(HEAP_SIZE) \
    -T linker/$(ARCH).ld -Wl,-Map=$(OUT)/orderly.map

# Tests: every .c under tests/ except the host-only ones (host, fuzz), plus the litmus
# tests generated from LITMUS_DIRS (the project's library, the LKMM corpus
# beside this checkout when present, and any directory a user adds).
TEST_SRCS := $(sort $(filter-out tests/host/% tests/fuzz/%,$(shell find tests -name '*.c')))
LKMM_DIR ?= $(firstword $(wildcard ../shared/litmus/lkmm $(SRCDIR)/../shared/litmus/lkmm))
LITMUS_DIRS ?=
LITMUS_ALL_DIRS := tests/litmus/library $(LKMM_DIR) $(LITMUS_DIRS)
LITMUS_FILES := $(foreach d,$(LITMUS_ALL_DIRS),$(wildcard $(d)/*.litmus))
LITMUS_GEN := $(OUT)/gen/litmus_tests.c
# The list of .litmus files, rewritten only when it changes, so that a
# LITMUS_DIRS that adds or drops files regenerates the tests.
LITMUS_LIST := $(OUT)/gen/litmus_files
# Build variables that are not in a file make already tracks: a change
# rebuilds every object.
BUILD_CONFIG := $(OUT)/gen/config
ifeq ($(filter clean deps help print-%,$(MAKECMDGOALS)),)
$(shell mkdir -p $(OUT)/gen && { echo '$(LITMUS_FILES)' | cmp -s - $(LITMUS_LIST) || echo '$(LITMUS_FILES)' >$(LITMUS_LIST); })
$(shell echo 'NR_CPUS=$(NR_CPUS)' | cmp -s - $(BUILD_CONFIG) || echo 'NR_CPUS=$(NR_CPUS)' >$(BUILD_CONFIG))
endif
LITMUS_API := include/barrier.h include/atomic.h include/bitops.h include/spinlock.h \
    include/compiler.h include/io.h include/litmus.h arch/$(ARCH)/include/asm/barrier.h
# The translator preprocesses the API headers (to know the API and what an
# SMP=n build degrades) and compiles the generated tests (-fsyntax-only) to
# reject, at the litmus file's line, a test that would not compile: with
# the image's compiler and flags, minus CONFIG_SMP (it adds it itself).
LITMUS_GEN_CFLAGS := -Wno-unused-variable -Wno-unused-but-set-variable -Wno-uninitialized \
    -Wno-maybe-uninitialized -Wno-unused-label -Wno-tautological-compare
LITMUS_CC = $(CC) $(filter-out -DCONFIG_SMP,$(CFLAGS)) $(LITMUS_GEN_CFLAGS)
LITMUS2C = python3 scripts/litmus2c.py --cc '$(subst ','\'',$(LITMUS_CC))' --smp $(SMP) \
    $(addprefix --api-header ,$(LITMUS_API))
SRCS := $(addprefix arch/$(ARCH)/,$(ARCH_SRCS)) \
    $(wildcard boot/*.c kernel/*.c runner/*.c) lib/fdt.c lib/bootargs.c lib/tap.c lib/pgtable.c \
    $(wildcard lib/litmus/*.c) \
    $(addprefix drivers/,$(addsuffix .c,$(DRIVERS))) $(wildcard $(PLATDIR)/*.c) $(TEST_SRCS)
OBJS := $(patsubst %,$(OUT)/obj/%.o,$(SRCS)) $(OUT)/obj/gen/litmus_tests.c.o

ELF := $(OUT)/orderly.elf
BIN := $(OUT)/orderly.bin
UIMG := $(OUT)/orderly.uimg

.PHONY: all run check deps host-check clean help bench fuzz fuzz-check soak fresh-check litmus-report
all: $(ELF) $(BIN) $(if $(filter uimg,$(BOOT_IMAGE)),$(UIMG))

$(NEWLIB)/.built:
	$(Q)scripts/build-newlib.sh $(NEWLIB_TARGET) $(CROSS_COMPILE) $(abspath $(NEWLIB)) "$(NEWLIB_CFLAGS)"

$(OUT)/obj/%.c.o: %.c $(NEWLIB)/.built Makefile $(PLATDIR)/platform.mk arch/$(ARCH)/arch.mk $(BUILD_CONFIG)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# A file the translator rejects is named with its reason and becomes a
# test that skips saying so; the build goes on. The project's own tests
# (tests/litmus/) must translate: a rejection there stops the build.
$(LITMUS_GEN): $(LITMUS_FILES) $(LITMUS_LIST) scripts/litmus2c.py $(wildcard include/*.h) \
    $(wildcard arch/$(ARCH)/include/asm/*.h) $(NEWLIB)/.built Makefile
	@mkdir -p $(dir $@)
	$(if $(LKMM_DIR),,@echo "  LITMUS  note: the LKMM corpus (../shared/litmus/lkmm) was not found; only the project's library is built")
	$(Q)$(LITMUS2C) --strict tests/litmus -o $@ $(LITMUS_FILES)

# Generated litmus code is C written by the translator from .litmus bodies:
# unused registers and parameters are normal there.
$(OUT)/obj/gen/litmus_tests.c.o: $(LITMUS_GEN) $(BUILD_CONFIG)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(LITMUS_GEN_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/obj/%.S.o: %.S Makefile $(PLATDIR)/platform.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(ELF): $(OBJS) linker/$(ARCH).ld $(BUILD_CONFIG)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) -L$(NEWLIB)/lib -lc -lm -lgcc
	@scripts/size-report.sh $(SIZE) $@ $(OUT)/obj/gen/litmus_tests.c.o

$(BIN): $(ELF)
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O binary $< $@

$(UIMG): $(BIN)
	$(Q)mkimage -A $(UIMG_ARCH) -O linux -T kernel -C none -a $(LOAD_ADDR) -e $(LOAD_ADDR) \
	    -n orderly -d $< $@ >/dev/null

-include $(OBJS:.o=.d)

KERNEL_FOR_RUN = $(if $(filter elf,$(BOOT_IMAGE)),$(ELF),$(if $(filter uimg,$(BOOT_IMAGE)),$(UIMG),$(BIN)))

# Which litmus files translate: per file, translated or rejected with
# file:line and the reason, and a total (LITMUS_DIRS= alone if given).
litmus-report: $(NEWLIB)/.built
	$(Q)$(LITMUS2C) --report $(if $(LITMUS_DIRS),$(foreach d,$(LITMUS_DIRS),$(if $(wildcard $(d)/*.litmus),$(wildcard $(d)/*.litmus),$(d))),$(LITMUS_FILES))

run: all
	scripts/orderly-run --platform $(PLATDIR) --kernel $(KERNEL_FOR_RUN) \
	    --bootargs "$(BOOTARGS)" $(RUN_ARGS)


include tests/host/host.mk
include tests/fuzz/fuzz.mk

check:
	$(Q)scripts/check.sh

bench:
	$(Q)scripts/bench.sh

fresh-check:
	scripts/fresh-machine.sh --check $(BUILD)/fresh

# Soak: the platform's default run N times, each with its own random seed;
# the table names every failure's seed (replay: BOOTARGS=seed=0x...).
N ?= 20
soak: all
	scripts/orderly-run --quiet --platform $(PLATDIR) --kernel $(KERNEL_FOR_RUN) \
	    --repeat $(N) --bootargs "$(BOOTARGS)" $(RUN_ARGS)

deps:
	$(Q)scripts/deps.sh

# O= may name a directory that holds more than a build (O=$$HOME by
# mistake): there, only what the targets make goes.
CLEAN_O := $(foreach p,$(notdir $(wildcard platforms/*)),$(p) $(p)-up) \
    newlib host fuzz check bench fresh fresh.debootstrap.log tmp pycache
clean:
	rm -rf $(if $(O),$(addprefix $(O)/,$(CLEAN_O)),$(BUILD))
	$(if $(O),@rmdir $(O) 2>/dev/null || true)

help:
	@awk '!/^#/ { exit } { sub(/^# ?/, ""); print }' Makefile

# `make print-VAR` prints a variable (used by scripts/check.sh), and
# `make print-vars PRINT_VARS="A B"` prints A=... and B=... lines.
include scripts/print.mk
