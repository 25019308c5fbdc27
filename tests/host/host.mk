# Host unit tests for the host-buildable C in lib/ (included by the
# Makefile; -iquote keeps our fdt.h from hiding libfdt's <fdt.h>;
# Makefile; also usable alone: make -f tests/host/host.mk host-check).
BUILD ?= build
HOST_OUT := $(BUILD)/host
HOST_CC ?= gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -iquote include \
    -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_TESTS := tap bootargs fdt

$(HOST_OUT)/test_%: tests/host/test_%.c tests/host/check.h lib/%.c include/%.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< lib/$*.c $(if $(filter fdt,$*),-lfdt)

.PHONY: host-check
host-check: $(addprefix $(HOST_OUT)/test_,$(HOST_TESTS))
	@$(HOST_OUT)/test_tap
	@$(HOST_OUT)/test_bootargs
	@tests/host/dump-dtbs.sh $(HOST_OUT)/dtb
	@$(HOST_OUT)/test_fdt $(HOST_OUT)/dtb/*.dtb
