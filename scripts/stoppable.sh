# Sourced by scripts/check.sh and scripts/bench.sh: a stop signal (SIGINT,
# SIGTERM, SIGHUP, SIGQUIT) to the script ends what it is running and the
# script exits with 128 + the signal, having printed no total.
#
# bash runs a trap only once the foreground command has finished, and a
# signal sent to the script alone (a cancelled CI job, kill) would not
# reach that command. So `child COMMAND...` runs it in the background, in
# a process group of its own (set -m), and waits: a trapped signal ends the
# wait at once, and the trap signals the whole group (the runner, which ends
# its QEMU and writes its report as interrupted; a make and its compilers)
# and waits until the group is gone.
set -m
child_pgid=
# The script's own stderr, for the trap's last word: the trap runs inside
# whatever redirection the interrupted command had (bench.sh: 2>/dev/null).
exec {stop_stderr}>&2

child() {   # child COMMAND...: run it as above; its exit status
    "$@" &
    child_pgid=$!
    wait "$child_pgid"
    local status=$?
    child_pgid=
    return "$status"
}

stop_children() {   # stop_children NAME NUMBER: the trap for SIGNAME
    trap '' INT TERM HUP QUIT
    if [ -n "$child_pgid" ]; then
        kill -TERM -- "-$child_pgid" 2>/dev/null
        wait "$child_pgid" 2>/dev/null
        # The rest of the group, e.g. a runner under a function's subshell
        # still ending its QEMU (at most its grace of 2 s), gets 10 s.
        local tries=100
        while kill -0 -- "-$child_pgid" 2>/dev/null && [ $((tries -= 1)) -gt 0 ]; do
            sleep 0.1
        done
    fi
    echo "$(basename "$0"): interrupted by SIG$1" >&"$stop_stderr"
    exit $((128 + $2))
}

for sig in INT:2 TERM:15 HUP:1 QUIT:3; do
    trap "stop_children ${sig%:*} ${sig#*:}" "${sig%:*}"
done
unset sig
