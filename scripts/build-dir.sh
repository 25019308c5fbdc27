# Sourced by scripts/check.sh and scripts/bench.sh: everything they write
# goes under make's build directory (O=, else build/), and so do the
# runner's scratch disks and Python's caches. Make says where (the
# Makefile's BUILD, TMPDIR and PYTHONPYCACHEPREFIX); O= must already be
# absolute (the caller made it so before changing directory).
# use_build_dir WHO: sets BUILD, exports the other two; WHO names the
# caller in the error.
use_build_dir() {
    local name value
    while IFS='=' read -r name value; do
        case $name in
        BUILD) BUILD=$value ;;
        TMPDIR|PYTHONPYCACHEPREFIX) export "$name=$value" ;;
        esac
    done < <(make -s --no-print-directory print-vars PRINT_VARS="BUILD TMPDIR PYTHONPYCACHEPREFIX")
    [ -n "${BUILD:-}" ] || { echo "$1: make does not say where the build directory is" >&2; exit 1; }
}
