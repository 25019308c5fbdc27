#!/bin/sh
# The two commands on a fresh machine: a minimal Debian bookworm
# (debootstrap --variant=minbase, plus only git and make), a clone of this
# repository in it, then exactly the README's commands, `make deps && make
# run`, and with --check also `make check`. Needs root (chroot, mounts)
# and Debian's archive; `make fresh-check` runs it.
#     scripts/fresh-machine.sh [--check] [--keep] [DIR]
# DIR (default build/fresh) holds the chroot; --keep leaves it for a look.
set -eu
check=0 keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --check) check=1 ;;
    --keep) keep=1 ;;
    -*) echo "usage: $0 [--check] [--keep] [DIR]" >&2; exit 2 ;;
    *) break ;;
    esac
    shift
done
src=$(cd "$(dirname "$0")/.." && pwd)
root=$(realpath -m "${1:-$src/build/fresh}")
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (chroot and mounts)" >&2; exit 2; }

cleanup() {
    for m in dev/pts dev proc sys; do umount "$root/$m" 2>/dev/null || true; done
    [ "$keep" -eq 1 ] || rm -rf "$root"
}
trap cleanup EXIT INT TERM HUP

command -v debootstrap >/dev/null || {
    echo "fresh-machine: installing debootstrap on the host"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}
rm -rf "$root"
echo "fresh-machine: debootstrap --variant=minbase bookworm $root"
debootstrap --variant=minbase --include=git,make bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log"; exit 1; }
for m in proc sys dev dev/pts; do mount --bind "/$m" "$root/$m"; done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# A clone of what is committed, as a user would get it (no build/, no
# hand-installed files); the LKMM corpus beside it, as beside this checkout.
git clone -q "$src" "$root/work/orderly"
[ -d "$src/../shared/litmus" ] && mkdir -p "$root/work/shared" &&
    cp -r "$src/../shared/litmus" "$root/work/shared/"
steps="make deps && make run"
[ "$check" -eq 1 ] && steps="$steps && make check"
echo "fresh-machine: in the chroot: $steps"
chroot "$root" /bin/sh -c "cd /work/orderly && $steps"
echo "fresh-machine: PASS: $steps on a minimal bookworm with git and make"
