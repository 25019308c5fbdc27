"""The orderly-run command line: arguments, runs, variants, reports."""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

from . import controls, junit, soak, supervise
from .platformmk import NAME_PATTERN, MakeError, print_vars
from .tap import TapStream
from .verdict import (CLASS_WORDS, PASS, TEST_FAILED, USAGE, Outcome, UsageError,
                      check_expectation, details, judge, verdict_line)

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_TIMEOUT, DEFAULT_IDLE_TIMEOUT = 120.0, 30.0
_OVERRIDE = re.compile(r"^(%s)=(.*)$" % NAME_PATTERN, re.DOTALL)

USAGE_TEXT = ("orderly-run --platform DIR --kernel FILE [KEY=VALUE ...] [options]\n"
              "       orderly-run --platform DIR --kernel FILE --controls TABLE "
              "[--control NAME ...] [KEY=VALUE ...]")
DESCRIPTION = """\
Boot an orderly image under QEMU, echo its UART, and judge the TAP 14 it
prints (DESIGN.md sections 4 and 5).

The QEMU command comes from DIR/platform.mk, evaluated by GNU make itself
(scripts/print.mk; any make syntax), one make call per run:
  QEMU          the emulator binary      QEMU_ARGS     its arguments
  PREPARE       optional shell command run first (cwd = source tree)
  TIMEOUT, IDLE_TIMEOUT   defaults for --timeout / --idle-timeout
  CHECK_VARIANTS          the matrix --variants runs
The runner gives make KERNEL, KERNEL_DIR, BOOTARGS, WORKDIR (a temporary
directory for this run), PLATFORM_DIR and SRCDIR as literal text, and the
KEY=VALUE arguments (SMP=8 GIC=3 ...) as make command-line variables: both
beat any assignment in the file. make sees only PATH and LC_ALL=C of the
environment, so exported variables and an outer make's MAKEFLAGS do not count.

--controls TABLE (tests/controls.cfg) runs rows of a table of controls, each
a run that must end the way its row says (fail or pass, output patterns,
optionally a device tree broken on purpose); the table's header describes
the keys. --list-controls prints NAME<TAB>DESCRIPTION per row.
"""
EPILOG = """\
exit status:
  0  pass: the plan and the summary arrived, every planned test ran and
     passed or was skipped, the summary agrees, and QEMU exited with 0
  1  one or more tests failed (listed, with their YAML details)
  2  crash or incomplete: no summary, missing or extra results, bail out,
     a summary that disagrees, or a non-zero QEMU exit although all passed
  3  timeout: the whole run (--timeout) or no UART output (--idle-timeout)
  4  QEMU could not start, or failed before any TAP; or PREPARE failed
  5  usage error: arguments, platform directory, kernel file, platform.mk
  6  nothing tested: the run was clean but its plan was 1..0 (the bootargs
     select no test; the image's "selects no test" warning is quoted).
     A listing (bootargs list or help: 1..0 # SKIP) is a pass.
  128+N  stopped by signal N (SIGINT 130, SIGTERM 143, SIGHUP 129, SIGQUIT
     131): QEMU and PREPARE are ended, the log and --junit hold what
     arrived (the run marked interrupted), and no variant or row follows.
     Whatever ends the runner, even SIGKILL, its QEMU dies with it.
With --variants the worst (highest) status of all variants.
With --expect-fail: 0 if the run failed with status 1 or 2 and every
--expect-pattern matched an output line, otherwise 1. --expect-pattern
without it: the run must pass and every pattern match (1 if one does not).
With --controls: 0 if every row's run(s) ended as the row says, otherwise 1.
The last line on stderr is always the verdict.
"""


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad arguments; 2 means "crash" here."""

    def error(self, message):
        raise UsageError(message)


def positive_seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number of seconds" % text)
    if value <= 0:
        raise argparse.ArgumentTypeError("%r: must be more than 0 seconds" % text)
    return value


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a whole number" % text)
    if value <= 0:
        raise argparse.ArgumentTypeError("%r: must be at least 1" % text)
    return value


def parse_args(argv):
    ap = _Parser(prog="orderly-run", usage=USAGE_TEXT, description=DESCRIPTION, epilog=EPILOG,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--platform", required=True, metavar="DIR",
                    help="platform directory, e.g. platforms/qemu-virt-arm64 (a bare name "
                         "is looked up under platforms/)")
    ap.add_argument("--kernel", metavar="FILE", help="the image QEMU boots (sets KERNEL)")
    ap.add_argument("--bootargs", metavar="TEXT",
                    help="the image's command line (sets BOOTARGS), e.g. 'tests=smp/*'")
    ap.add_argument("--timeout", type=positive_seconds, metavar="SECONDS",
                    help="limit for the whole run (default: TIMEOUT, else %g)" % DEFAULT_TIMEOUT)
    ap.add_argument("--idle-timeout", type=positive_seconds, metavar="SECONDS",
                    help="limit for a silent UART (default: IDLE_TIMEOUT, else %g)"
                    % DEFAULT_IDLE_TIMEOUT)
    ap.add_argument("--qemu-dir", metavar="DIR", default=os.environ.get("QEMU_DIR") or None,
                    help="run the platform's qemu-system-* from DIR (a QEMU build directory), "
                         "not from PATH (default: $QEMU_DIR)")
    ap.add_argument("--junit", metavar="FILE", help="write a JUnit XML report")
    ap.add_argument("--log", metavar="FILE", help="write the raw output (UART and QEMU's stderr)")
    ap.add_argument("--quiet", action="store_true",
                    help="do not echo the UART; still print failures and the verdict")
    ap.add_argument("--dry-run", action="store_true",
                    help="print PREPARE and the QEMU command (shell-quoted, last) and exit")
    ap.add_argument("--variants", action="store_true",
                    help="run every CHECK_VARIANTS entry in turn, then print a table")
    ap.add_argument("--list-variants", action="store_true", help="print CHECK_VARIANTS and exit")
    ap.add_argument("--repeat", type=positive_int, metavar="N",
                    help="soak: the run N times, each with a random seed (seed=0x... appended "
                         "to the bootargs), then a table: passes, failures by test with their "
                         "seeds, hangs, wall time")
    ap.add_argument("--expect-fail", action="store_true",
                    help="negative control: succeed only if the run fails with status 1 or 2")
    ap.add_argument("--expect-pattern", action="append", default=[], metavar="REGEX",
                    help="some output line must match (repeatable); without --expect-fail "
                         "the run must also pass")
    ap.add_argument("--controls", metavar="TABLE",
                    help="run the rows of a controls table, e.g. tests/controls.cfg")
    ap.add_argument("--control", action="append", default=[], metavar="NAME",
                    help="with --controls: run only this row (repeatable; default: all)")
    ap.add_argument("--list-controls", action="store_true",
                    help="with --controls: print NAME<TAB>DESCRIPTION per row and exit")
    ap.add_argument("overrides", nargs="*", metavar="KEY=VALUE",
                    help="override a platform.mk variable")
    args = ap.parse_args(argv)
    if args.controls:
        given = [option for option, used in (
            ("--bootargs", args.bootargs is not None), ("--variants", args.variants),
            ("--list-variants", args.list_variants), ("--expect-fail", args.expect_fail),
            ("--expect-pattern", args.expect_pattern), ("--dry-run", args.dry_run),
            ("--repeat", args.repeat)) if used]
        if given:
            raise UsageError("%s: a control row says what to run and expect; not with "
                             "--controls" % ", ".join(given))
    elif args.control or args.list_controls:
        raise UsageError("--control and --list-controls need --controls TABLE")
    if args.repeat and args.variants:
        raise UsageError("--repeat and --variants: soak one variant at a time")
    if args.bootargs is None:
        args.bootargs = ""
    if args.qemu_dir and not os.path.isdir(args.qemu_dir):
        raise UsageError("QEMU_DIR %s is not a directory" % args.qemu_dir)
    for pattern in args.expect_pattern:
        try:
            re.compile(pattern)
        except re.error as e:
            raise UsageError("--expect-pattern %r: %s" % (pattern, e))
    return args


# -- what to run -----------------------------------------------------------

def parse_overrides(words, context="argument"):
    """["SMP=8", ...] -> {"SMP": "8"} in order; raises UsageError."""
    out = {}
    for word in words:
        m = _OVERRIDE.match(word)
        if not m:
            raise UsageError("%s %r is not KEY=VALUE" % (context, word))
        out[m.group(1)] = m.group(2)
    return out


def resolve_platform(text):
    for candidate in (text, os.path.join(SRCDIR, "platforms", text)):
        if os.path.isfile(os.path.join(candidate, "platform.mk")):
            return candidate
    raise UsageError("%s is not a platform directory (no platform.mk); platforms: %s"
                     % (text, " ".join(sorted(os.listdir(os.path.join(SRCDIR, "platforms"))))
                        if os.path.isdir(os.path.join(SRCDIR, "platforms")) else "none"))


def platform_vars(platform_dir, names, overrides, builtins=None):
    """{name: trimmed value}: one make call (platformmk); make's warnings
    are passed on to stderr."""
    try:
        values = print_vars(os.path.abspath(os.path.join(platform_dir, "platform.mk")),
                            names, overrides, builtins)
    except MakeError as e:
        raise UsageError(str(e))
    for line in values.warnings:
        print(line, file=sys.stderr)
    return {name: value.strip() for name, value in values.items()}


def variant_list(platform_dir, overrides):
    """CHECK_VARIANTS as (label, overrides) pairs; "default" adds none."""
    text = platform_vars(platform_dir, ["CHECK_VARIANTS"], overrides)["CHECK_VARIANTS"]
    variants = []
    for word in text.split() or ["default"]:
        items = {} if word == "default" else parse_overrides(
            word.split(","), "CHECK_VARIANTS entry %r: item" % word)
        variants.append((word, items))
    return variants


class RunSpec:
    """One fully evaluated run: the command and the limits."""

    def __init__(self, label, overrides):
        self.label = label
        self.overrides = overrides
        self.workdir = None
        self.command = []
        self.prepare = ""
        self.timeout = DEFAULT_TIMEOUT
        self.idle_timeout = DEFAULT_IDLE_TIMEOUT
        self.values = {}          # every variable read for this run, trimmed
        self.bootargs = ""
        self.dtb = None           # a control's device tree mutation (controls.DTB_MODES)
        self.dtb_node = None      # what dtb-mutate.py reported
        self.seed = None          # --repeat: the seed this run was given


# What every run reads of platform.mk, in its one make call.
RUN_VARIABLES = ("QEMU", "QEMU_ARGS", "PREPARE", "TIMEOUT", "IDLE_TIMEOUT", "CHECK_VARIANTS",
                 "ACCEL", "ARCH")


def _seconds_variable(values, name, given, default):
    if given is not None:
        return given
    text = values[name]
    if not text:
        return default
    try:
        return positive_seconds(text)
    except argparse.ArgumentTypeError as e:
        raise UsageError("platform.mk %s: %s" % (name, e))


# The host machine (uname -m) on which KVM can run each arch's image.
KVM_HOSTS = {"arm64": ("aarch64", "arm64"), "riscv64": ("riscv64",),
             "ppc": ("ppc", "ppc64", "ppc64le")}


def kvm_usable(arch, platform_dir):
    """ACCEL=kvm runs the image on the host's own CPU: only on a host of the
    image's architecture, with /dev/kvm."""
    host = os.uname().machine
    if host not in KVM_HOSTS.get(arch, ()):
        raise UsageError("ACCEL=kvm: %s is an %s image and this host is %s; KVM needs a host of "
                         "the image's architecture (--dry-run prints the command)"
                         % (os.path.basename(os.path.abspath(platform_dir)), arch, host))
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        raise UsageError("ACCEL=kvm: no usable /dev/kvm on this host (is the kvm module loaded, "
                         "may this user open it?)")


def qemu_binary(args, platform_dir, qemu):
    """The platform's QEMU, from --qemu-dir / QEMU_DIR when given: a QEMU
    under test (a build directory holds qemu-system-* at its top)."""
    if not args.qemu_dir:
        return qemu
    path = os.path.join(os.path.abspath(args.qemu_dir), os.path.basename(qemu))
    if not os.access(path, os.X_OK):
        raise UsageError("QEMU_DIR %s has no %s, which %s needs" % (
            args.qemu_dir, os.path.basename(qemu), os.path.basename(os.path.abspath(platform_dir))))
    return path


_versions = {}


def qemu_version(binary):
    """`binary --version`'s first line (once per binary), for the reports;
    only a qemu-system-* is asked (a wrapper or a test's fake may not know
    the option)."""
    if not os.path.basename(binary).startswith("qemu-system-"):
        return "version not asked: not a qemu-system-* binary"
    if binary not in _versions:
        try:
            r = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10,
                               errors="replace", stdin=subprocess.DEVNULL)
            _versions[binary] = (r.stdout.splitlines() or ["?"])[0].strip()
        except (OSError, subprocess.TimeoutExpired) as e:
            _versions[binary] = "unknown (%s)" % e
    return _versions[binary]


def plan_run(args, platform_dir, label, overrides, specs, bootargs=None, extra=()):
    """Evaluate platform.mk for one run (one make call, which also reads the
    variables named in `extra`) and append it to specs. Creates the run's
    WORKDIR, which the caller removes through specs whatever happens.
    Returns the RunSpec."""
    spec = RunSpec(label, overrides)
    spec.workdir = tempfile.mkdtemp(prefix="orderly-run-")
    specs.append(spec)
    kernel = os.path.abspath(args.kernel)
    builtins = {"KERNEL": kernel, "KERNEL_DIR": os.path.dirname(kernel),
                "BOOTARGS": args.bootargs if bootargs is None else bootargs,
                "WORKDIR": spec.workdir, "PLATFORM_DIR": os.path.abspath(platform_dir),
                "SRCDIR": SRCDIR}
    spec.bootargs = builtins["BOOTARGS"]
    names = list(RUN_VARIABLES) + [n for n in extra if n not in RUN_VARIABLES]
    spec.values = values = platform_vars(platform_dir, names, overrides, builtins)
    if not values["QEMU"]:
        raise UsageError("%s/platform.mk does not set QEMU" % platform_dir)
    try:
        spec.command = [qemu_binary(args, platform_dir, values["QEMU"])] + \
            shlex.split(values["QEMU_ARGS"])
    except ValueError as e:
        raise UsageError("%s/platform.mk QEMU_ARGS: %s" % (platform_dir, e))
    if values.get("ACCEL") == "kvm" and not args.dry_run:
        kvm_usable(values.get("ARCH", ""), platform_dir)
    spec.prepare = values["PREPARE"]
    spec.timeout = _seconds_variable(values, "TIMEOUT", args.timeout, DEFAULT_TIMEOUT)
    spec.idle_timeout = _seconds_variable(values, "IDLE_TIMEOUT", args.idle_timeout,
                                          DEFAULT_IDLE_TIMEOUT)
    return spec


def plan_runs(args, platform_dir, overrides, specs):
    """All runs are evaluated before the first starts, so that a bad
    variant is a usage error rather than a surprise half-way through."""
    if args.repeat:
        base = ",".join("%s=%s" % kv for kv in overrides.items())
        for seed in soak.seeds(args.repeat):
            label = ",".join(x for x in (base, "seed=0x%08x" % seed) if x)
            spec = plan_run(args, platform_dir, label, overrides, specs,
                            bootargs=soak.bootargs_with_seed(args.bootargs, seed))
            spec.seed = seed
        return
    if not args.variants:
        label = ",".join("%s=%s" % kv for kv in overrides.items())
        plan_run(args, platform_dir, label, overrides, specs)
        return
    for label, items in variant_list(platform_dir, overrides):
        for key in sorted(set(items) & set(overrides)):
            print("orderly-run: note: variant %s: %s=%s from the command line wins"
                  % (label, key, overrides[key]), file=sys.stderr)
        plan_run(args, platform_dir, label, dict(items, **overrides), specs)


def plan_controls(args, platform_dir, overrides, rows, specs):
    """[(row, [RunSpec, ...])]: every run of every row, evaluated up front
    (a row naming a variable the platform does not set is a usage error
    before anything runs). Command-line overrides beat the row's."""
    plans = []
    for row in rows:
        runs = []
        for label, bootargs in row.runs():
            # QEMU (arm, riscv) replaces /chosen/bootargs with a non-empty
            # -append: binary ones reach the image only in the DT, alone.
            alone = row.dtb == "binary-bootargs"
            spec = plan_run(args, platform_dir, label, dict(row.overrides, **overrides), specs,
                            bootargs="" if alone else bootargs, extra=row.variables())
            spec.bootargs = bootargs
            spec.dtb = row.dtb
            if row.idle_timeout and args.idle_timeout is None:
                spec.idle_timeout = row.idle_timeout
            for name in row.variables():
                if not spec.values[name]:
                    raise UsageError("%s: a pattern uses $(%s), which %s/platform.mk does "
                                     "not set" % (row.where, name, platform_dir))
            runs.append(spec)
        plans.append((row, runs))
    return plans


def dry_run_lines(spec, with_label):
    """A runnable script: PREPARE (in the source tree) then QEMU, last."""
    lines = ["# variant %s" % spec.label] if with_label else []
    if spec.prepare:
        lines.append("(cd %s && %s)" % (shlex.quote(SRCDIR), spec.prepare))
    lines.append(shlex.join(spec.command))
    return lines


def workdir_used(spec):
    return any(spec.workdir in text for text in spec.command + [spec.prepare])


# -- running -----------------------------------------------------------------

class Console:
    """Echo of the output, and the progress line on a terminal."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.progress_on = not quiet and sys.stdout.isatty() and sys.stderr.isatty()
        self.drawn = False

    def output(self, tag, line):
        if self.quiet:
            return
        self.clear()
        stream = sys.stdout if tag == supervise.STDOUT else sys.stderr
        try:
            stream.write(line + "\n")
            stream.flush()
        except BrokenPipeError:
            # Whoever read our output has gone (| head); keep judging.
            self.quiet = True
            self.progress_on = False

    def progress(self, label, tap):
        if not self.progress_on:
            return
        failed = tap.counts()[1]
        plan = "%s" % tap.plan if tap.plan is not None else "?"
        text = "[%3d/%s] %s%s..." % (len(tap.results), plan, label + " " if label else "",
                                     tap.current() or ("booting" if tap.started else "firmware"))
        if failed:
            text += " %d failed" % failed
        width = shutil.get_terminal_size().columns - 1
        sys.stderr.write("\r\x1b[K" + text[:width])
        sys.stderr.flush()
        self.drawn = True

    def clear(self):
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.drawn = False

    def message(self, line):
        self.clear()
        print(line, file=sys.stderr, flush=True)


def qemu_missing(binary):
    if os.sep in binary:
        return not os.access(binary, os.X_OK)
    return shutil.which(binary) is None


def run_prepare(spec, out, deadline):
    """PREPARE runs in the source tree, in its own session so that a timeout
    ends everything it started. A failure is a QEMU-class error, running
    out of time is the run's timeout. Returns True when QEMU may start."""
    proc = subprocess.Popen(["/bin/sh", "-c", spec.prepare], cwd=SRCDIR,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=supervise.tied_to_runner())
    try:
        output, _ = proc.communicate(timeout=max(deadline - time.monotonic(), 0.01))
    except supervise.Interrupted:
        supervise.end_process_group(proc)
        raise
    except subprocess.TimeoutExpired:
        supervise.end_process_group(proc)
        try:
            output, _ = proc.communicate(timeout=1)
        except subprocess.TimeoutExpired:
            output = b""     # something escaped the group and holds the pipe
        out.timeout = "timeout after %gs (PREPARE had not finished)" % spec.timeout
        out.start_detail = ["$ " + spec.prepare] + output.decode("utf-8", "replace").splitlines()
        return False
    if proc.returncode != 0:
        out.start_error = "PREPARE failed with exit status %d" % proc.returncode
        out.start_detail = ["$ " + spec.prepare] + output.decode("utf-8", "replace").splitlines()
        return False
    return True


def execute(spec, platform_name, console, log):
    out = Outcome(platform_name, spec.label)
    out.tap = TapStream()
    started = time.monotonic()

    def on_line(tag, line):
        # Parsed before it is logged: a stop signal between the two must
        # not leave a logged result uncounted in the report.
        out.log.append(line)
        if tag == supervise.STDOUT:
            out.uart.append(line)
            out.tap.feed(line)
        else:
            out.stderr.append(line)
        if log:
            log.write(line + "\n")
            log.flush()
        console.output(tag, line)
        console.progress(spec.label, out.tap)

    deadline = started + spec.timeout
    try:
        if not qemu_missing(spec.command[0]):
            out.qemu = "%s (%s)" % (shutil.which(spec.command[0]) or spec.command[0],
                                    qemu_version(spec.command[0]))
            if log:
                log.write("# orderly-run: qemu: %s\n" % out.qemu)
        if qemu_missing(spec.command[0]):
            out.start_error = "%s not found; run `make deps`" % spec.command[0]
        elif ((not spec.prepare or run_prepare(spec, out, deadline))
              and (not spec.dtb or controls.make_dtb(spec, out, deadline))):
            if spec.dtb and log:
                log.write("# orderly-run: %s: QEMU's device tree after dtb-mutate.py %s%s\n"
                          % (spec.label, spec.dtb, ": " + spec.dtb_node if spec.dtb_node else ""))
            console.progress(spec.label, out.tap)
            result = supervise.run(spec.command, spec.timeout, spec.idle_timeout, on_line,
                                   describe_last=lambda: out.tap.last_line, started=started)
            out.qemu_status, out.timeout = result.status, result.timeout
            out.start_error = result.start_error
            named = controls.name_dtb_outcome(spec, out)
            if named:
                out.log.append(named)
                if log:
                    log.write(named + "\n")
    except supervise.Interrupted as e:
        # Everything this run started has been ended on the way here; what
        # arrived is judged and reported like any run, then the caller stops.
        out.interrupted = e.signum
        if log:
            log.write("# orderly-run: %sinterrupted by %s\n"
                      % (spec.label + ": " if spec.label else "", e.name))
    finally:
        console.clear()
        out.seconds = time.monotonic() - started
        out.command = spec.command
    judge(out)
    return out


def report(out, args, console, expect_fail=None, patterns=None, what=None, reject=False):
    """Print the run's verdict (and the expectation's, if any); returns
    whether the run ended as expected. Defaults: the command line's.
    reject: a control's device tree must be turned away (controls.EXPECT)."""
    expect_fail = args.expect_fail if expect_fail is None else expect_fail
    patterns = args.expect_pattern if patterns is None else patterns
    for line in details(out, args.quiet):
        console.message(line)
    console.message(verdict_line(out))
    if not expect_fail and not patterns and what is None:
        return out.cls == PASS
    ok, lines = check_expectation(out, patterns, expect_fail, what, reject)
    for line in lines:
        console.message(line)
    return ok


def summary_table(outcomes):
    rows = [("variant", "result", "passed", "failed", "skipped", "seconds")]
    for out in outcomes:
        p, f, s = out.tap.counts()
        rows.append((out.label, CLASS_WORDS[out.cls], str(p), str(f), str(s),
                     "%.1f" % out.seconds))
    width = max(len(r[0]) for r in rows)
    return ["%-*s  %-7s %6s %6s %7s %7s" % ((width,) + r) for r in rows]


def overall_line(platform_name, outcomes, oks, expect_fail):
    """The last line after --variants: one verdict for the matrix."""
    what = "negative controls" if expect_fail else "variants"
    bad = [o for o, ok in zip(outcomes, oks) if not ok]
    if not bad:
        return "orderly-run: PASS %s: %d of %d %s passed in %.1fs" % (
            platform_name, len(outcomes), len(outcomes), what, sum(o.seconds for o in outcomes))
    return "orderly-run: FAIL %s: %d of %d %s failed: %s" % (
        platform_name, len(bad), len(outcomes), what,
        ", ".join("%s (%s)" % (o.label, CLASS_WORDS[o.cls]) for o in bad))


# -- main ----------------------------------------------------------------------

def prepare_stdio():
    # UART bytes are decoded with replacement characters; a C-locale
    # terminal must not turn them into UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass


def validate_kernel(args):
    if not args.kernel:
        raise UsageError("--kernel FILE is required")
    if os.path.isfile(args.kernel):
        return
    if not args.dry_run:
        raise UsageError("kernel %s does not exist (build it first: make)" % args.kernel)
    # A dry run only shows the command; say so, but show it.
    print("orderly-run: note: kernel %s does not exist yet" % args.kernel, file=sys.stderr)


def run_reported(args, items, run_item):
    """run_item(item, log) -> (ok, [Outcome, ...]) for each item in turn,
    with --log open throughout; then --junit, of every outcome. A stop
    signal ends the loop once its run is reported, so the log and the
    report hold what there is; then Interrupted goes on up to main().
    Returns (oks, outcomes)."""
    oks, outcomes, stop = [], [], None
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    try:
        for item in items:
            ok, item_outcomes = run_item(item, log)
            oks.append(ok)
            outcomes += item_outcomes
            if item_outcomes and item_outcomes[-1].interrupted:
                stop = supervise.Interrupted(item_outcomes[-1].interrupted)
                break
    except supervise.Interrupted as e:
        stop = e            # between runs: nothing of a run is lost
    finally:
        if log:
            log.close()
    if args.junit:
        junit.write(args.junit, outcomes)
    if stop:
        raise stop
    return oks, outcomes


def run_all(args, platform_dir, specs):
    platform_name = os.path.basename(os.path.abspath(platform_dir))
    console = Console(args.quiet)

    def run_spec(spec, log):
        if log and args.variants:
            log.write("# orderly-run: variant %s: %s\n" % (spec.label, shlex.join(spec.command)))
        out = execute(spec, platform_name, console, log)
        shutil.rmtree(spec.workdir, ignore_errors=True)
        return report(out, args, console), [out]
    oks, outcomes = run_reported(args, specs, run_spec)
    if args.repeat:
        seed_of = {id(o): spec.seed for o, spec in zip(outcomes, specs)}
        for line in soak.table(platform_name, outcomes, seed_of, args.bootargs):
            console.message(line)
    if args.variants:
        console.message("")
        for line in summary_table(outcomes):
            console.message(line)
        console.message(overall_line(platform_name, outcomes, oks, args.expect_fail))
    if args.expect_fail:
        return 0 if all(oks) else 1
    worst = max(o.cls for o in outcomes)
    return worst if worst or all(oks) else TEST_FAILED


def run_row(row, specs, args, platform_name, console, log):
    """The runs of one control row, each judged against the row, then (with
    repeat/compare) the runs against each other. Returns (ok, outcomes)."""
    outcomes, ok = [], True
    for spec in specs:
        if log:
            log.write("# orderly-run: control %s: %s\n" % (spec.label, shlex.join(spec.command)))
        out = execute(spec, platform_name, console, log)
        shutil.rmtree(spec.workdir, ignore_errors=True)
        values = dict(spec.values)
        values[controls.DTB_NODE] = re.escape(spec.dtb_node or "")
        patterns = [controls.expand(p, values) for p in row.patterns]
        ok &= report(out, args, console, row.expect_fail, patterns,
                     "control" if len(specs) == 1 else "control run", row.reject)
        outcomes.append(out)
        if out.interrupted:
            return False, outcomes
        exit_ok, lines = controls.check_qemu_exit(row, out, "%s [%s]" % (platform_name, row.name))
        for line in lines:
            console.message(line)
        ok &= exit_ok
    if row.compare:
        ok, lines = controls.compare_runs(row, outcomes, ok,
                                          "%s [%s]" % (platform_name, row.name))
        for line in lines:
            console.message(line)
    return ok, outcomes


def run_controls(args, platform_dir, plans):
    """Every planned row; 0 if each ended as it says, else 1."""
    platform_name = os.path.basename(os.path.abspath(platform_dir))
    console = Console(args.quiet)
    oks, _ = run_reported(args, plans, lambda plan, log: run_row(
        plan[0], plan[1], args, platform_name, console, log))
    failed = [row.name for (row, _), ok in zip(plans, oks) if not ok]
    if len(plans) > 1:
        console.message("")
        if failed:
            console.message("orderly-run: FAIL %s: %d of %d controls did not end as their rows "
                            "say: %s" % (platform_name, len(failed), len(plans), ", ".join(failed)))
        else:
            console.message("orderly-run: PASS %s: %d of %d controls ended as their rows say"
                            % (platform_name, len(plans), len(plans)))
    return 1 if failed else 0


def main(argv):
    supervise.catch_stop_signals()
    prepare_stdio()
    specs = []
    try:
        args = parse_args(argv)
        platform_dir = resolve_platform(args.platform)
        overrides = parse_overrides(args.overrides)
        if args.controls:
            rows = controls.load(args.controls)
            if args.list_controls:
                for row in rows:
                    print("%s\t%s" % (row.name, row.description))
                return 0
            validate_kernel(args)
            rows = controls.select(rows, args.control, args.controls)
            return run_controls(args, platform_dir,
                                plan_controls(args, platform_dir, overrides, rows, specs))
        if args.list_variants:
            for label, _ in variant_list(platform_dir, overrides):
                print(label)
            return 0
        validate_kernel(args)
        plan_runs(args, platform_dir, overrides, specs)
        if args.dry_run:
            for spec in specs:
                print("\n".join(dry_run_lines(spec, args.variants)))
            # Keep the directories the printed commands name.
            specs = [spec for spec in specs if not workdir_used(spec)]
            return 0
        return run_all(args, platform_dir, specs)
    except UsageError as e:
        print("usage: %s (see --help)" % USAGE_TEXT, file=sys.stderr)
        print("orderly-run: usage error: %s" % e, file=sys.stderr)
        return USAGE
    except OSError as e:
        # --log / --junit paths that cannot be written
        print("orderly-run: error: %s" % e, file=sys.stderr)
        return USAGE
    except supervise.Interrupted as e:
        # Each run's finally has ended what it started (QEMU, PREPARE).
        print("%sorderly-run: interrupted by %s" % ("\n" if sys.stderr.isatty() else "", e.name),
              file=sys.stderr)
        return e.status
    finally:
        for spec in specs:
            shutil.rmtree(spec.workdir, ignore_errors=True)
