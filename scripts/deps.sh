#!/bin/sh
# Install the Debian packages orderly needs, only those missing, and say
# what was done. Needs root (or sudo) and Debian's package archive.
set -eu
PKGS="make gcc python3 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
gcc-riscv64-unknown-elf gcc-powerpc-linux-gnu qemu-system-arm qemu-system-misc
qemu-system-ppc u-boot-qemu opensbi u-boot-tools newlib-source
device-tree-compiler libfdt-dev xz-utils ipxe-qemu clang libclang-rt-14-dev
python3-junitparser python3-hypothesis"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "deps: all $(echo $PKGS | wc -w) packages already installed"
    exit 0
fi
echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
echo "deps: installed:$missing"
