# Fuzzing the host-buildable parsers with clang's libFuzzer (Debian's clang
# and libclang-rt, which `make deps` installs): the FDT reader, the
# bootargs parser and glob matcher, the TAP emitter. Seeds are in
# tests/fuzz/corpus/<target>/ (read only: what libFuzzer learns goes to
# $(BUILD)/fuzz/<target>/corpus, crashes to $(BUILD)/fuzz/<target>/).
#
#   make fuzz [FUZZ_RUNS=1000000]     every target, FUZZ_RUNS inputs each
#   make fuzz-check                   a short pass (FUZZ_CHECK_RUNS each), part of make check
# Each prints "fuzz NAME: N execs, C crashes" and fails on a crash.

FUZZ_CC ?= clang
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_RUNS ?= 1000000
FUZZ_CHECK_RUNS ?= 20000
FUZZ_CFLAGS := -std=gnu11 -O1 -g -iquote include -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := fdt bootargs tap
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/fuzz_,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-check

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_OUT) $(FUZZ_RUNS) $(FUZZ_TARGETS)

fuzz-check: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_OUT) $(FUZZ_CHECK_RUNS) $(FUZZ_TARGETS)

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c lib/%.c include/%.h tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< lib/$*.c
