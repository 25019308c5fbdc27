"""Run one image under QEMU: stream the UART, enforce timeouts, judge."""
import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from .platform import Platform
from .tap import TapParser

PASS, TEST_FAILED, CRASH, TIMEOUT, QEMU_ERROR, USAGE = 0, 1, 2, 3, 4, 5
CLASS_NAMES = {PASS: "pass", TEST_FAILED: "test failures", CRASH: "crash/incomplete",
               TIMEOUT: "timeout", QEMU_ERROR: "qemu error", USAGE: "usage"}


class Outcome:
    def __init__(self, label):
        self.label = label
        self.cls = PASS
        self.reason = ""
        self.tap = TapParser()
        self.log = []
        self.stderr = []
        self.qemu_status = None
        self.seconds = 0.0


def build_command(platform_dir, kernel, bootargs, overrides, workdir):
    srcdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    builtins = {
        "KERNEL": os.path.abspath(kernel),
        "KERNEL_DIR": os.path.dirname(os.path.abspath(kernel)),
        "BOOTARGS": bootargs,
        "WORKDIR": workdir,
        "PLATFORM_DIR": os.path.abspath(platform_dir),
        "SRCDIR": os.path.dirname(srcdir),
    }
    plat = Platform(os.path.join(platform_dir, "platform.mk"), overrides, builtins)
    qemu = plat.get("QEMU")
    if not qemu:
        raise ValueError("%s/platform.mk defines no QEMU" % platform_dir)
    cmd = [qemu] + shlex.split(plat.get("QEMU_ARGS"))
    return plat, cmd, plat.get("PREPARE").strip()


class Progress:
    """One redrawn status line on a terminal; nothing otherwise."""

    def __init__(self, enabled, label):
        self.enabled, self.label, self.width = enabled, label, 0

    def show(self, tap):
        if not self.enabled:
            return
        p, f, s = tap.counts()
        last = tap.results[-1].name if tap.results else "booting"
        text = "[%3d/%s] %s  %d failed  %s" % (len(tap.results), tap.plan or "?", self.label, f, last)
        text = text[:100]
        sys.stderr.write("\r" + text.ljust(self.width))
        sys.stderr.flush()
        self.width = len(text)

    def clear(self):
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def _reader(stream, tag, q):
    for raw in iter(stream.readline, b""):
        q.put((tag, raw.decode("utf-8", "replace").rstrip("\r\n")))
    q.put((tag, None))


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_once(args, overrides, label):
    out = Outcome(label)
    start = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="orderly-run-")
    try:
        plat, cmd, prepare = build_command(args.platform, args.kernel, args.bootargs,
                                           overrides, workdir)
        total = args.timeout or float(plat.get("TIMEOUT") or 120)
        idle = args.idle_timeout or float(plat.get("IDLE_TIMEOUT") or 30)
        if args.dry_run:
            if prepare:
                print(prepare)
            print(" ".join(shlex.quote(c) for c in cmd))
            return out
        if prepare:
            p = subprocess.run(["/bin/sh", "-c", prepare], cwd=plat.get("SRCDIR"),
                               capture_output=True, text=True)
            if p.returncode:
                out.cls, out.reason = QEMU_ERROR, "PREPARE failed (%d): %s" % (
                    p.returncode, (p.stderr or p.stdout).strip()[-500:])
                return out
        if not shutil.which(cmd[0]):
            out.cls, out.reason = QEMU_ERROR, "%s not found; run `make deps`" % cmd[0]
            return out
        _supervise(cmd, out, args, total, idle)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        out.seconds = time.monotonic() - start
    return out


def _supervise(cmd, out, args, total, idle):
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    q = queue.Queue()
    for stream, tag in ((proc.stdout, "out"), (proc.stderr, "err")):
        threading.Thread(target=_reader, args=(stream, tag, q), daemon=True).start()
    progress = Progress(sys.stderr.isatty() and not args.quiet, out.label)
    start = last = time.monotonic()
    open_streams = 2
    try:
        while open_streams:
            now = time.monotonic()
            if now - start > total:
                out.cls, out.reason = TIMEOUT, "timeout after %gs" % total
                return
            if now - last > idle:
                tail = out.log[-1] if out.log else "(none)"
                out.cls, out.reason = TIMEOUT, "no output for %gs (last line: %s)" % (idle, tail)
                return
            try:
                tag, line = q.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                open_streams -= 1
                continue
            last = time.monotonic()
            if tag == "err":
                out.stderr.append(line)
            out.log.append(line)
            if not args.quiet:
                progress.clear()
                print(line, flush=True)
            if tag == "out":
                out.tap.feed(line)
            progress.show(out.tap)
        out.qemu_status = proc.wait()
    finally:
        progress.clear()
        _stop(proc)
    judge(out)


def judge(out):
    tap = out.tap
    if not tap.started and out.qemu_status:
        err = " / ".join(out.stderr[-3:]) or "no output"
        out.cls, out.reason = QEMU_ERROR, "qemu exited with %s before any TAP: %s" % (
            out.qemu_status, err)
        return
    incomplete = tap.incomplete_reason()
    failures = tap.failures()
    if failures:
        out.cls = TEST_FAILED
        out.reason = "%d failed: %s" % (len(failures), ", ".join(
            "%d %s" % (r.number, r.name) for r in failures))
        if incomplete:
            out.reason += "; and " + incomplete
        return
    if incomplete:
        out.cls, out.reason = CRASH, incomplete
        return
    if out.qemu_status:
        out.cls = CRASH
        out.reason = "qemu exit status %d but TAP says all passed" % out.qemu_status
        return
    out.cls = PASS


def verdict_line(platform_name, out):
    p, f, s = out.tap.counts()
    label = "%s%s" % (platform_name, " [%s]" % out.label if out.label else "")
    if out.cls == PASS:
        return "orderly-run: PASS %s: %d passed, %d failed, %d skipped in %.1fs" % (
            label, p, f, s, out.seconds)
    return "orderly-run: FAIL %s: %s (%.1fs)" % (label, out.reason, out.seconds)


def failure_details(out):
    lines = []
    for r in out.tap.failures():
        lines.append("  not ok %d - %s" % (r.number, r.name))
        lines.extend("      " + y for y in r.yaml)
    return lines


def expect_fail(out, patterns):
    """Negative controls: the run must fail (tests or crash) and show every pattern."""
    problems = []
    if out.cls not in (TEST_FAILED, CRASH):
        problems.append("expected a failing run, got: %s%s" % (
            CLASS_NAMES[out.cls], (" (%s)" % out.reason) if out.reason else ""))
    for pat in patterns:
        rx = re.compile(pat)
        if not any(rx.search(line) for line in out.log):
            problems.append("no output line matches %r" % pat)
    return problems
