"""Unit tests for scripts/orderly-run: the platform.mk evaluator, the TAP
parser, and whole runs against fake "QEMU" programs (no emulator needed)."""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(os.path.dirname(HERE), "orderly-run")
sys.path.insert(0, os.path.dirname(HERE))

from orderly_run.platform import Platform, PlatformError  # noqa: E402
from orderly_run.tap import TapParser, split_description  # noqa: E402

GOOD = """\
OpenSBI banner line
TAP version 14
# orderly 0.1 arch=test
1..2
ok 1 - smp/online # 2 of 2 cpus
ok 2 - irq/ipi # SKIP needs 2 cpus
# summary: 1 passed, 0 failed, 1 skipped
# exit: status=0
"""


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(textwrap.dedent(text))
    os.chmod(path, mode)


class EvaluatorTest(unittest.TestCase):
    def plat(self, text, overrides=None, builtins=None):
        d = tempfile.mkdtemp()
        write(os.path.join(d, "platform.mk"), text)
        return Platform(os.path.join(d, "platform.mk"), overrides, builtins)

    def test_flavours(self):
        p = self.plat("""\
            A := one
            B = $(A) two
            A := three
            C ?= c
            C ?= d
            # comment
            D := x \\
              y
            """)
        self.assertEqual(p.get("B"), "three two")   # recursive: expanded at use
        self.assertEqual(p.get("C"), "c")
        self.assertEqual(p.get("D"), "x    y")
        self.assertEqual(p.get("NOPE"), "")

    def test_nested_and_overrides(self):
        p = self.plat("""\
            BOOT ?= direct
            ARGS_direct = -kernel $(KERNEL)
            ARGS_uboot = -bios u.bin -kernel $(KERNEL)
            QEMU_ARGS = $(ARGS_$(BOOT)) -smp $(SMP)
            SMP := 4
            """, overrides={"BOOT": "uboot", "SMP": "8"}, builtins={"KERNEL": "/k"})
        self.assertEqual(p.get("QEMU_ARGS"), "-bios u.bin -kernel /k -smp 8")

    def test_errors_name_the_line(self):
        for bad in ("ifeq (a,b)\n", "A := $(shell ls)\n", "A := $X\n", "just words\n"):
            with self.assertRaises(PlatformError) as cm:
                self.plat("OK := 1\n" + bad)
            self.assertIn("platform.mk:2", str(cm.exception))

    def test_self_reference(self):
        p = self.plat("A = $(A)\n")
        with self.assertRaises(PlatformError):
            p.get("A")


class TapTest(unittest.TestCase):
    def parse(self, text):
        t = TapParser()
        for line in text.splitlines():
            t.feed(line)
        return t

    def test_good(self):
        t = self.parse(GOOD)
        self.assertIsNone(t.incomplete_reason())
        self.assertEqual(t.counts(), (1, 0, 1))

    def test_escapes_and_yaml(self):
        self.assertEqual(split_description(r"a\#b\\c # TODO x"), ("a#b\\c", "TODO x"))
        t = self.parse("TAP version 14\n1..1\nnot ok 1 - x # TODO later\n  ---\n  k: v\n  ...\n"
                       "# summary: 0 passed, 0 failed, 1 skipped\n")
        self.assertEqual(t.results[0].yaml, ["k: v"])
        self.assertFalse(t.failures())
        self.assertIsNone(t.incomplete_reason())

    def test_incomplete(self):
        self.assertIn("no TAP", self.parse("hello\n").incomplete_reason())
        self.assertIn("1 of 2", self.parse("TAP version 14\n1..2\nok 1 - a\n").incomplete_reason())
        self.assertIn("summary", self.parse("TAP version 14\n1..1\nok 1 - a\n").incomplete_reason())
        t = self.parse("TAP version 14\n1..1\nok 1 - a\n# summary: 2 passed, 0 failed, 0 skipped\n")
        self.assertIn("disagrees", t.incomplete_reason())
        self.assertIn("bail out", self.parse("TAP version 14\nBail out! boom\n").incomplete_reason())
        t = self.parse("TAP version 14\n1..2\nok 1 - a\nok 3 - b\n"
                       "# summary: 2 passed, 0 failed, 0 skipped\n")
        self.assertIn("out of sequence", t.incomplete_reason())


class RunnerTest(unittest.TestCase):
    """End to end, with a shell script standing in for QEMU."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.kernel = os.path.join(self.dir, "image.bin")
        write(self.kernel, "x")

    def fake(self, body, extra=""):
        qemu = os.path.join(self.dir, "fake-qemu")
        write(qemu, "#!/bin/sh\n" + body, 0o755)
        pdir = os.path.join(self.dir, "plat")
        os.makedirs(pdir, exist_ok=True)
        write(os.path.join(pdir, "platform.mk"),
              "QEMU := %s\nSMP ?= 2\nQEMU_ARGS = -smp $(SMP) -kernel $(KERNEL)\n"
              "CHECK_VARIANTS := default SMP=4\n%s" % (qemu, extra))
        return pdir

    def run_runner(self, pdir, *args):
        return subprocess.run([sys.executable, RUNNER, "--platform", pdir, "--kernel",
                               self.kernel, "--quiet"] + list(args),
                              capture_output=True, text=True, timeout=60)

    def test_pass_and_junit(self):
        pdir = self.fake("cat <<'X'\n%sX\n" % GOOD)
        xml = os.path.join(self.dir, "r.xml")
        r = self.run_runner(pdir, "--junit", xml)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("orderly-run: PASS plat", r.stderr)
        suite = ET.parse(xml).getroot().find("testsuite")
        self.assertEqual(suite.get("tests"), "2")
        self.assertIsNotNone(suite.find("testcase/skipped"))

    def test_failure(self):
        pdir = self.fake("cat <<'X'\nTAP version 14\n1..1\nnot ok 1 - mmu/attributes\n  ---\n"
                         "  failures: boom\n  ...\n# summary: 0 passed, 1 failed, 0 skipped\nX\nexit 1\n")
        xml = os.path.join(self.dir, "f.xml")
        r = self.run_runner(pdir, "--junit", xml)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("1 failed: 1 mmu/attributes", r.stderr)
        self.assertIn("failures: boom", r.stderr)
        self.assertIn("boom", ET.parse(xml).getroot().find("testsuite/testcase/failure").text)

    def test_crash_without_summary(self):
        pdir = self.fake("printf 'TAP version 14\\n1..3\\nok 1 - a\\n'\n")
        r = self.run_runner(pdir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("1 of 3 planned", r.stderr)

    def test_exit_status_disagrees(self):
        pdir = self.fake("cat <<'X'\n%sX\nexit 3\n" % GOOD)
        r = self.run_runner(pdir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("qemu exit status 3", r.stderr)

    def test_idle_timeout(self):
        pdir = self.fake("echo 'TAP version 14'\nsleep 30\n")
        r = self.run_runner(pdir, "--idle-timeout", "1")
        self.assertEqual(r.returncode, 3)
        self.assertIn("no output for 1s", r.stderr)

    def test_total_timeout(self):
        pdir = self.fake("while true; do echo tick; sleep 0.2; done\n")
        r = self.run_runner(pdir, "--timeout", "1.5")
        self.assertEqual(r.returncode, 3)
        self.assertIn("timeout after 1.5s", r.stderr)

    def test_qemu_error(self):
        pdir = self.fake("echo 'qemu: could not load kernel' >&2\nexit 1\n")
        r = self.run_runner(pdir)
        self.assertEqual(r.returncode, 4)
        self.assertIn("could not load kernel", r.stderr)

    def test_missing_qemu_and_usage(self):
        pdir = self.fake("true\n")
        os.remove(os.path.join(self.dir, "fake-qemu"))
        self.assertEqual(self.run_runner(pdir).returncode, 4)
        r = subprocess.run([sys.executable, RUNNER, "--platform", pdir, "--kernel", "/nonexistent"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 5)

    def test_expect_fail(self):
        pdir = self.fake("cat <<'X'\nTAP version 14\n1..1\nnot ok 1 - selftest/fail-demo\n"
                         "# summary: 0 passed, 1 failed, 0 skipped\nX\n")
        ok = self.run_runner(pdir, "--expect-fail", "--expect-pattern", "^not ok 1 - selftest")
        self.assertEqual(ok.returncode, 0, ok.stderr)
        miss = self.run_runner(pdir, "--expect-fail", "--expect-pattern", "never printed")
        self.assertEqual(miss.returncode, 1)
        good = self.fake("cat <<'X'\n%sX\n" % GOOD)
        self.assertEqual(self.run_runner(good, "--expect-fail").returncode, 1)

    def test_variants_and_overrides(self):
        pdir = self.fake("echo \"args: $*\" >&2\ncat <<'X'\n%sX\n" % GOOD)
        r = self.run_runner(pdir, "--variants", "--log", os.path.join(self.dir, "log"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.dir, "log")) as f:
            log = f.read()
        self.assertIn("-smp 2", log)
        self.assertIn("-smp 4", log)
        d = subprocess.run([sys.executable, RUNNER, "--platform", pdir, "--kernel", self.kernel,
                            "--dry-run", "SMP=8"], capture_output=True, text=True)
        self.assertIn("-smp 8", d.stdout)


if __name__ == "__main__":
    unittest.main()
