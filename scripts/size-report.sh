#!/bin/sh
# Print an image's text/data/bss sizes and the text budget (reported, not
# enforced: DESIGN.md's cost goals are measured, never asserted).
size=$1 elf=$2
set -- $($size "$elf" | awk 'NR == 2 { print $1, $2, $3 }')
printf '  SIZE    %s: text %d (%d KiB of 96 KiB budget), data %d, bss %d\n' \
    "$elf" "$1" $(( ($1 + 1023) / 1024 )) "$2" "$3"
