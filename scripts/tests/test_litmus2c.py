"""Unit tests for scripts/litmus2c.py: the corpus translates, constructs
it does not support stop it with file:line and the construct's name."""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "scripts", "litmus2c.py")
API = ["include/barrier.h", "include/atomic.h", "include/bitops.h", "include/spinlock.h",
       "include/compiler.h", "include/io.h", "include/litmus.h", "arch/arm64/include/asm/barrier.h"]
LKMM = os.path.normpath(os.path.join(ROOT, "..", "shared", "litmus", "lkmm"))

SB = """\
C {name}

(*
 * Result: {result}
 *)

{{}}

P0(int *x, int *y)
{{
\tint r0;

\tWRITE_ONCE(*x, 1);
\t{body}
\tr0 = READ_ONCE(*y);
}}

P1(int *x, int *y)
{{
\tint r0;

\tWRITE_ONCE(*y, 1);
\tr0 = READ_ONCE(*x);
}}

{cond}
"""


def translate(*inputs):
    out = tempfile.mktemp(suffix=".c")
    args = [sys.executable, TOOL, "-o", out]
    for h in API:
        args += ["--api-header", os.path.join(ROOT, h)]
    p = subprocess.run(args + list(inputs), capture_output=True, text=True, cwd=ROOT)
    text = ""
    if p.returncode == 0:
        with open(out) as f:
            text = f.read()
        os.remove(out)
    return p, text


def litmus(d, name, **kw):
    path = os.path.join(d, name + ".litmus")
    fields = dict(name=name, result="Never", body="smp_mb();",
                  cond="exists (0:r0=0 /\\ 1:r0=0)")
    fields.update(kw)
    with open(path, "w") as f:
        f.write(SB.format(**fields))
    return path


class TranslatorTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def test_library_translates(self):
        p, text = translate(os.path.join(ROOT, "tests", "litmus", "library"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("litmus_ntests", text)

    @unittest.skipUnless(os.path.isdir(LKMM), "LKMM corpus not found beside the checkout")
    def test_lkmm_corpus_translates(self):
        p, text = translate(LKMM)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("const unsigned litmus_ntests = 35;", text)

    def test_unsupported_construct_names_file_and_line(self):
        path = litmus(self.dir, "SB+sync", body="synchronize_rcu();")
        p, _ = translate(path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("%s:14: unsupported construct 'synchronize_rcu'" % path, p.stderr)

    def test_loops_are_refused(self):
        p, _ = translate(litmus(self.dir, "SB+loop", body="while (READ_ONCE(*y) == 0) ;"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("unsupported construct 'while'", p.stderr)

    def test_missing_result_line(self):
        path = litmus(self.dir, "SB+noresult")
        with open(path) as f:
            text = f.read().replace("Result: Never", "")
        with open(path, "w") as f:
            f.write(text)
        p, _ = translate(path)
        self.assertIn("Result:", p.stderr)

    def test_condition_forms(self):
        for cond, want in (("~exists (0:r0=0 /\\ ~(1:r0=1 \\/ x=2))", "LT_NOT_EXISTS"),
                           ("forall (0:r0=1 \\/ 1:r0=1)", "LT_FORALL"),
                           ("filter (x=1) exists (0:r0=0)", "if (!((long)*(int *)lt_loc[0] == 1L))\n\t\treturn -1;")):
            p, text = translate(litmus(self.dir, "SB+c%d" % len(cond), cond=cond))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(want, text)

    def test_too_many_observed_values(self):
        # x, y and the two registers, then seven more locations: 9 in all
        more = ["z%d" % i for i in range(5)]
        path = litmus(self.dir, "SB+nine", cond="exists (0:r0=0 /\\ 1:r0=0 /\\ x=1 /\\ y=1 /\\ %s)"
                      % " /\\ ".join("%s=0" % v for v in more))
        with open(path) as f:
            text = f.read().replace("{}", "{ %s }" % " ".join("%s=0;" % v for v in more), 1)
        with open(path, "w") as f:
            f.write(text)
        p, _ = translate(path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("9 observed values: the histogram keeps at most 8", p.stderr)

    def test_unknown_register_in_condition(self):
        p, _ = translate(litmus(self.dir, "SB+badreg", cond="exists (0:r9=0)"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("r9 is not a register of P0", p.stderr)

    def test_duplicate_names(self):
        a = litmus(self.dir, "SB+dup")
        d2 = tempfile.mkdtemp()
        b = litmus(d2, "SB+dup")
        p, _ = translate(a, b)
        self.assertEqual(p.returncode, 1)
        self.assertIn("already defined", p.stderr)

    def test_smp_degraded_flag(self):
        _, text = translate(litmus(self.dir, "SB+smp", body="smp_mb();"))
        self.assertIn(".smp_degraded = true", text)
        _, text = translate(litmus(self.dir, "SB+virt", body="virt_mb();"))
        self.assertIn(".smp_degraded = false", text)


if __name__ == "__main__":
    unittest.main()
