#!/bin/sh
# Print an image's text/data/bss sizes against the text budget, and how
# much of the text the generated litmus tests take (their object, before
# the link drops unused sections). Reported, never enforced: DESIGN.md's
# cost goals are measured, not asserted.
#     size-report.sh SIZE-TOOL ELF [LITMUS-OBJECT]
size=$1 elf=$2 litmus=${3:-}
set -- $($size "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
lt=0
[ -n "$litmus" ] && [ -f "$litmus" ] && lt=$($size "$litmus" | awk 'NR == 2 { print $1 }')
printf '  SIZE    %s: text %d (%d KiB; %d KiB without the generated litmus tests; budget 96 KiB), data %d, bss %d\n' \
    "$elf" "$1" $(( ($1 + 1023) / 1024 )) $(( ($1 - lt + 1023) / 1024 )) "$2" "$3"
