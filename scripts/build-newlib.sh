#!/bin/sh
# Build newlib (libc + libm only, no libgloss) for one target from Debian's
# newlib-source, once, into a cache directory. The image supplies its own
# system-call stubs, so newlib is configured without them.
#   build-newlib.sh <target-triplet> <cross-prefix> <prefix-dir> "<target cflags>"
set -eu
target=$1 cross=$2 prefix=$3 tflags=$4
tarball=/usr/src/newlib/newlib-3.3.0.tar.xz
stamp="$prefix/.built"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$target $tflags" ]; then
    exit 0
fi
if [ ! -f "$tarball" ]; then
    echo "build-newlib: $tarball not found; run 'make deps' (package newlib-source)" >&2
    exit 1
fi
work="$prefix.work"
rm -rf "$work" "$prefix"
mkdir -p "$work/build"
echo "  NEWLIB  $target (one-time build, about a minute; log in $work/build.log)"
tar -C "$work" -xf "$tarball"
src=$(ls -d "$work"/newlib-*/ | head -n1)
cd "$work/build"
tools=""
for t in gcc:CC ar:AR as:AS ld:LD nm:NM ranlib:RANLIB objdump:OBJDUMP readelf:READELF strip:STRIP; do
    tools="$tools ${t#*:}_FOR_TARGET=${cross}${t%%:*}"
done
# shellcheck disable=SC2086
if ! { "$src/configure" --target="$target" --prefix="$prefix" --disable-multilib \
        --disable-newlib-supplied-syscalls --enable-newlib-nano-malloc --disable-nls \
        $tools MAKEINFO=true \
        CFLAGS_FOR_TARGET="-O2 -g -ffunction-sections -fdata-sections -fno-stack-protector $tflags" &&
       make -j"$(nproc)" all-target-newlib MAKEINFO=true &&
       make install-target-newlib MAKEINFO=true; } > "$work/build.log" 2>&1; then
    echo "build-newlib: build failed for $target; last lines of $work/build.log:" >&2
    tail -n 30 "$work/build.log" >&2
    exit 1
fi
# Normalise the install layout to <prefix>/include and <prefix>/lib.
mkdir -p "$prefix/include" "$prefix/lib"
cp -a "$prefix/$target/include/." "$prefix/include/"
cp -a "$prefix/$target/lib/." "$prefix/lib/"
echo "$target $tflags" > "$stamp"
rm -rf "$work"
