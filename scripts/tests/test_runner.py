"""Tests for scripts/orderly-run: platform.mk read by make, the TAP parser,
the verdict rules, and whole runs against fake "QEMU" programs written by
the tests (no emulator needed).

Run from the repository root:  python3 -m unittest discover -s scripts/tests -v
"""
import glob
import os
import pty
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest
import unittest.mock
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
SRCDIR = os.path.dirname(SCRIPTS)
RUNNER = os.path.join(SCRIPTS, "orderly-run")
sys.path.insert(0, SCRIPTS)

from orderly_run import controls, platformmk, soak, supervise, verdict  # noqa: E402
from orderly_run.platformmk import MakeError, print_vars  # noqa: E402
from orderly_run.tap import TapStream, unescape_split  # noqa: E402

GOOD_TAP = """\
OpenSBI v1.1 banner
TAP version 14
# orderly 0.1 arch=fake platform=fake cpus=2/2
1..2
ok 1 - smp/online # 2 of 2 cpus
ok 2 - irq/ipi # SKIP needs 4 cpus
# summary: 1 passed, 0 failed, 1 skipped
# exit: status=0
"""

FAILING_TAP = """\
TAP version 14
1..2
ok 1 - smp/online
not ok 2 - mmu/attributes # 1 wrong mapping
  ---
  expected: Device-nGnRnE
  observed: Normal
  ...
# summary: 1 passed, 1 failed, 0 skipped
# exit: status=1
"""


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def process_gone(pid, within=2.0):
    """True once pid has exited (a zombie counts as exited)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


# -- platform.mk, read by make (scripts/print.mk) ----------------------------------

BUILTINS = {"KERNEL": "/k/img", "KERNEL_DIR": "/k", "BOOTARGS": "", "WORKDIR": "/w",
            "PLATFORM_DIR": "/p", "SRCDIR": SRCDIR}


class MakeReaderTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="orderly-test-")
        self.addCleanup(shutil.rmtree, self.dir)
        self.path = os.path.join(self.dir, "platform.mk")

    def read(self, text, names, overrides=None, builtins=None, **kw):
        write(self.path, textwrap.dedent(text))
        return print_vars(self.path, names, overrides, builtins, **kw)

    def test_flavours(self):
        v = self.read("""\
            A := one
            SIMPLE := $(A)
            RECURSIVE = $(A) two
            A := three
            C ?= c
            C ?= d
            # a comment line
            D := x   \\
                 y \\
              z
            E := value# trailing comment
            F := $$(not a reference)
            """, ["SIMPLE", "RECURSIVE", "C", "D", "E", "F", "UNDEFINED"])
        self.assertEqual(v, {"SIMPLE": "one",             # := expands now
                             "RECURSIVE": "three two",    # = expands at use
                             "C": "c", "D": "x y z", "E": "value",
                             "F": "$(not a reference)", "UNDEFINED": ""})

    def test_nested_references_and_overrides_beat_assignments(self):
        v = self.read("""\
            BOOT ?= direct
            ARGS_direct = -kernel $(KERNEL)
            ARGS_uboot = -bios u.bin -kernel $(KERNEL)
            QEMU_ARGS = $(ARGS_$(BOOT)) -smp $(SMP) $(EXTRA)
            SMP := 4
            SMP := 5
            KERNEL := /not/used
            WORKDIR = /not/used/either
            NESTED = [$(A_$(B))]
            """, ["QEMU_ARGS", "NESTED"],
            overrides={"BOOT": "uboot", "SMP": "8", "EXTRA": "-dtb $(WORKDIR)/x"},
            builtins={"KERNEL": "/k", "WORKDIR": "/w"})
        # Overrides and built-ins beat :=, = and ?= (command-line variables);
        # an override is make syntax, so its $(WORKDIR) expands.
        self.assertEqual(v["QEMU_ARGS"], "-bios u.bin -kernel /k -smp 8 -dtb /w/x")
        self.assertEqual(v["NESTED"], "[]")
        # An override beats a built-in of the same name.
        v = self.read("X = $(KERNEL)\n", ["X"], {"KERNEL": "/mine"}, {"KERNEL": "/k"})
        self.assertEqual(v["X"], "/mine")

    def test_builtins_are_literal_text(self):
        tricky = " tests=smp/* seed=1 $(SMP) $$ $ \"q\" 'a' a=b \\ # not a comment,x "
        v = self.read("""\
            SMP := 4
            QEMU_ARGS = -append "$(BOOTARGS)" -kernel $(KERNEL)
            """, ["BOOTARGS", "QEMU_ARGS"],
            builtins={"BOOTARGS": tricky, "KERNEL": "/a b/it's$(x)"})
        self.assertEqual(v["BOOTARGS"], tricky)
        self.assertEqual(v["QEMU_ARGS"], '-append "%s" -kernel /a b/it\'s$(x)' % tricky)

    def test_any_make_syntax(self):
        v = self.read("""\
            SMP ?= 2
            ifeq ($(SMP),1)
            MODE := up
            else
            MODE := mp
            endif
            LIST := a
            LIST += b
            UPPER = $(shell echo $(MODE) | tr a-z A-Z)
            PICK = $(if $(filter 2,$(SMP)),two,other) $(words $(LIST)) $(LIST:%=<%>)
            $(info a line the file prints)
            """, ["MODE", "UPPER", "PICK"])
        self.assertEqual(v, {"MODE": "mp", "UPPER": "MP", "PICK": "two 2 <a> <b>"})

    def test_environment_is_not_consulted(self):
        # An exported SMP or CPU, or what an outer `make check PLATFORM=x
        # BOOTARGS=y` exports to its recipes, must not reach the file.
        leaks = {"SMP": "7", "CPU": "leaked", "MAKEFLAGS": "s -- SMP=9 BOOTARGS=leaked",
                 "MAKELEVEL": "1", "MFLAGS": "-s", "MAKEOVERRIDES": "${-*-command-variables-*-}",
                 "MAKEFILES": os.path.join(self.dir, "extra.mk"), "GNUMAKEFLAGS": "SMP=9"}
        write(leaks["MAKEFILES"], "SMP := 11\n")
        text = "SMP ?= 2\nARGS = -smp $(SMP) -cpu $(CPU) -append '$(BOOTARGS)'\n"
        with unittest.mock.patch.dict(os.environ, leaks):
            v = self.read(text, ["ARGS"], builtins={"BOOTARGS": "mine"})
            self.assertEqual(v["ARGS"], "-smp 2 -cpu  -append 'mine'")
            self.assertEqual(platformmk.environment()["LC_ALL"], "C")
            self.assertEqual(sorted(platformmk.environment()), ["LC_ALL", "PATH"])

    def test_a_file_make_cannot_read_names_file_and_line(self):
        cases = {"this is not make\n": "platform.mk:2: *** missing separator",
                 "$(error SMP must be set)\n": "platform.mk:2: *** SMP must be set",
                 "ifeq (a,b)\n": "platform.mk:3: *** missing 'endif'",
                 "A := $(B\n": "platform.mk:2: *** unterminated variable reference"}
        for bad, words in cases.items():
            with self.subTest(bad=bad):
                with self.assertRaises(MakeError) as cm:
                    self.read("OK := 1\n" + bad, ["OK"])
                self.assertIn(words, str(cm.exception))
                self.assertIn("cannot read %s: " % self.path, str(cm.exception))

    def test_missing_file_and_missing_make(self):
        missing = os.path.join(self.dir, "nowhere.mk")
        with self.assertRaises(MakeError) as cm:
            print_vars(missing, ["QEMU"])
        self.assertIn("nowhere.mk: No such file or directory", str(cm.exception))
        with self.assertRaises(MakeError) as cm:
            self.read("A := 1\n", ["A"], make="orderly-no-such-make")
        self.assertIn("`orderly-no-such-make` not found on PATH", str(cm.exception))

    def test_what_cannot_be_passed_or_printed(self):
        cases = [({"overrides": {"PRINT_VARS": "A"}}, "print.mk's own variable"),
                 ({"builtins": {"BOOTARGS": "a\nb"}}, "BOOTARGS: a value with a newline"),
                 ({"overrides": {"BAD NAME": "1"}}, "not a variable name")]
        for kw, words in cases:
            with self.subTest(kw=kw), self.assertRaises(MakeError) as cm:
                self.read("A := 1\n", ["A"], **kw)
            self.assertIn(words, str(cm.exception))
        with self.assertRaises(MakeError) as cm:
            self.read("define A\nline 1\nline 2\nendef\n", ["A"])
        self.assertIn("A has a newline in its value", str(cm.exception))

    def test_every_platform_in_the_tree_evaluates(self):
        # Every variant of every real file gives a QEMU command.
        for mk in sorted(glob.glob(os.path.join(SRCDIR, "platforms", "*", "platform.mk"))):
            with self.subTest(platform=mk):
                base = print_vars(mk, ["QEMU", "CHECK_VARIANTS", "ARCH"], {}, BUILTINS)
                self.assertTrue(base["QEMU"].startswith("qemu-system-"), base)
                self.assertTrue(base["ARCH"])
                variants = base["CHECK_VARIANTS"].split()
                self.assertIn("default", variants)
                for variant in variants:
                    items = {} if variant == "default" else dict(
                        item.split("=", 1) for item in variant.split(","))
                    args = shlex.split(print_vars(mk, ["QEMU_ARGS"], items,
                                                  BUILTINS)["QEMU_ARGS"])
                    self.assertIn("-kernel", args, variant)
                    self.assertIn("-smp", args, variant)


# -- TAP parser ----------------------------------------------------------------

def parse(text):
    t = TapStream()
    for line in text.splitlines():
        t.feed(line)
    return t


class TapTest(unittest.TestCase):
    def test_good_stream(self):
        t = parse(GOOD_TAP)
        self.assertEqual(t.problems(), [])
        self.assertEqual(t.counts(), (1, 0, 1))
        self.assertEqual(t.plan, 2)
        self.assertEqual(t.header, ["orderly 0.1 arch=fake platform=fake cpus=2/2"])
        self.assertEqual(t.results[1].directive, "SKIP")
        self.assertEqual(t.results[1].comment, "needs 4 cpus")
        self.assertEqual(t.exit_status, 0)

    def test_firmware_noise_before_tap_is_ignored(self):
        t = parse("ok 1 - not a result yet\n1..9\nU-Boot> TAP version 14\n1..1\nok 1 - a\n"
                  "# summary: 1 passed, 0 failed, 0 skipped\n# exit: status=0\n")
        self.assertEqual(t.problems(), [])
        self.assertEqual(len(t.results), 1)

    def test_escapes(self):
        self.assertEqual(unescape_split(r"a\#b\\c # TODO x\#y"), ("a#b\\c", "TODO x#y"))
        self.assertEqual(unescape_split("plain"), ("plain", None))
        self.assertEqual(unescape_split("a # b # c"), ("a", "b # c"))
        self.assertEqual(unescape_split(r"ends\\ # c"), ("ends\\", "c"))
        t = parse(r"TAP version 14" + "\n" + r"ok 1 - litmus/a\#1 # seen 3\#4" + "\n")
        self.assertEqual(t.results[0].name, "litmus/a#1")
        self.assertEqual(t.results[0].comment, "seen 3#4")

    def test_directives(self):
        t = parse("TAP version 14\n1..5\nok 1 - a # skip no timer\nnot ok 2 - b # ToDo later\n"
                  "not ok 3 - c # TODOs are not a directive\nok 4 - d # Skipped is a comment\n"
                  "not ok 5 - e # SKIP\n")
        self.assertEqual([r.directive for r in t.results], ["SKIP", "TODO", None, None, "SKIP"])
        self.assertEqual([r.failed for r in t.results], [False, False, True, False, False])
        self.assertEqual(t.counts(), (1, 1, 3))   # as the image counts (lib/tap.c)

    def test_yaml_blocks(self):
        t = parse("TAP version 14\n  ---\n  orphan: yes\n  ...\n" + FAILING_TAP.split("\n", 1)[1])
        self.assertEqual(t.results[1].yaml, ["expected: Device-nGnRnE", "observed: Normal"])
        self.assertEqual(t.results[0].yaml, [])
        # A crash can cut a block short: the next TAP line still counts.
        t = parse("TAP version 14\n1..2\nnot ok 1 - a\n  ---\n  regs: x\nok 2 - b\n"
                  "# summary: 1 passed, 1 failed, 0 skipped\n# exit: status=1\n")
        self.assertEqual(t.results[0].yaml, ["regs: x"])
        self.assertEqual(len(t.results), 2)
        self.assertEqual(t.problems(), [])

    def test_incomplete_streams(self):
        def problems(text):
            return " | ".join(parse(text).problems())
        self.assertIn("no TAP output", problems("firmware only\n"))
        self.assertIn("no plan line", problems("TAP version 14\nok 1 - a\n"))
        crash = problems("TAP version 14\n1..3\nok 1 - a\n")
        self.assertIn("only 1 of 3 planned results (the last was 1 a)", crash)
        self.assertIn("no summary line", crash)
        self.assertIn("3 results but the plan is 1..2",
                      problems("TAP version 14\n1..2\nok 1 - a\nok 2 - b\nok 3 - c\n"
                               "# summary: 3 passed, 0 failed, 0 skipped\n"))
        self.assertIn("the summary says 2 passed, 0 failed, 0 skipped but the results are "
                      "1 passed, 0 failed, 0 skipped",
                      problems("TAP version 14\n1..1\nok 1 - a\n"
                               "# summary: 2 passed, 0 failed, 0 skipped\n"))
        self.assertIn("bail out: cpu 1: nested exception",
                      problems("TAP version 14\n1..2\nBail out! cpu 1: nested exception\n"))
        self.assertIn("test number 3 where 2 was expected",
                      problems("TAP version 14\n1..2\nok 1 - a\nok 3 - b\n"
                               "# summary: 2 passed, 0 failed, 0 skipped\n"))
        self.assertIn("restarted", problems(GOOD_TAP + "TAP version 14\n"))
        self.assertIn("1 missing", problems("TAP version 14\n1..1\nok 1 - a\n"
                                            "# summary: 1 passed, 0 failed, 0 skipped, 1 missing\n"))
        self.assertIn("1 unplanned", problems("TAP version 14\n1..1\nok 1 - a\n"
                                              "# summary: 1 passed, 0 failed, 0 skipped, "
                                              "1 unplanned\n"))
        # The image's own words for a short run parse, and agree with the results.
        t = parse("TAP version 14\n1..3\nok 1 - a\nok 2 - b # SKIP x\n"
                  "# summary: 1 passed, 0 failed, 1 skipped, 1 missing\n")
        self.assertEqual(t.summary, (1, 0, 1, 1, "missing"))
        self.assertEqual(t.problems(), ["only 2 of 3 planned results (the last was 2 b)",
                                        "no '# exit:' line after the summary"])

    def test_the_exit_line_is_required(self):
        t = parse("TAP version 14\n1..1\nok 1 - a\n# summary: 1 passed, 0 failed, 0 skipped\n")
        self.assertEqual(t.problems(), ["no '# exit:' line after the summary"])

    def test_a_todo_is_a_failure_from_an_smp_image(self):
        text = ("TAP version 14\n# orderly 0.1 arch=fake smp=%s\n1..1\nnot ok 1 - a # TODO up\n"
                "# summary: 0 passed, 0 failed, 1 skipped\n# exit: status=0\n")
        self.assertEqual([r.name for r in parse(text % "y").failures()], ["a"])
        self.assertEqual(parse(text % "n").failures(), [])

    def test_plan_at_the_end_is_fine(self):
        t = parse("TAP version 14\nok 1 - a\nok - b\n1..2\n# summary: 2 passed, 0 failed, 0 skipped\n"
                  "# exit: status=0\n")
        self.assertEqual(t.problems(), [])
        self.assertEqual([r.number for r in t.results], [1, 2])

    def test_a_result_takes_the_host_time_since_the_line_before_its_test(self):
        # (time, line): the header does not count, a YAML block counts to the next test.
        timed = [(1.0, "TAP version 14"), (2.0, "# orderly 0.1"), (4.0, "1..3"),
                 (4.5, "ok 1 - a"), (5.0, "  ---"), (5.5, "  ..."), (7.0, "not ok 2 - b"),
                 (7.25, "ok 3 - c # SKIP no"), (9.0, "# summary: 1 passed, 1 failed, 1 skipped")]
        now = [0.0]
        t = TapStream(clock=lambda: now[0])
        for now[0], line in timed:
            t.feed(line)
        self.assertEqual([r.seconds for r in t.results], [0.5, 2.5, 0.25])


# -- verdict rules ----------------------------------------------------------------

class VerdictTest(unittest.TestCase):
    def outcome(self, text, status=0):
        out = verdict.Outcome("plat", "SMP=2")
        out.tap = parse(text)
        out.qemu_status = status
        verdict.judge(out)
        return out

    def test_classes(self):
        self.assertEqual(self.outcome(GOOD_TAP).cls, verdict.PASS)
        self.assertEqual(self.outcome(FAILING_TAP, 1).cls, verdict.TEST_FAILED)
        # Some platforms can only exit 0: the UART decides.
        self.assertEqual(self.outcome(FAILING_TAP, 0).cls, verdict.TEST_FAILED)
        out = self.outcome(GOOD_TAP, 3)
        self.assertEqual((out.cls, out.reason),
                         (verdict.CRASH, "qemu exit status 3 but TAP says all passed"))
        out = self.outcome(GOOD_TAP.replace("status=0", "status=1"))
        self.assertEqual(out.cls, verdict.CRASH)
        out = self.outcome("qemu-system-x: cannot load\n", 1)
        self.assertEqual(out.cls, verdict.QEMU_ERROR)
        self.assertEqual(self.outcome("no tap at all\n", 0).cls, verdict.CRASH)

    def test_failure_then_crash_reports_both(self):
        out = self.outcome("TAP version 14\n1..3\nnot ok 1 - a\nok 2 - b\n", 0)
        self.assertEqual(out.cls, verdict.CRASH)
        self.assertIn("1 failed: 1 a", out.reason)
        self.assertIn("only 2 of 3", out.reason)

    def test_verdict_line(self):
        out = self.outcome(FAILING_TAP, 1)
        self.assertEqual(verdict.verdict_line(out),
                         "orderly-run: FAIL plat [SMP=2]: 1 failed: 2 mmu/attributes")


# -- whole runs against fake QEMUs ----------------------------------------------------

FAKE_HEADER = """\
#!%s
import os, sys, time
def say(text):
    sys.stdout.write(text)
    sys.stdout.flush()
""" % sys.executable


class FakeQemuCase(unittest.TestCase):
    """End to end: the runner, a platform.mk in a temp dir, a fake QEMU."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="orderly-test-")
        self.addCleanup(shutil.rmtree, self.dir)
        self.kernel = os.path.join(self.dir, "orderly.bin")
        write(self.kernel, "image")
        self.pdir = os.path.join(self.dir, "fakeplat")
        os.mkdir(self.pdir)

    def fake(self, body, extra="", name="fake-qemu"):
        """A platform whose QEMU is a Python script running `body`."""
        qemu = os.path.join(self.dir, name)
        write(qemu, FAKE_HEADER + textwrap.dedent(body), 0o755)
        write(os.path.join(self.pdir, "platform.mk"), textwrap.dedent("""\
            QEMU := %s
            SMP ?= 2
            QEMU_ARGS = -smp $(SMP) -kernel $(KERNEL) -append "$(BOOTARGS)"
            CHECK_VARIANTS := default SMP=4
            """) % qemu + textwrap.dedent(extra))
        return qemu

    def printing(self, text, status=0, extra=""):
        """A fake QEMU that prints text and exits with status."""
        return self.fake("say(%r)\nsys.exit(%d)\n" % (text, status), extra)

    def run_runner(self, *args, kernel=True, quiet=True):
        cmd = [RUNNER, "--platform", self.pdir]
        cmd += ["--kernel", self.kernel] if kernel else []
        cmd += ["--quiet"] if quiet else []
        r = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=30,
                           stdin=subprocess.DEVNULL)
        self.last = r.stderr.rstrip("\n").splitlines()[-1] if r.stderr.strip() else ""
        return r

    def assertVerdict(self, r, code, *words):
        self.assertEqual(r.returncode, code, r.stdout + r.stderr)
        self.assertTrue(self.last.startswith("orderly-run: "), self.last)
        for word in words:
            self.assertIn(word, self.last)

    def junit(self, path):
        return ET.parse(path).getroot()

    def start_runner(self, *args):
        """The runner in the background (stop-signal tests)."""
        proc = subprocess.Popen([RUNNER, "--platform", self.pdir, "--kernel", self.kernel,
                                 "--quiet"] + list(args), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                # a killed runner's run directory goes with the test's
                                env=dict(os.environ, TMPDIR=self.dir))
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc


def wait_for(what, within=10.0):
    """Poll what() until it is true; fails the test after `within` seconds."""
    deadline = time.monotonic() + within
    while not what():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting for %s" % what.__doc__)
        time.sleep(0.02)


def read_pids(path):
    try:
        with open(path) as f:
            return [int(word) for word in f.read().split()]
    except FileNotFoundError:
        return []



class RunnerTest(FakeQemuCase):
    # -- the verdict classes --
    def test_pass_with_junit_and_echo(self):
        self.printing(GOOD_TAP + "# a last line without a newline")
        xml = os.path.join(self.dir, "r.xml")
        r = self.run_runner("--junit", xml, quiet=False)
        self.assertVerdict(r, 0, "orderly-run: PASS fakeplat: 1 passed, 0 failed, 1 skipped in ")
        self.assertIn("OpenSBI v1.1 banner\nTAP version 14\n", r.stdout)
        self.assertIn("# a last line without a newline\n", r.stdout)
        root = self.junit(xml)
        suite = root.find("testsuite")
        self.assertEqual(suite.get("name"), "fakeplat")
        self.assertEqual((suite.get("tests"), suite.get("failures"), suite.get("skipped")),
                         ("2", "0", "1"))
        self.assertEqual([c.get("name") for c in suite.iter("testcase")],
                         ["smp/online", "irq/ipi"])
        for case in suite.iter("testcase"):
            self.assertGreaterEqual(float(case.get("time")), 0)
        self.assertEqual(suite.find("testcase/skipped").get("message"), "SKIP needs 4 cpus")
        self.assertIn("TAP version 14", suite.find("system-out").text)

    def test_failing_test(self):
        self.printing(FAILING_TAP, status=1)
        xml = os.path.join(self.dir, "f.xml")
        r = self.run_runner("--junit", xml)
        self.assertVerdict(r, 1, "orderly-run: FAIL fakeplat: 1 failed: 2 mmu/attributes")
        self.assertIn("not ok 2 - mmu/attributes # 1 wrong mapping", r.stderr)
        self.assertIn("observed: Normal", r.stderr)
        self.assertEqual(r.stdout, "")    # --quiet
        cases = self.junit(xml).findall("testsuite/testcase")
        self.assertEqual([c.get("name") for c in cases], ["smp/online", "mmu/attributes"])
        failure = cases[1].find("failure")
        self.assertEqual(failure.get("message"), "1 wrong mapping")
        self.assertEqual(failure.text, "expected: Device-nGnRnE\nobserved: Normal")

    def test_crash_mid_run(self):
        self.printing("TAP version 14\n1..3\nok 1 - smp/online\nSynchronous Abort at 0x4020\n")
        xml = os.path.join(self.dir, "c.xml")
        r = self.run_runner("--junit", xml)
        self.assertVerdict(r, 2, "only 1 of 3 planned results", "no summary line")
        self.assertIn("Synchronous Abort", r.stderr)   # the tail of a quiet run is shown
        run = [c for c in self.junit(xml).iter("testcase") if c.get("name") == "run"]
        self.assertEqual(len(run), 1)
        self.assertEqual(run[0].find("failure").get("type"), "crash")

    def test_exit_status_3_with_all_ok(self):
        self.printing(GOOD_TAP, status=3)
        r = self.run_runner()
        self.assertVerdict(r, 2, "qemu exit status 3 but TAP says all passed")

    def test_idle_timeout_ends_the_whole_process_group(self):
        pidfile = os.path.join(self.dir, "pids")
        self.fake("""\
            import subprocess
            child = subprocess.Popen(["sleep", "30"])
            open(%r, "w").write("%%d %%d" %% (os.getpid(), child.pid))
            say("TAP version 14\\n1..2\\nok 1 - smp/online\\npartial")
            time.sleep(30)
            """ % pidfile)
        r = self.run_runner("--idle-timeout", "0.5")
        self.assertVerdict(r, 3, "no output for 0.5s (last line: partial)")
        with open(pidfile) as f:
            pids = [int(word) for word in f.read().split()]
        for pid in pids:
            self.assertTrue(process_gone(pid), "pid %d survived" % pid)

    def test_whole_run_timeout(self):
        self.fake("""\
            while True:
                say("tick\\n")
                time.sleep(0.05)
            """)
        start = time.monotonic()
        r = self.run_runner("--timeout", "1", "--idle-timeout", "5", quiet=False)
        self.assertVerdict(r, 3, "orderly-run: FAIL fakeplat: timeout after 1s")
        self.assertLess(time.monotonic() - start, 5)
        self.assertIn("tick\ntick\n", r.stdout)

    def test_timeouts_default_from_the_platform(self):
        self.fake("time.sleep(30)\n", extra="IDLE_TIMEOUT := 0.3\n")
        r = self.run_runner()
        self.assertVerdict(r, 3, "no output for 0.3s (last line: (none))")

    def test_qemu_error_before_tap(self):
        self.fake("""\
            sys.stderr.write("qemu-system-fake: -kernel x: could not load kernel\\n")
            sys.exit(1)
            """)
        xml = os.path.join(self.dir, "e.xml")
        r = self.run_runner("--junit", xml)
        self.assertVerdict(r, 4, "qemu exited with status 1 before TAP began",
                           "could not load kernel")
        self.assertEqual(self.junit(xml).find("testsuite/testcase/failure").get("type"),
                         "qemu-error")

    def test_qemu_not_installed(self):
        qemu = self.printing(GOOD_TAP)
        os.remove(qemu)
        r = self.run_runner()
        self.assertVerdict(r, 4, "fake-qemu not found; run `make deps`")

    def test_qemu_dir_runs_the_qemu_under_test_and_names_a_missing_one(self):
        qemu = self.printing(GOOD_TAP)
        qdir = os.path.join(self.dir, "qemu-build")
        os.mkdir(qdir)
        r = self.run_runner("--qemu-dir", qdir)
        self.assertVerdict(r, 5, "QEMU_DIR %s has no fake-qemu, which fakeplat needs" % qdir)
        os.symlink(qemu, os.path.join(qdir, "fake-qemu"))
        log = os.path.join(self.dir, "q.log")
        self.assertVerdict(self.run_runner("--qemu-dir", qdir, "--log", log), 0, "PASS")
        with open(log) as f:
            self.assertIn("# orderly-run: qemu: %s/fake-qemu" % qdir, f.readline())

    def test_a_grandchild_holding_the_pipes_does_not_hang_the_run(self):
        self.fake("""\
            import subprocess
            subprocess.Popen(["sleep", "30"])    # inherits stdout and stderr
            say(%r)
            """ % GOOD_TAP)
        start = time.monotonic()
        r = self.run_runner("--idle-timeout", "20")
        self.assertVerdict(r, 0, "PASS")
        self.assertLess(time.monotonic() - start, 10)

    def test_a_run_that_selects_no_test_is_not_a_pass(self):
        self.printing("# warning: bootargs: tests=nothing/* selects no test (ignored)\n"
                      "TAP version 14\n1..0\n# summary: 0 passed, 0 failed, 0 skipped\n"
                      "# exit: status=0\n")
        xml = os.path.join(self.dir, "n.xml")
        r = self.run_runner("--junit", xml)
        self.assertVerdict(r, 6, "orderly-run: FAIL fakeplat: nothing tested: the plan is 1..0; "
                                 "bootargs: tests=nothing/* selects no test (ignored)")
        self.assertEqual(self.junit(xml).find("testsuite/testcase/failure").get("type"),
                         "nothing-tested")
        r = self.run_runner("--expect-fail")     # not the failure a negative control wants
        self.assertVerdict(r, 1, "expected a test failure or a crash, got a nothing tested")
        # A listing asks for no test: TAP 14's skip-all plan.
        self.printing("# test: smp/online\nTAP version 14\n1..0 # SKIP list: tests listed\n"
                      "# summary: 0 passed, 0 failed, 0 skipped\n# exit: status=0\n")
        r = self.run_runner()
        self.assertVerdict(r, 0, "orderly-run: PASS fakeplat: no test run, as asked: list: "
                                 "tests listed")

    def test_junit_testcases_carry_the_time_their_results_took_to_arrive(self):
        self.fake("""\
            say("TAP version 14\\n1..2\\n")
            time.sleep(0.4)
            say("ok 1 - slow\\n")
            say("ok 2 - fast\\n# summary: 2 passed, 0 failed, 0 skipped\\n# exit: status=0\\n")
            """)
        xml = os.path.join(self.dir, "t.xml")
        self.assertVerdict(self.run_runner("--junit", xml), 0, "PASS")
        slow, fast = (float(c.get("time")) for c in self.junit(xml).iter("testcase"))
        self.assertGreaterEqual(slow, 0.4)
        self.assertLess(fast, 0.2)

    def test_output_that_is_not_xml_safe(self):
        self.printing(GOOD_TAP.replace("banner", "\x1b[0m\x00\x07 banner"))
        xml = os.path.join(self.dir, "x.xml")
        self.assertVerdict(self.run_runner("--junit", xml), 0, "PASS")
        self.assertIn("\\x1b[0m\\x00\\x07 banner", self.junit(xml).find(".//system-out").text)

    # -- PREPARE, WORKDIR, dry run --
    def test_prepare_runs_first_in_the_source_tree(self):
        # PREPARE puts the TAP and its cwd into WORKDIR; the fake prints them.
        source = os.path.join(self.dir, "canned.tap")
        write(source, GOOD_TAP)
        self.fake("""\
            tap, cwd = sys.argv[1:]
            say(open(tap).read() + "# cwd " + open(cwd).read())
            """, extra="""\
            PREPARE = cp %s $(WORKDIR)/tap && pwd > $(WORKDIR)/cwd
            QEMU_ARGS = $(WORKDIR)/tap $(WORKDIR)/cwd
            """ % source)
        r = self.run_runner(quiet=False)
        self.assertVerdict(r, 0, "PASS fakeplat: 1 passed")
        self.assertIn("# cwd %s\n" % SRCDIR, r.stdout)

    def test_prepare_failure(self):
        self.printing(GOOD_TAP, extra="PREPARE := echo making the disk; exit 7\n")
        r = self.run_runner()
        self.assertVerdict(r, 4, "PREPARE failed with exit status 7")
        self.assertIn("making the disk", r.stderr)

    def test_prepare_counts_against_the_timeout(self):
        self.printing(GOOD_TAP, extra="PREPARE := echo building; sleep 30\n")
        start = time.monotonic()
        r = self.run_runner("--timeout", "0.5")
        self.assertVerdict(r, 3, "timeout after 0.5s (PREPARE had not finished)")
        self.assertIn("building", r.stderr)
        self.assertLess(time.monotonic() - start, 5)

    def test_dry_run(self):
        self.printing(GOOD_TAP, extra="PREPARE := echo prep\n")
        r = self.run_runner("--dry-run", "SMP=8", "--bootargs", "tests=smp/* seed=1 $(SMP)$$")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "(cd %s && echo prep)" % shlex.quote(SRCDIR))
        self.assertEqual(shlex.split(lines[-1])[1:],
                         ["-smp", "8", "-kernel", self.kernel, "-append",
                          "tests=smp/* seed=1 $(SMP)$$"])

    # -- usage errors --
    def test_usage_errors(self):
        self.printing(GOOD_TAP)
        cases = [
            (["--kernel", os.path.join(self.dir, "missing.bin")], "does not exist"),
            (["--kernel", self.kernel, "not-an-override"], "not KEY=VALUE"),
            (["--kernel", self.kernel, "--no-such-option"], "unrecognized"),
            (["--kernel", self.kernel, "--timeout", "soon"], "not a number"),
        ]
        for args, words in cases:
            with self.subTest(args=args):
                r = self.run_runner(*args, kernel=False)
                self.assertEqual(r.returncode, 5, r.stderr)
                self.assertIn(words, r.stderr)
        r = subprocess.run([RUNNER, "--platform", os.path.join(self.dir, "nowhere"),
                            "--kernel", self.kernel], capture_output=True, text=True)
        self.assertEqual(r.returncode, 5)
        self.assertIn("not a platform directory", r.stderr)

    def test_platform_make_cannot_read(self):
        self.printing(GOOD_TAP, extra="this is not make\n")
        r = self.run_runner()
        self.assertEqual(r.returncode, 5)
        self.assertIn("usage error: cannot read %s/platform.mk: " % self.pdir, r.stderr)
        self.assertIn("platform.mk:5: *** missing separator.  Stop.", r.stderr)

    def test_make_not_installed(self):
        # A PATH with python3 but no make.
        bin_dir = os.path.join(self.dir, "bin")
        os.mkdir(bin_dir)
        os.symlink(sys.executable, os.path.join(bin_dir, "python3"))
        self.printing(GOOD_TAP)
        r = subprocess.run([RUNNER, "--platform", self.pdir, "--kernel", self.kernel],
                           capture_output=True, text=True, env={"PATH": bin_dir})
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("`make` not found on PATH", r.stderr)

    def test_the_callers_environment_does_not_reach_platform_mk(self):
        # As under `make check PLATFORM=x BOOTARGS=y` with SMP exported.
        self.printing(GOOD_TAP)
        env = dict(os.environ, SMP="7", MAKEFLAGS="s -- SMP=9 BOOTARGS=leaked PLATFORM=x",
                   MAKELEVEL="1", MFLAGS="-s")
        r = subprocess.run([RUNNER, "--platform", self.pdir, "--kernel", self.kernel,
                            "--dry-run", "--bootargs", "mine"],
                           capture_output=True, text=True, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(shlex.split(r.stdout.splitlines()[-1])[1:],
                         ["-smp", "2", "-kernel", self.kernel, "-append", "mine"])

    def test_help(self):
        r = subprocess.run([RUNNER, "--help"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        for code in range(7):
            self.assertIn("\n  %d  " % code, r.stdout)
        self.assertIn("\n  128+N  stopped by signal N", r.stdout)

    # -- negative controls --
    def test_expect_fail(self):
        self.printing(FAILING_TAP, status=1)
        r = self.run_runner("--expect-fail", "--expect-pattern", r"^not ok \d+ - mmu/",
                            "--expect-pattern", "^# summary:")
        self.assertVerdict(r, 0, "PASS fakeplat (negative control): failed as expected")
        self.assertIn("expected: a test failure or a crash", r.stderr)
        r = self.run_runner("--expect-fail", "--expect-pattern", "never printed")
        self.assertVerdict(r, 1, "no output line matches /never printed/")

    def test_expect_fail_accepts_a_crash(self):
        self.printing("TAP version 14\n1..2\nok 1 - a\n")
        self.assertVerdict(self.run_runner("--expect-fail"), 0, "failed as expected")

    def test_expect_fail_rejects_a_pass_and_other_failures(self):
        self.printing(GOOD_TAP)
        r = self.run_runner("--expect-fail")
        self.assertVerdict(r, 1, "expected a failure, but the run passed")
        self.fake("sys.stderr.write('qemu: no\\n'); sys.exit(1)\n")
        r = self.run_runner("--expect-fail")
        self.assertVerdict(r, 1, "expected a test failure or a crash, got a QEMU error")

    def test_expect_pattern_on_a_run_that_must_pass(self):
        self.printing(GOOD_TAP)
        r = self.run_runner("--expect-pattern", r"^ok \d+ - irq/ipi # SKIP")
        self.assertVerdict(r, 0, "PASS fakeplat (expected output): passed, and every pattern "
                                 "matched")
        r = self.run_runner("--expect-pattern", "never printed")
        self.assertVerdict(r, 1, "FAIL fakeplat (expected output): no output line matches "
                                 "/never printed/")
        self.printing(FAILING_TAP, status=1)
        r = self.run_runner("--expect-pattern", "mmu/attributes")
        self.assertVerdict(r, 1, "expected a pass, got: test failures")

    # -- variants --
    def test_variants(self):
        # Fails only with -smp 4, and says which arguments it got.
        self.fake("""\
            sys.stderr.write("args: " + " ".join(sys.argv[1:]) + "\\n")
            if "4" in sys.argv:
                say(%r)
                sys.exit(1)
            say(%r)
            """ % (FAILING_TAP, GOOD_TAP))
        xml, log = os.path.join(self.dir, "v.xml"), os.path.join(self.dir, "v.log")
        r = self.run_runner("--variants", "--junit", xml, "--log", log)
        self.assertVerdict(r, 1, "orderly-run: FAIL fakeplat: 1 of 2 variants failed: SMP=4 (FAIL)")
        self.assertIn("orderly-run: PASS fakeplat [default]: 1 passed", r.stderr)
        self.assertIn("orderly-run: FAIL fakeplat [SMP=4]: 1 failed: 2 mmu/attributes", r.stderr)
        table = r.stderr.splitlines()[-4:-1]
        self.assertEqual(table[0].split(), ["variant", "result", "passed", "failed", "skipped",
                                            "seconds"])
        self.assertEqual(table[2].split()[:5], ["SMP=4", "FAIL", "1", "1", "0"])
        suites = self.junit(xml).findall("testsuite")
        self.assertEqual([s.get("name") for s in suites], ["fakeplat [default]", "fakeplat [SMP=4]"])
        with open(log) as f:
            text = f.read()
        self.assertIn("args: -smp 2", text)
        self.assertIn("args: -smp 4", text)

    def test_list_variants(self):
        self.printing(GOOD_TAP)
        r = self.run_runner("--list-variants", kernel=False)
        self.assertEqual((r.returncode, r.stdout), (0, "default\nSMP=4\n"))

    # -- stop signals and the runner's own death --
    def sleeping_after_one_result(self, pidfile):
        self.fake("""\
            open(%r, "w").write("%%d" %% os.getpid())
            say("TAP version 14\\n1..3\\nok 1 - smp/online\\n")
            time.sleep(30)
            """ % pidfile)

    def test_a_stop_signal_ends_qemu_and_keeps_what_arrived(self):
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGINT):
            with self.subTest(signal=sig.name):
                pidfile, xml, log = (os.path.join(self.dir, "%s.%s" % (sig.name, ext))
                                     for ext in ("pid", "xml", "log"))
                self.sleeping_after_one_result(pidfile)
                proc = self.start_runner("--junit", xml, "--log", log)

                def result_logged():
                    """the first result in the log"""
                    with open(log) if os.path.exists(log) else open(os.devnull) as f:
                        return "ok 1 - smp/online" in f.read()
                wait_for(result_logged)
                proc.send_signal(sig)                 # to the runner alone
                _, err = proc.communicate(timeout=10)
                self.assertEqual(proc.returncode, 128 + sig, err)
                self.assertEqual(err.splitlines()[-1], "orderly-run: interrupted by " + sig.name)
                self.assertIn("orderly-run: FAIL fakeplat: interrupted by %s; 1 of 3 planned "
                              "results arrived" % sig.name, err)
                self.assertTrue(process_gone(read_pids(pidfile)[0]), "QEMU survived")
                suite = self.junit(xml).find("testsuite")
                self.assertEqual([c.get("name") for c in suite.iter("testcase")],
                                 ["smp/online", "run"])
                self.assertEqual(suite.find("testcase/failure").get("type"), "interrupted")
                self.assertEqual(suite.find("properties/property[@name='interrupted']")
                                 .get("value"), sig.name)
                self.assertEqual(glob.glob(os.path.join(self.dir, ".%s.xml.*" % sig.name)), [])
                with open(log) as f:
                    self.assertEqual(f.read().splitlines()[-1],
                                     "# orderly-run: interrupted by " + sig.name)

    def test_a_stop_signal_during_prepare_ends_it_all(self):
        pidfile = os.path.join(self.dir, "pids")
        self.printing(GOOD_TAP, extra="PREPARE := sleep 30 & echo $$$$ $$! > %s; wait\n"
                      % pidfile)
        proc = self.start_runner("--variants")

        def prepare_running():
            """PREPARE's shell and its sleep"""
            return len(read_pids(pidfile)) == 2
        wait_for(prepare_running)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 128 + signal.SIGTERM, err)
        self.assertIn("FAIL fakeplat [default]: interrupted by SIGTERM\n", err)
        self.assertNotIn("[SMP=4]", err)       # the next variant does not start
        for pid in read_pids(pidfile):
            self.assertTrue(process_gone(pid), "pid %d survived" % pid)

    def test_children_start_from_the_main_thread_only(self):
        # PR_SET_PDEATHSIG fires when the forking thread ends, not the runner.
        if supervise.tied_to_runner() is None:
            self.skipTest("no prctl here")
        raised = []
        worker = threading.Thread(target=lambda: raised.append(
            self.assertRaises(RuntimeError, supervise.tied_to_runner)))
        worker.start()
        worker.join()
        self.assertEqual(len(raised), 1)

    def test_qemu_dies_with_a_killed_runner(self):
        pidfile = os.path.join(self.dir, "pid")
        self.sleeping_after_one_result(pidfile)
        proc = self.start_runner()

        def qemu_started():
            """the fake QEMU's pid"""
            return read_pids(pidfile)
        wait_for(qemu_started)
        proc.kill()                 # no chance to clean up
        proc.communicate(timeout=10)
        self.assertTrue(process_gone(read_pids(pidfile)[0]), "QEMU outlived the runner")

    # -- the terminal --
    def test_progress_line_on_a_terminal(self):
        self.fake("""\
            for line in %r.splitlines(True):
                say(line)
                time.sleep(0.02)
            """ % GOOD_TAP)
        master, slave = pty.openpty()
        proc = subprocess.Popen([RUNNER, "--platform", self.pdir, "--kernel", self.kernel],
                                stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:     # EIO: the runner closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        os.close(master)
        self.assertEqual(proc.wait(timeout=10), 0)
        text = seen.decode()
        self.assertIn("\r\x1b[K[  1/2] smp/online...", text)
        self.assertIn("orderly-run: PASS fakeplat", text.rstrip().splitlines()[-1])


# -- controls tables -------------------------------------------------------------

TABLE = """\
# a comment
[passes]
description = a passing run says what it must
expect = pass
bootargs = tests=smp/* seed=1
patterns =
    ^ok [0-9]+ - smp/online
    ^# summary: 1 passed

[fails]
description = a failing check fails the run
expect = fail
overrides = SMP=3 EXTRA="a b"
patterns =
    ^not ok [0-9]+ - $(REASON)
    args: -smp 3 .* a b$
"""


class ControlsTest(FakeQemuCase):
    def table(self, text=TABLE):
        path = os.path.join(self.dir, "controls.cfg")
        write(path, textwrap.dedent(text))
        return path

    def echoing(self, tap_for_args, extra=""):
        """A fake QEMU that says its arguments on stderr and prints the TAP
        tap_for_args(argv) returns (exit 1 if it has a 'not ok')."""
        self.fake("""\
            sys.stderr.write("args: " + " ".join(sys.argv[1:]) + "\\n")
            tap = (%s)(sys.argv[1:])
            say(tap)
            sys.exit(1 if "not ok" in tap else 0)
            """ % tap_for_args, extra="""\
            REASON := mmu/attr[a-z]+
            QEMU_ARGS = -smp $(SMP) -kernel $(KERNEL) -append "$(BOOTARGS)" $(EXTRA)
            """ + extra)

    # -- the table --
    def test_list_controls(self):
        self.printing(GOOD_TAP)
        r = self.run_runner("--controls", self.table(), "--list-controls", kernel=False)
        self.assertEqual((r.returncode, r.stdout), (0, (
            "passes\ta passing run says what it must\n"
            "fails\ta failing check fails the run\n")), r.stderr)

    def test_a_bad_row_is_a_usage_error_naming_file_line_and_row(self):
        good = "[ok]\ndescription = fine\nexpect = pass\n\n"
        cases = {
            "[r]\ndescription = d\nexpect = pass\npatern = x\n": "unknown key 'patern'",
            "[r]\ndescription = d\n": "expect must be fail, pass or reject, not ''",
            "[r]\ndescription = d\nexpect = reject\n": "expect = reject is for a device tree",
            "[r]\ndescription = d\nexpect = pass\nidle_timeout = soon\n": "idle_timeout must be",
            "[r]\ndescription = d\nexpect = maybe\n": "not 'maybe'",
            "[r]\nexpect = pass\n": "description (one line, no tabs) is required",
            "[r]\ndescription = d\nexpect = pass\npatterns =\n    (unclosed\n": "/(unclosed/",
            "[r]\ndescription = d\nexpect = pass\noverrides = SMP\n": "'SMP' is not KEY=VALUE",
            "[r]\ndescription = d\nexpect = pass\ndtb = add-gpu\n": "dtb must be one of",
            "[r]\ndescription = d\nexpect = pass\npatterns = $(DTB_NODE)\n": "no dtb = break-reg",
            "[r]\ndescription = d\nexpect = pass\nrepeat = a b\n": "repeat (two or more words)",
            "[r x]\ndescription = d\nexpect = pass\n": "a row name is letters",
            "[r]\ndescription = d\nexpect = pass\nqemu_exit = one\n": "qemu_exit must be an exit",
        }
        self.printing(GOOD_TAP)
        for bad, words in cases.items():
            with self.subTest(bad=bad):
                path = self.table(good + bad)
                r = self.run_runner("--controls", path, "--list-controls", kernel=False)
                self.assertEqual(r.returncode, 5, r.stderr)
                self.assertIn("usage error: %s:5: row [%s]: " % (path, bad[1:bad.index("]")]),
                              r.stderr)
                self.assertIn(words, r.stderr)
        # What configparser itself rejects carries its file and line.
        path = self.table(good + "[ok]\ndescription = again\n")
        r = self.run_runner("--controls", path, "--list-controls", kernel=False)
        self.assertEqual(r.returncode, 5)
        self.assertIn("While reading from '%s' [line 5]: section 'ok' already exists" % path,
                      r.stderr)
        r = self.run_runner("--controls", os.path.join(self.dir, "none.cfg"), "--list-controls")
        self.assertEqual(r.returncode, 5)
        self.assertIn("none.cfg: No such file or directory", r.stderr)

    def test_controls_and_options_that_would_contradict_a_row(self):
        self.printing(GOOD_TAP)
        for option in (["--variants"], ["--expect-fail"], ["--bootargs", "x"], ["--dry-run"]):
            with self.subTest(option=option):
                r = self.run_runner("--controls", self.table(), *option)
                self.assertEqual(r.returncode, 5, r.stderr)
                self.assertIn("not with --controls", r.stderr)
        r = self.run_runner("--control", "passes")
        self.assertEqual(r.returncode, 5)
        self.assertIn("need --controls TABLE", r.stderr)
        r = self.run_runner("--controls", self.table(), "--control", "nope")
        self.assertEqual(r.returncode, 5)
        self.assertIn("has no row nope; rows: passes fails", r.stderr)

    def test_the_trees_table_reads_and_every_platform_sets_its_variables(self):
        rows = controls.load(os.path.join(SRCDIR, "tests", "controls.cfg"))
        self.assertGreaterEqual(len(rows), 10)
        names = sorted({n for row in rows for n in row.variables()})
        self.assertIn("FAULT_REGS_PATTERN", names)
        for mk in sorted(glob.glob(os.path.join(SRCDIR, "platforms", "*", "platform.mk"))):
            values = print_vars(mk, names, {}, BUILTINS)
            for name in names:
                with self.subTest(platform=mk, name=name):
                    self.assertTrue(values[name].strip())
                    re.compile(values[name])

    # -- running rows --
    def test_a_pass_row(self):
        self.echoing("lambda argv: %r" % GOOD_TAP)
        r = self.run_runner("--controls", self.table(), "--control", "passes", quiet=False)
        self.assertVerdict(r, 0, "PASS fakeplat [passes] (control): passed, and every pattern "
                                 "matched")
        self.assertIn("/^# summary: 1 passed/ matched: # summary: 1 passed", r.stderr)
        self.assertIn("args: -smp 2 -kernel %s -append tests=smp/* seed=1" % self.kernel,
                      r.stderr)

    def test_a_must_fail_row_whose_pattern_is_missing_fails(self):
        # The run fails, but not for the reason the row names.
        self.echoing("lambda argv: %r" % FAILING_TAP.replace("mmu/attributes", "mmu/other"))
        r = self.run_runner("--controls", self.table(), "--control", "fails")
        self.assertVerdict(r, 1, "FAIL fakeplat [fails] (control): no output line matches "
                                 "/^not ok [0-9]+ - mmu/attr[a-z]+/")
        # The other pattern (the row's overrides reached QEMU) matched.
        self.assertIn("/args: -smp 3 .* a b$/ matched", r.stderr)

    def test_qemu_exit(self):
        # The fake exits 1 on a failing TAP: the exit device "worked".
        self.echoing("lambda argv: %r" % FAILING_TAP)
        for want, code, words in (("1", 0, "failed as expected"),
                                  ("3", 1, "QEMU exited with 1, the row wants 3")):
            with self.subTest(want=want):
                path = self.table(TABLE.replace("expect = fail", "expect = fail\nqemu_exit = " + want))
                r = self.run_runner("--controls", path, "--control", "fails")
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertIn(words, r.stderr)

    def test_a_must_fail_row_that_passes_fails(self):
        self.echoing("lambda argv: %r" % GOOD_TAP)
        r = self.run_runner("--controls", self.table(), "--control", "fails")
        self.assertVerdict(r, 1, "expected a failure, but the run passed")

    def test_platform_variables_in_patterns(self):
        # $(REASON) is the platform's, expanded by make, with the row's and
        # then the command line's overrides.
        self.echoing("lambda argv: %r" % FAILING_TAP)
        r = self.run_runner("--controls", self.table(), "--control", "fails")
        self.assertVerdict(r, 0, "PASS fakeplat [fails] (control): failed as expected")
        self.assertIn("/^not ok [0-9]+ - mmu/attr[a-z]+/ matched: not ok 2 - mmu/attributes",
                      r.stderr)
        r = self.run_runner("--controls", self.table(), "--control", "fails", "SMP=5",
                            quiet=False)
        self.assertVerdict(r, 1, "no output line matches /args: -smp 3 .* a b$/")
        self.assertIn("args: -smp 5 ", r.stderr)
        path = self.table(TABLE.replace("$(REASON)", "$(NOT_SET)"))
        r = self.run_runner("--controls", path, "--control", "fails")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("row [fails]: a pattern uses $(NOT_SET), which %s/platform.mk does not "
                      "set" % self.pdir, r.stderr)

    def test_every_row_and_the_overall_line(self):
        self.echoing("lambda argv: %r if '3' in argv else %r" % (FAILING_TAP, GOOD_TAP))
        xml = os.path.join(self.dir, "c.xml")
        r = self.run_runner("--controls", self.table(), "--junit", xml)
        self.assertVerdict(r, 0, "PASS fakeplat: 2 of 2 controls ended as their rows say")
        self.assertEqual([s.get("name") for s in self.junit(xml).findall("testsuite")],
                         ["fakeplat [passes]", "fakeplat [fails]"])
        self.echoing("lambda argv: %r" % GOOD_TAP)
        r = self.run_runner("--controls", self.table())
        self.assertVerdict(r, 1, "FAIL fakeplat: 1 of 2 controls did not end as their rows "
                                 "say: fails")

    def test_repeat_and_compare(self):
        table = self.table("""\
            [seed]
            description = the seed decides
            expect = pass
            bootargs = litmus.runs=10
            repeat = seed=1 seed=1 seed=2
            compare = ^  choices:
            """)
        tap = GOOD_TAP.replace("# summary", "  choices: %s\n# summary")
        self.echoing("lambda argv: %r %% argv[-1].split('seed=')[1]" % tap)
        r = self.run_runner("--controls", table, quiet=False)
        self.assertVerdict(r, 0, "PASS fakeplat [seed] (control): 3 runs as expected")
        self.assertIn("args: -smp 2 -kernel %s -append litmus.runs=10 seed=2" % self.kernel,
                      r.stderr)
        self.echoing("lambda argv: %r %% os.getpid()" % tap)     # not reproducible
        r = self.run_runner("--controls", table)
        self.assertVerdict(r, 1, "FAIL fakeplat [seed] (control): runs 1 and 2 (seed=1) differ")
        self.echoing("lambda argv: %r %% 7" % tap)                # seed ignored
        r = self.run_runner("--controls", table)
        self.assertVerdict(r, 1, "runs 1 (seed=1) and 3 (seed=2) print the same")

    @unittest.skipUnless(shutil.which("dtc"), "needs dtc (device-tree-compiler)")
    def test_a_device_tree_broken_on_purpose(self):
        # The fake dumps a small DTB for -machine dumpdtb=, and with -dtb
        # prints that tree's source as comments: the row sees what it booted.
        # (No /chosen: dtb-mutate.py adds one for the bootargs.)
        dts = textwrap.dedent("""\
            /dts-v1/;
            / {
            	#address-cells = <2>;
            	#size-cells = <2>;
            	memory@40000000 {
            		reg = <0x0 0x40000000 0x0 0x8000000>;
            	};
            	uart@9000000 {
            		reg = <0x0 0x9000000 0x0 0x1000>;
            	};
            };
            """)
        self.fake("""\
            import subprocess
            argv = sys.argv[1:]
            if "-machine" in argv:
                out = argv[argv.index("-machine") + 1].split("dumpdtb=")[1]
                subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out],
                               input=%r, text=True, check=True)
                sys.exit(0)
            dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts",
                                  argv[argv.index("-dtb") + 1]],
                                 capture_output=True, text=True, check=True).stdout
            say("".join("# dts: " + line + "\\n" for line in dts.splitlines()) + %r)
            """ % (dts, GOOD_TAP))
        table = self.table("""\
            [bad-reg]
            description = a device without a usable reg
            expect = pass
            overrides = SMP=2
            dtb = break-reg
            bootargs = skip=litmus/*
            patterns =
                ^# dts: 	$(DTB_NODE)@9000000 \\{
                ^# dts: 		reg = <0x00 0x9000000 0x00>;
                ^# dts: 		bootargs = "skip=litmus/\\*";
            """)
        log = os.path.join(self.dir, "dtb.log")
        r = self.run_runner("--controls", table, "--log", log)
        self.assertVerdict(r, 0, "PASS fakeplat [bad-reg] (control): passed, and every "
                                 "pattern matched")
        with open(log) as f:
            self.assertIn("after dtb-mutate.py break-reg: uart\n", f.read())
        # A QEMU that cannot dump its tree: the control fails and says so.
        self.printing(GOOD_TAP, status=0)
        self.fake("sys.stderr.write('no dumpdtb here\\n'); sys.exit(1)\n")
        r = self.run_runner("--controls", table)
        self.assertVerdict(r, 1, "expected a pass, got: QEMU error")
        self.assertIn("QEMU could not dump its device tree (exit status 1)", r.stderr)
        self.assertIn("no dumpdtb here", r.stderr)

    @unittest.skipUnless(shutil.which("dtc"), "needs dtc (device-tree-compiler)")
    def test_a_broken_blob_refused_or_hung_on_is_named(self):
        # dtb = bad-magic: the fake dumps a tree, then behaves as QEMU 7.2
        # does with the blob it is given (refuses it, or hangs on it).
        dump = """\
            import subprocess, time
            argv = sys.argv[1:]
            if "-machine" in argv:
                out = argv[argv.index("-machine") + 1].split("dumpdtb=")[1]
                subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out],
                               input="/dts-v1/;\\n/ {\\n};\\n", text=True, check=True)
                sys.exit(0)
            blob = open(argv[argv.index("-dtb") + 1], "rb").read()
"""
        dump = textwrap.dedent(dump)
        table = self.table("""\
            [magic]
            description = a byte-swapped magic is refused
            expect = reject
            dtb = bad-magic
            idle_timeout = 1
            patterns =
                ^\\# orderly-run: QEMU refused the device tree: .*FDT_ERR_BADMAGIC
            """)
        self.fake(dump + textwrap.dedent("""\
            if blob[:4] == bytes.fromhex("edfe0dd0"):
                sys.stderr.write("load_device_tree: FDT_ERR_BADMAGIC\\n")
                sys.exit(1)
            say(%r)
            """) % GOOD_TAP)
        r = self.run_runner("--controls", table)
        self.assertVerdict(r, 0, "PASS fakeplat [magic] (control): failed as expected: "
                                 "QEMU refused the device tree: load_device_tree: "
                                 "FDT_ERR_BADMAGIC")
        # A QEMU that takes the blob and boots: the row must fail.
        self.fake(dump + "say(%r)\n" % GOOD_TAP)
        r = self.run_runner("--controls", table)
        self.assertVerdict(r, 1, "expected a failure, but the run passed")
        # A QEMU that goes round for ever on it: named, and ended by the
        # row's idle_timeout (1 s), not the platform's.
        self.fake(dump + "time.sleep(20)\n")
        table = self.table("""\
            [hang]
            description = a loop hangs the loader
            expect = reject
            dtb = struct-loop
            idle_timeout = 1
            patterns =
                ^\\# orderly-run: QEMU or its firmware hung on the device tree: no output at all in 1s$
            """)
        r = self.run_runner("--controls", table)
        self.assertVerdict(r, 0, "PASS fakeplat [hang] (control): failed as expected: QEMU or "
                                 "its firmware hung on the device tree: no output at all in 1s")


class SoakTableTest(unittest.TestCase):
    """The soak table names failures with their seeds, and skips apart."""

    def _soak_run(self, lines, cls):
        o = verdict.Outcome("p", "")
        o.tap = TapStream()
        for line in lines:
            o.tap.feed(line)
        o.cls = cls
        o.seconds = 1.0
        return o

    def test_skips_and_failures_listed(self):
        a = self._soak_run(["TAP version 14", "1..2", "ok 1 - litmus/SB # SKIP could not establish concurrency",
                           "ok 2 - x/y"], verdict.PASS)
        b = self._soak_run(["TAP version 14", "1..2", "ok 1 - litmus/SB # allowed: seen 3 of 9",
                           "not ok 2 - x/y"], verdict.TEST_FAILED)
        lines = soak.table("p", [a, b], {id(a): 1, id(b): 2}, "")
        text = "\n".join(lines)
        self.assertIn("2 runs in 2.0 s: 1 passed, 1 failed", text)
        self.assertRegex(text, r"x/y +1  0x00000002")
        self.assertRegex(text, r"litmus/SB +1  could not establish concurrency")
        self.assertIn("replay: --bootargs 'seed=0x00000002'", text)


if __name__ == "__main__":
    unittest.main()
