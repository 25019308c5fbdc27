#!/bin/sh
# Dump the device trees QEMU builds for every platform variant into DIR.
# A QEMU that is not installed is reported and skipped (not a failure).
set -u
dir=$1
mkdir -p "$dir"
dump() {   # dump NAME QEMU ARGS...
    name=$1 qemu=$2
    shift 2
    if ! command -v "$qemu" >/dev/null 2>&1; then
        echo "  skip $name: $qemu not installed"
        return 0
    fi
    machine=$1
    shift
    "$qemu" -machine "$machine,dumpdtb=$dir/$name.dtb" "$@" -nographic >/dev/null 2>&1 ||
        { echo "  $name: $qemu failed to dump a DTB" >&2; return 1; }
}
rc=0
# ppce500 refuses to start (even to dump) without firmware: give it U-Boot's.
PPC_FW=/usr/lib/u-boot/qemu-ppce500/uboot.elf
dump arm64-smp4 qemu-system-aarch64 virt -cpu max -smp 4 || rc=1
dump arm64-smp1 qemu-system-aarch64 virt -cpu cortex-a57 -smp 1 || rc=1
dump arm64-smp8-gicv3 qemu-system-aarch64 virt,gic-version=3 -cpu max -smp 8 || rc=1
dump arm64-virt qemu-system-aarch64 virt,virtualization=on -cpu cortex-a72 -smp 2 || rc=1
dump riscv64-smp4 qemu-system-riscv64 virt -smp 4 || rc=1
dump riscv64-smp8 qemu-system-riscv64 virt -smp 8 || rc=1
dump riscv64-svpbmt qemu-system-riscv64 virt -cpu rv64,svpbmt=on -smp 2 || rc=1
dump ppc-e5500 qemu-system-ppc64 ppce500 -cpu e5500 -smp 4 -bios $PPC_FW || rc=1
dump ppc-e500mc qemu-system-ppc64 ppce500 -cpu e500mc -smp 1 -bios $PPC_FW || rc=1
dump ppc-e6500 qemu-system-ppc64 ppce500 -cpu e6500 -smp 2 -bios $PPC_FW || rc=1
exit $rc
