"""Exit classes, and turning one run's facts into a class and a reason."""
import re
import signal

PASS, TEST_FAILED, CRASH, TIMEOUT, QEMU_ERROR, USAGE, NOTHING_TESTED = 0, 1, 2, 3, 4, 5, 6
# A stop signal ended the run; the runner exits with 128 + the signal.
INTERRUPTED = 128
CLASS_WORDS = {PASS: "PASS", TEST_FAILED: "FAIL", CRASH: "CRASH", TIMEOUT: "TIMEOUT",
               QEMU_ERROR: "ERROR", USAGE: "USAGE", NOTHING_TESTED: "NOTHING",
               INTERRUPTED: "INTERRUPTED"}
CLASS_MEANING = {PASS: "passed", TEST_FAILED: "test failures", CRASH: "crash or incomplete output",
                 TIMEOUT: "timeout", QEMU_ERROR: "QEMU error", USAGE: "usage error",
                 NOTHING_TESTED: "nothing tested", INTERRUPTED: "interrupted"}
# What the image says when a tests= pattern matches no test (runner/select.c).
_SELECTS_NOTHING = re.compile(r"^# warning: (.*selects no test.*)$")
STDERR_IN_REASON = 3      # QEMU stderr lines quoted in a one-line reason
DETAIL_TAIL = 10          # output lines shown in the details of a broken run


class UsageError(Exception):
    """Bad arguments or platform: exit class 5."""


class Outcome:
    """One run (one variant): everything the verdict, JUnit and log need."""

    def __init__(self, platform_name, label):
        self.platform_name = platform_name
        self.label = label            # "SMP=8" / "GIC=3,VIRT=on" / "" for none
        self.command = []
        self.qemu = None              # "path (QEMU emulator version ...)" once it started
        self.tap = None               # a tap.TapStream
        self.log = []                 # every output line (stdout and stderr) in order
        self.uart = []                # stdout lines only
        self.stderr = []              # QEMU's own messages
        self.qemu_status = None
        self.timeout = None           # reason string when a deadline expired
        self.start_error = None       # QEMU missing / PREPARE failed / exec error
        self.start_detail = []        # lines explaining start_error (PREPARE output)
        self.interrupted = None       # the stop signal (a number) that ended the run
        self.seconds = 0.0
        self.cls = None
        self.reason = ""

    @property
    def title(self):
        return "%s [%s]" % (self.platform_name, self.label) if self.label else self.platform_name


def _failure_list(failures):
    return "%d failed: %s" % (len(failures), ", ".join(r.describe() for r in failures))


def _status_text(status):
    if status is not None and status < 0:
        return "was killed by signal %d" % -status
    return "exited with status %s" % status


def _exit_problems(out):
    """When every test passed, a failing exit still means something broke
    after (or around) the tests, e.g. the exit path itself."""
    status = out.qemu_status
    if status is not None and status < 0:
        return ["qemu was killed by signal %d but TAP says all passed" % -status]
    if status:
        return ["qemu exit status %d but TAP says all passed" % status]
    if out.tap.exit_status:
        return ["the image reported exit status %d but TAP says all passed"
                % out.tap.exit_status]
    return []


def signal_name(signum):
    return signal.Signals(signum).name


def judge(out):
    """Set out.cls and out.reason from the facts. The UART is authoritative:
    QEMU's exit status only matters when the TAP says everything passed."""
    tap = out.tap
    failures = tap.failures() if tap else []
    if out.interrupted:
        # Whatever else went wrong, the run did not get to say it.
        out.cls, out.reason = INTERRUPTED, "interrupted by %s" % signal_name(out.interrupted)
        if tap and tap.started:
            out.reason += "; %d of %s planned results arrived" % (
                len(tap.results), "?" if tap.plan is None else tap.plan)
        if failures:
            out.reason += "; " + _failure_list(failures)
        return
    if out.start_error:
        out.cls, out.reason = QEMU_ERROR, out.start_error
        return
    if out.timeout:
        out.cls, out.reason = TIMEOUT, out.timeout
        if failures:
            out.reason += "; " + _failure_list(failures)
        return
    if not tap.started and out.qemu_status != 0:
        said = " / ".join(out.stderr[-STDERR_IN_REASON:]) or "no error output"
        out.cls = QEMU_ERROR
        out.reason = "qemu %s before TAP began: %s" % (_status_text(out.qemu_status), said)
        return
    problems = tap.problems()
    if not failures and not problems:
        problems = _exit_problems(out)
    # A run that failed tests and also crashed is reported as the crash:
    # its list of results is incomplete, which is the graver news.
    reasons = problems + ([_failure_list(failures)] if failures else [])
    out.cls = CRASH if problems else TEST_FAILED if failures else PASS
    out.reason = "; ".join(reasons)
    if out.cls == PASS and tap.plan == 0 and tap.skip_all is None:
        _nothing_tested(out)


def _nothing_tested(out):
    """A clean run of no test is not a pass (pytest's exit 5): the bootargs
    selected nothing, most likely a mistyped pattern, which the image names.
    A listing (1..0 # SKIP) asked for no test and passes."""
    said = [m.group(1) for m in map(_SELECTS_NOTHING.match, out.uart) if m]
    out.cls = NOTHING_TESTED
    out.reason = "nothing tested: the plan is 1..0" + "".join("; " + s for s in said)


def verdict_line(out):
    if out.cls == PASS and out.tap.skip_all is not None:
        return "orderly-run: PASS %s: no test run, as asked: %s" % (out.title, out.tap.skip_all)
    if out.cls == PASS:
        p, f, s = out.tap.counts()
        return "orderly-run: PASS %s: %d passed, %d failed, %d skipped in %.1fs" % (
            out.title, p, f, s, out.seconds)
    return "orderly-run: FAIL %s: %s" % (out.title, out.reason)


def details(out, quiet):
    """Lines printed above the verdict: each failed test with its YAML, what
    PREPARE said if it failed, and for a broken quiet run the output tail."""
    lines = []
    for r in out.tap.failures() if out.tap else []:
        lines.append("  " + r.line)
        lines.extend("      " + y for y in r.yaml)
    lines.extend("  " + d for d in out.start_detail)
    # A quiet run showed nothing yet: say how the output of a broken run ended.
    if quiet and out.cls in (CRASH, TIMEOUT, QEMU_ERROR, INTERRUPTED):
        if out.stderr:
            lines.append("  qemu stderr:")
            lines.extend("    " + s for s in out.stderr[-DETAIL_TAIL:])
        if out.uart:
            lines.append("  last output lines:")
            lines.extend("    " + s for s in out.uart[-DETAIL_TAIL:])
    return lines


def check_expectation(out, patterns, expect_fail, what=None, reject=False):
    """Did the run end as expected? With expect_fail (--expect-fail) it
    must fail with a test failure or a crash, otherwise pass; and every
    pattern must match some output line (UART or QEMU's stderr). reject
    (a control's broken device tree) also takes QEMU's refusal and a hang
    that the timeout ended: the patterns name which. `what` names the
    check in the last line. Returns (ok, lines)."""
    what = what or ("negative control" if expect_fail else "expected output")
    failing = (TEST_FAILED, CRASH, QEMU_ERROR, TIMEOUT) if reject else (TEST_FAILED, CRASH)
    lines = ["orderly-run: expected: %s%s" % (
        "the device tree turned away (by QEMU, a hang, or the image)" if reject else
        "a test failure or a crash" if expect_fail else "a pass",
        "; output matching " + ", ".join("/%s/" % p for p in patterns) if patterns else "")]
    lines.append("orderly-run: happened: %s%s" % (CLASS_MEANING[out.cls],
                                                 ": " + out.reason if out.reason else ""))
    problems = []
    if expect_fail and out.cls == PASS:
        problems.append("expected a failure, but the run passed")
    elif expect_fail and out.cls not in failing:
        problems.append("expected %s, got a %s" % (
            "the device tree turned away" if reject else "a test failure or a crash",
            CLASS_MEANING[out.cls]))
    elif not expect_fail and out.cls != PASS:
        problems.append("expected a pass, got: %s" % CLASS_MEANING[out.cls])
    for pattern in patterns:
        rx = re.compile(pattern)
        hit = next((line for line in out.log if rx.search(line)), None)
        if hit is None:
            problems.append("no output line matches /%s/" % pattern)
        else:
            lines.append("orderly-run:   /%s/ matched: %s" % (pattern, hit))
    if problems:
        lines.append("orderly-run: FAIL %s (%s): %s" % (out.title, what, "; ".join(problems)))
    elif expect_fail:
        lines.append("orderly-run: PASS %s (%s): failed as expected: %s"
                     % (out.title, what, out.reason))
    else:
        lines.append("orderly-run: PASS %s (%s): passed%s" % (
            out.title, what, ", and every pattern matched" if patterns else ""))
    return not problems, lines
