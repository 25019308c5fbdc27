# scripts/print.mk: print variables as GNU make itself evaluates them.
# Read it after the makefile whose variables are wanted:
#
#   make -s --no-print-directory -f platforms/<p>/platform.mk -f scripts/print.mk \
#       print-vars PRINT_VARS="QEMU QEMU_ARGS" [NAME=VALUE ...]
#
# prints one line NAME=VALUE for each name in PRINT_VARS, in that order (an
# undefined variable prints NAME=, a value is printed as it expands, nothing
# trimmed); `print-NAME` prints the value of NAME alone. NAME=VALUE
# arguments are make's command-line variables: they beat every assignment
# in the files (except `override`). A value that spans lines is an error,
# since the output is one line per variable. The recipes are the shell's
# no-op ':' (so that make does not say the target is up to date).
#
# Users: scripts/orderly-run (one call per evaluated run, in an environment
# of PATH and LC_ALL=C only), the top-level Makefile (platform_arch, and
# `make print-VAR`, which includes this file at its end).

define print_mk_newline


endef

# $(call print_mk_line,NAME,VALUE): VALUE is expanded once, by the caller.
print_mk_line = $(if $(findstring $(print_mk_newline),$(2)),$(error $(1) has a newline in its value; print-vars prints one line per variable),$(info $(1)=$(2)))

.PHONY: print-vars
print-vars:
	@:$(foreach v,$(PRINT_VARS),$(call print_mk_line,$(v),$($(v))))

print-%:
	@:$(info $($*))
