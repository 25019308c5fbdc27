#!/usr/bin/env python3
"""The runner on a real image, stopped (a step of `make check`, issue 18):
whatever ends the runner, no process of its run remains, and the runner's
exit status says how it ended. Also the exit status of a run that selects
no test (issue 17).

    stop_check.py --platform platforms/qemu-virt-arm64 --kernel FILE

Each case starts the runner with a bootargs token of its own (seed=N, so
the image takes it without a warning) and waits until the run is under way:
the first result in its --log, or for a file that is not a kernel (a QEMU
that never prints) the QEMU process itself. Then it signals the runner
alone, as `timeout` or a cancelled CI job would. "The processes of the run"
are every descendant of the runner just before the signal, each known by
pid and start time (a pid may be reused), and every process whose command
line holds the token afterwards (it would show a QEMU started later). After
the runner has exited they must all be gone within a grace (PDEATHSIG and
zombies' reaping take a moment). Survivors are killed, so a failing check
leaves nothing burning. Ends with "stop: N passed, N failed"; exit 1 on a
failure. Not named test_*.py: `unittest discover` must not pick it up
(it needs a built image).
"""
import argparse
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(os.path.dirname(HERE))
RUNNER = os.path.join(SRCDIR, "scripts", "orderly-run")
# Runs for a minute on two vCPUs (the engine's budgets: time and runs), and
# prints a result first (smp/online) so the report has something to keep.
LONG_RUN = "tests=smp/online,litmus/SB+onceonces litmus.ms=60000 litmus.runs=4000000000"
STARTED_WITHIN = 20.0     # the run must be under way by then
EXIT_WITHIN = 10.0        # the runner, once signalled (TERM_GRACE is 2 s)
GONE_WITHIN = 3.0         # its processes, once the runner has exited


class Check:
    def __init__(self):
        self.passed = self.failed = 0

    def expect(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAILED: %s" % what, flush=True)
        return ok


# -- processes, from /proc -------------------------------------------------------

def _stat(pid):
    """(ppid, start time, state) of pid, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return int(fields[1]), int(fields[19]), fields[0]


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def descendants(root):
    """{pid: start time} of every process below root."""
    children = {}
    for pid in _pids():
        stat = _stat(pid)
        if stat:
            children.setdefault(stat[0], []).append((pid, stat[1]))
    found, todo = {}, [root]
    while todo:
        for pid, start in children.get(todo.pop(), []):
            found[pid] = start
            todo.append(pid)
    return found


def holding(token):
    """{pid: start time} of every process whose command line holds token."""
    marker = token.encode()
    found = {}
    for pid in _pids():
        if pid != os.getpid() and any(marker in arg for arg in _cmdline(pid)):
            stat = _stat(pid)
            if stat:
                found[pid] = stat[1]
    return found


def is_qemu(pid):
    args = _cmdline(pid)
    return bool(args) and os.path.basename(args[0]).startswith(b"qemu-system")


def alive(pid, start):
    """Still this process (not a reused pid), and not a zombie."""
    stat = _stat(pid)
    return stat is not None and stat[1] == start and stat[2] != "Z"


def survivors(processes, within=GONE_WITHIN):
    deadline = time.monotonic() + within
    while True:
        left = {pid: start for pid, start in processes.items() if alive(pid, start)}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def kill_all(processes):
    for pid, start in processes.items():
        if alive(pid, start):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def wait_until(what, within):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.02)
    return None


def log_has(path, text):
    try:
        with open(path) as f:
            return text in f.read()
    except FileNotFoundError:
        return False


# -- the cases ---------------------------------------------------------------------

class Case:
    """One run whose bootargs carry a token of their own."""

    def __init__(self, args, workdir, name):
        self.args, self.name = args, name
        self.token = "seed=%d" % random.randrange(1 << 40, 1 << 62)
        self.log = os.path.join(workdir, name + ".log")
        self.junit = os.path.join(workdir, name + ".xml")

    def runner_command(self, kernel):
        return [RUNNER, "--quiet", "--platform", self.args.platform, "--kernel", kernel,
                "SMP=2", "--log", self.log, "--junit", self.junit,
                "--bootargs", "%s %s" % (LONG_RUN, self.token)]

    def first_result(self):
        return log_has(self.log, "ok 1 - smp/online")

    def qemu_running(self):
        return any(is_qemu(pid) for pid in holding(self.token))


def stop(check, what, case, command, started, sig, want):
    """Start command, signal it once started() says the run is under way,
    and check its exit status and that no process of the run remains.
    Returns its stderr, or None when the run did not get under way (then
    the caller skips or fails)."""
    proc = subprocess.Popen(command, cwd=SRCDIR, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    run = {}
    try:
        wait_until(lambda: proc.poll() is not None or started(), STARTED_WITHIN)
        if proc.poll() is not None or not started():
            return None
        run = descendants(proc.pid)
        check.expect(any(is_qemu(pid) for pid in run), "%s: no QEMU below it" % what)
        os.kill(proc.pid, sig)
        try:
            _, err = proc.communicate(timeout=EXIT_WITHIN)
        except subprocess.TimeoutExpired:
            check.expect(False, "%s: no exit within %gs" % (what, EXIT_WITHIN))
            proc.kill()
            _, err = proc.communicate()
        run.update(holding(case.token))
        check.expect(proc.returncode == want, "%s: exit status %s, not %s: %s"
                     % (what, proc.returncode, want, err.strip()))
        left = survivors(run)
        check.expect(not left, "%s: left behind: %s" % (what, "; ".join(
            "%d %s" % (pid, b" ".join(_cmdline(pid)).decode(errors="replace")[:100])
            for pid in left)))
        return err
    finally:
        kill_all(run)
        kill_all(holding(case.token))
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def report_kept(check, what, case, sig, err, results):
    """The runner's last line, its log's, and the JUnit report of what
    arrived (results), marked interrupted."""
    said = "interrupted by " + signal.Signals(sig).name
    check.expect(err.rstrip("\n").splitlines()[-1:] == ["orderly-run: " + said],
                 "%s: the last line does not say %r: %s" % (what, said, err.strip()))
    with open(case.log) as f:
        last = f.read().rstrip("\n").splitlines()[-1:]
    check.expect(last and last[0].startswith("# orderly-run: ") and last[0].endswith(said),
                 "%s: the log ends with %s" % (what, last))
    try:
        suite = ET.parse(case.junit).getroot().find("testsuite")
    except (OSError, ET.ParseError) as e:
        check.expect(False, "%s: no JUnit report: %s" % (what, e))
        return
    names = [c.get("name") for c in suite.iter("testcase")]
    check.expect(names == results + ["run"], "%s: JUnit testcases %s" % (what, names))
    failure = suite.find("testcase[@name='run']/failure")
    check.expect(failure is not None and failure.get("type") == "interrupted",
                 "%s: the JUnit report is not marked interrupted" % what)


def runner_case(check, args, workdir, sig, kernel):
    """The runner signalled alone, as timeout(1) or a cancelled CI job does."""
    real = kernel == args.kernel
    case = Case(args, workdir, "%s-%s" % (signal.Signals(sig).name, "image" if real else "junk"))
    what = "%s to the runner on %s" % (signal.Signals(sig).name,
                                       "the image" if real else "a file that is not a kernel")
    # A QEMU that never prints: give it a moment to be well under way.
    started = case.first_result if real else (
        lambda: case.qemu_running() and not time.sleep(0.3))
    failed = check.failed
    want = -sig if sig == signal.SIGKILL else 128 + sig
    err = stop(check, what, case, case.runner_command(kernel), started, sig, want)
    if err is None and not real:
        print("skip: %s: %s's QEMU does not keep running one" % (what, args.platform))
        return
    check.expect(err is not None, "%s: the run did not get under way" % what)
    if err is not None and sig != signal.SIGKILL:
        report_kept(check, what, case, sig, err, ["smp/online"] if real else [])
    print("%s: %s" % ("ok" if check.failed == failed else "not ok", what), flush=True)


def script_case(check, args, workdir, sig):
    """check.sh and bench.sh: a script that sources scripts/stoppable.sh
    and runs the runner as check.sh does (child, a function's subshell)."""
    case = Case(args, workdir, "script-" + signal.Signals(sig).name)
    script = os.path.join(workdir, case.name + ".sh")
    with open(script, "w") as f:
        f.write(". scripts/stoppable.sh\nrun() { %s; }\nchild run\necho not stopped\n"
                % shlex.join(case.runner_command(args.kernel)))
    what = "%s to a script on scripts/stoppable.sh" % signal.Signals(sig).name
    failed = check.failed
    err = stop(check, what, case, ["bash", script], case.first_result, sig, 128 + sig)
    check.expect(err is not None and "interrupted by " + signal.Signals(sig).name in err,
                 "%s: stderr %r" % (what, err))
    print("%s: %s" % ("ok" if check.failed == failed else "not ok", what), flush=True)


def status_case(check, args, bootargs, want, words):
    r = subprocess.run([RUNNER, "--quiet", "--platform", args.platform, "--kernel", args.kernel,
                        "--bootargs", bootargs], cwd=SRCDIR, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=60)
    last = (r.stderr.rstrip("\n").splitlines() or [""])[-1]
    ok = check.expect(r.returncode == want and words in last,
                      "bootargs %r: exit status %d, %s (want %d, %r)"
                      % (bootargs, r.returncode, last, want, words))
    print("%s: bootargs %r: exit status %d" % ("ok" if ok else "not ok", bootargs, want),
          flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--platform", required=True)
    ap.add_argument("--kernel", required=True)
    args = ap.parse_args()
    check = Check()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="orderly-stop-") as workdir:
        # A runner killed outright leaves its run's directory: here, not
        # in TMPDIR (the build directory's tmp/), where they would pile up.
        os.environ["TMPDIR"] = workdir
        not_a_kernel = os.path.join(workdir, "not-a-kernel.bin")
        with open(not_a_kernel, "wb") as f:
            f.write(random.Random(18).randbytes(4096))
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGINT,
                    signal.SIGKILL):
            runner_case(check, args, workdir, sig, args.kernel)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            runner_case(check, args, workdir, sig, not_a_kernel)
        script_case(check, args, workdir, signal.SIGTERM)
    status_case(check, args, "tests=nothing/*", 6,
                "nothing tested: the plan is 1..0; bootargs: tests=nothing/* selects no test")
    status_case(check, args, "list", 0, "PASS")
    print("stop: %d passed, %d failed (%.1fs)" % (check.passed, check.failed,
                                                 time.monotonic() - start))
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
