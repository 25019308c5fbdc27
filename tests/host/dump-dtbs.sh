#!/bin/sh
# Dump the device trees QEMU builds for each platform variant into DIR
# (emptied first, so a variant removed here leaves no stale file).
#     tests/host/dump-dtbs.sh DIR
# A missing QEMU (or ppce500's firmware) skips that family with a message;
# a QEMU that is there but fails to dump is an error. File names carry the
# CPU count ("-smpN"), which test_fdt checks against the /cpus node.
set -u
dir=${1:?usage: dump-dtbs.sh DIR}
mkdir -p "$dir" && rm -f "$dir"/*.dtb || exit 1
rc=0
skipped=

have() {    # have FAMILY QEMU [FILE]: is the family's QEMU (and firmware) here?
    if ! command -v "$2" >/dev/null 2>&1; then
        echo "  SKIP $1 DTBs: $2 is not installed"
        return 1
    fi
    if [ -n "${3:-}" ] && [ ! -r "$3" ]; then
        echo "  SKIP $1 DTBs: $3 is missing (QEMU's ppce500 will not start without firmware)"
        return 1
    fi
    return 0
}

dump() {    # dump NAME QEMU MACHINE[,OPTS] ARGS...
    name=$1 qemu=$2 machine=$3
    shift 3
    # -nic none: the default NIC wants an option ROM (ipxe-qemu) we do not need.
    if ! "$qemu" -machine "$machine,dumpdtb=$dir/$name.dtb" -nographic -nic none "$@" \
            </dev/null >"$dir/$name.log" 2>&1 || [ ! -s "$dir/$name.dtb" ]; then
        echo "  $name: $qemu -machine $machine,dumpdtb=... $* failed:" >&2
        sed 's/^/    /' "$dir/$name.log" >&2
        rc=1
    fi
    rm -f "$dir/$name.log"
}

if have arm64 qemu-system-aarch64; then
    q=qemu-system-aarch64
    dump arm64-smp4 $q virt -cpu max -smp 4
    dump arm64-smp1 $q virt -cpu max -smp 1
    dump arm64-smp8 $q virt -cpu max -smp 8
    dump arm64-gicv3-smp4 $q virt,gic-version=3 -cpu max -smp 4
    dump arm64-el2-smp4 $q virt,virtualization=on -cpu max -smp 4
    dump arm64-gicv3-el2-smp8 $q virt,gic-version=3,virtualization=on -cpu max -smp 8
else
    skipped="$skipped arm64"
fi

if have riscv64 qemu-system-riscv64; then
    q=qemu-system-riscv64
    dump riscv64-smp4 $q virt -smp 4
    dump riscv64-smp8 $q virt -smp 8
    dump riscv64-svpbmt-smp4 $q virt -cpu rv64,svpbmt=on -smp 4
else
    skipped="$skipped riscv64"
fi

# Always qemu-system-ppc64 for e500 CPUs (DESIGN.md 6); -bios because
# ppce500 refuses to start, even to dump, without firmware.
fw=/usr/lib/u-boot/qemu-ppce500/uboot.elf
if have ppc qemu-system-ppc64 "$fw"; then
    q=qemu-system-ppc64
    dump ppc-e5500-smp4 $q ppce500 -cpu e5500 -smp 4 -bios $fw
    dump ppc-e500mc-smp4 $q ppce500 -cpu e500mc -smp 4 -bios $fw
    dump ppc-e6500-smp2 $q ppce500 -cpu e6500 -smp 2 -bios $fw
    # Without a serial backend ppce500 leaves the UART node out entirely.
    dump ppc-noserial-e5500-smp4 $q ppce500 -cpu e5500 -smp 4 -bios $fw -serial none
else
    skipped="$skipped ppc"
fi

n=$(ls "$dir"/*.dtb 2>/dev/null | wc -l)
echo "  dumped $n DTBs into $dir${skipped:+ (skipped:$skipped)}"
exit $rc
