# Fuzzing the host-buildable parsers with clang's libFuzzer (Debian's clang
# and libclang-rt, which `make deps` installs): the FDT reader, the
# bootargs parser and glob matcher, the TAP emitter. Seeds are in
# tests/fuzz/corpus/<target>/ (read only: what libFuzzer learns goes to
# $(BUILD)/fuzz/<target>/corpus, crashes to $(BUILD)/fuzz/<target>/).
#
#   make fuzz [FUZZ_RUNS=1000000]     every target, FUZZ_RUNS inputs each
#   make fuzz-check                   a short pass (FUZZ_CHECK_RUNS each), part of make check
# Each prints "fuzz NAME: N execs, C crashes" and fails on a crash.
#
# The Python parsers (the runner's TAP parser, the litmus translator) are
# fuzzed by Hypothesis (tests/fuzz/pyfuzz.py, Debian's python3-hypothesis,
# which imports under /usr/bin/python3 only): FUZZ_PY_RUNS inputs each, a
# few milliseconds apiece; FUZZ_PY_CHECK_RUNS in make check.

FUZZ_CC ?= clang
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_RUNS ?= 1000000
FUZZ_CHECK_RUNS ?= 20000
FUZZ_CFLAGS := -std=gnu11 -O1 -g -iquote include -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := fdt bootargs tap
FUZZ_PY ?= /usr/bin/python3
FUZZ_PY_RUNS ?= 20000
FUZZ_PY_CHECK_RUNS ?= 300
FUZZ_PY_TARGETS := runner-tap litmus2c
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/fuzz_,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-check

# Both kinds run even when the first finds a crash; either fails the target.
fuzz: $(FUZZ_BINS)
	@rc=0; tests/fuzz/run.sh $(FUZZ_OUT) $(FUZZ_RUNS) $(FUZZ_TARGETS) || rc=1; \
	$(FUZZ_PY) tests/fuzz/pyfuzz.py $(FUZZ_OUT) $(FUZZ_PY_RUNS) $(FUZZ_PY_TARGETS) || rc=1; exit $$rc

fuzz-check: $(FUZZ_BINS)
	@rc=0; tests/fuzz/run.sh $(FUZZ_OUT) $(FUZZ_CHECK_RUNS) $(FUZZ_TARGETS) || rc=1; \
	$(FUZZ_PY) tests/fuzz/pyfuzz.py $(FUZZ_OUT) $(FUZZ_PY_CHECK_RUNS) $(FUZZ_PY_TARGETS) || rc=1; exit $$rc

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c lib/%.c include/%.h tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< lib/$*.c
