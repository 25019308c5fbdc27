"""Unit tests for scripts/litmus2c.py: the corpora translate (the project's
library and dialect corpus, the LKMM tests beside the checkout), each
construct of the herd7 dialect comes out as the engine needs it, each
rejection names the file, the line and the reason, nothing gets a Python
traceback, and the uniprocessor classification is what the headers do."""
import importlib.util
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "scripts", "litmus2c.py")
API = ["include/barrier.h", "include/atomic.h", "include/bitops.h", "include/spinlock.h",
       "include/compiler.h", "include/io.h", "include/litmus.h"]
ARCH_API = {a: API + ["arch/%s/include/asm/barrier.h" % a] for a in ("arm64", "riscv64", "ppc")}
LKMM = os.path.normpath(os.path.join(ROOT, "..", "shared", "litmus", "lkmm"))
LIBRARY = os.path.join(ROOT, "tests", "litmus", "library")
DIALECT = os.path.join(ROOT, "tests", "litmus", "dialect")


def load_module():
    spec = importlib.util.spec_from_file_location("litmus2c", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


L2C = load_module()


def translate(*inputs, arch="arm64", extra=()):
    """Run the translator as the build does (host gcc for the compile
    check); (process, generated text)."""
    fd, out = tempfile.mkstemp(suffix=".c")
    os.close(fd)
    args = [sys.executable, TOOL, "-o", out] + list(extra)
    for h in ARCH_API[arch]:
        args += ["--api-header", h]
    p = subprocess.run(args + list(inputs), capture_output=True, text=True, cwd=ROOT)
    text = ""
    if os.path.exists(out):
        with open(out) as f:
            text = f.read()
        os.remove(out)
    return p, text


def report(*inputs):
    args = [sys.executable, TOOL, "--report"]
    for h in ARCH_API["arm64"]:
        args += ["--api-header", h]
    return subprocess.run(args + list(inputs), capture_output=True, text=True, cwd=ROOT)


SB = """\
C {name}

(*
 * Result: {result}
 *)

{init}

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


def write(d, name, text):
    path = os.path.join(d, name + ".litmus")
    with open(path, "w") as f:
        f.write(text)
    return path


def sb(d, name, **kw):
    fields = dict(name=name, result="Never", init="{}", body="smp_mb();",
                  cond="exists (0:r0=0 /\\ 1:r0=0)")
    fields.update(kw)
    return write(d, name, SB.format(**fields))


def line_with(path, snippet):
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if snippet in line:
                return n
    raise AssertionError("%r not in %s" % (snippet, path))


def scratch_dir(test):
    """A directory of the test's own, gone after it: TMPDIR is the build
    directory's tmp/, where what a test leaves would pile up."""
    d = tempfile.mkdtemp(prefix="orderly-litmus2c-")
    test.addCleanup(shutil.rmtree, d, True)
    return d


class Corpora(unittest.TestCase):
    def check_all(self, directory, expect_n=None):
        files = sorted(f for f in os.listdir(directory) if f.endswith(".litmus"))
        p, text = translate(directory, extra=["--strict", directory])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("rejected", p.stderr)
        self.assertIn("const unsigned litmus_ntests = %d;" % len(files), text)
        if expect_n is not None:
            self.assertEqual(len(files), expect_n)
        return text

    def test_library_translates(self):
        self.check_all(LIBRARY)

    def test_dialect_corpus_translates(self):
        self.check_all(DIALECT)

    @unittest.skipUnless(os.path.isdir(LKMM), "LKMM corpus not found beside the checkout")
    def test_lkmm_corpus_translates(self):
        self.check_all(LKMM, expect_n=35)

    def test_every_arch_translates_the_corpora(self):
        for arch in ("riscv64", "ppc"):
            p, text = translate(LIBRARY, DIALECT, arch=arch)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertNotIn("rejected", p.stderr, arch)

    def test_report(self):
        d = scratch_dir(self)
        good = sb(d, "SB+good")
        bad = sb(d, "SB+bad", body="synchronize_sched();")
        p = report(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertIn("translated  %s" % good, lines)
        self.assertIn("rejected    %s:%d: P0: unsupported construct 'synchronize_sched': not in "
                      "the kernel API this image implements"
                      % (bad, line_with(bad, "synchronize_sched")), lines)
        self.assertEqual(lines[-1], "litmus-report: 1 of 2 translated, 1 rejected")


class Dialect(unittest.TestCase):
    """What the constructs of the dialect corpus become."""

    @classmethod
    def setUpClass(cls):
        p, cls.text = translate(DIALECT)
        assert p.returncode == 0, p.stderr
        cls.tests = {}
        for chunk in cls.text.split("/* ---- ")[1:]:
            cls.tests[chunk.split(" ", 1)[0]] = chunk

    def test_implicit_registers_are_int_and_zero(self):
        t = self.tests["dialect-implicit-registers"]
        self.assertEqual(t.count("\tint r0 = {0};"), 2)

    def test_declarations_are_hoisted(self):
        t = self.tests["dialect-declarations"]
        for decl in ("\tint r0 = {0};", "\tint r1 = {0};", "\tint *r2 = 0;", "\tint r3 = {0};",
                     "\tint r4 = {0};"):
            self.assertIn(decl, t)
        self.assertIn("(void)0, r1 = READ_ONCE(*x), (void)0;", t)
        self.assertIn("r3 = 5;", t)

    def test_return_stores_the_registers(self):
        t = self.tests["dialect-return"]
        self.assertIn("goto lt_exit;", t)
        self.assertNotIn("return;", t)
        self.assertIn("lt_exit: __attribute__((unused));\n\tlt_out[0] = (long)(r0);", t)

    def test_register_initialisation(self):
        t = self.tests["dialect-init-registers"]
        self.assertIn("\tint *r1 = (int *)lt_loc[0];", t)
        self.assertIn("\tint *r2 = (int *)lt_loc[1];", t)
        self.assertIn("\tint r3 = (int)5;", t)
        self.assertIn("\tint r4 = (int)-2;", t)

    def test_pointer_locations(self):
        t = self.tests["dialect-pointers"]
        self.assertIn('{ "p", sizeof(int *), sizeof(int *) }', t)
        self.assertIn('{ "q", sizeof(int *), sizeof(int *) }', t)
        self.assertIn("*(int * *)lt_loc[", t)

    def test_intptr_casts(self):
        t = self.tests["dialect-intptr"]
        self.assertIn("smp_store_release(p, (intptr_t)x);", t)
        self.assertIn("r1 = (int *)r0;", t)

    def test_atomics(self):
        t = self.tests["dialect-atomic-init"]
        self.assertIn("atomic_set((atomic_t *)lt_loc[0], 3);", t)
        self.assertIn("atomic_set((atomic_t *)lt_loc[1], -1);", t)
        self.assertIn("atomic_sub(4, (atomic_t *)n);", t)

    def test_arrays(self):
        t = self.tests["dialect-arrays"]
        self.assertIn('{ "a", sizeof(int) * 3, sizeof(int) }', t)
        self.assertIn("((int *)lt_loc[0])[2] = (int)3;", t)
        self.assertIn("(int *)&((int *)lt_loc[0])[2]", t)

    def test_locks_are_bounded(self):
        t = self.tests["dialect-lock-deadlocks-sometimes"]
        self.assertIn("LITMUS_SPIN_LOCK(l);", t)
        self.assertIn("return LITMUS_DEADLOCKED;", t)
        self.assertIn(".locks = true", t)

    def test_results(self):
        self.assertIn(".expect = LT_DEADLOCK", self.tests["dialect-deadlock"])
        self.assertIn(".quant = LT_FORALL", self.tests["dialect-deadlock"])
        self.assertIn(".expect = LT_UNSPECIFIED", self.tests["dialect-no-result"])
        self.assertIn(".expect = LT_UNSPECIFIED", self.tests["dialect-maybe"])
        h = self.tests["dialect-header"]
        self.assertIn(".expect = LT_SOMETIMES", h)
        self.assertIn(".datarace = true", h)

    def test_conditions(self):
        t = self.tests["dialect-conditions"]
        self.assertIn("return LITMUS_FILTERED;", t)
        self.assertIn(".quant = LT_FORALL", t)
        self.assertIn("(lt_r0[0] == lt_r0[0])", t)                 # 0:r0=0:r0
        self.assertIn("((long)*(int *)lt_loc[0] == (long)*(int *)lt_loc[1])", t)   # x=*y
        self.assertIn("16L", t)
        f = self.tests["dialect-filter"]
        self.assertIn(".quant = LT_NOT_EXISTS", f)
        self.assertIn("if (!(lt_r1[1] == 1L))", f)      # 1:r0, observed after 1:r1

    def test_grace_periods(self):
        t = self.tests["dialect-rcu"]
        self.assertIn("LITMUS_RCU_READ_LOCK(0);", t)
        self.assertIn("LITMUS_RCU_READ_UNLOCK(0);", t)
        self.assertIn("LITMUS_SYNCHRONIZE(0);", t)
        self.assertIn("int lt_nest[LITMUS_RCU_DOMAINS] = { 0 };", t)
        s = self.tests["dialect-srcu"]
        self.assertIn("j = LITMUS_SRCU_READ_LOCK(1);", s)
        self.assertIn("i = LITMUS_SRCU_READ_LOCK(2);", s)
        self.assertIn("LITMUS_RCU_READ_UNLOCK(2);", s)
        self.assertIn("LITMUS_SYNCHRONIZE(2);", s)
        self.assertIn("virt_mb();", s)
        # without a grace period rcu_read_lock() stays a marker
        self.assertIn("rcu_read_lock();", self.tests["dialect-pointers"])
        self.assertNotIn("lt_nest", self.tests["dialect-pointers"])

    def test_no_smp_degradation_for_virt_and_locks(self):
        self.assertIn(".smp_degraded = NULL", self.tests["dialect-lock-deadlocks-sometimes"])
        self.assertIn('.smp_degraded = "smp_mb()"', self.tests["dialect-implicit-registers"])
        self.assertIn('.smp_degraded = "set_mb()"', self.tests["dialect-barriers"])


class Rejections(unittest.TestCase):
    """Each rejection: the file, the line, the reason; the build goes on
    (the file becomes a test that skips saying why) unless --strict."""

    def setUp(self):
        self.dir = scratch_dir(self)

    def rejects(self, path, line, message):
        p, text = translate(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        want = "%s:%d: %s" % (path, line, message)
        self.assertIn("litmus2c: rejected: " + want, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        self.assertIn("test_skip(\"not translated: %s\", ", text)
        self.assertIn("const unsigned litmus_ntests = 0;", text)
        return p

    def test_unsupported_call(self):
        path = sb(self.dir, "SB+cb", body="call_rcu(0, 0);")
        self.rejects(path, line_with(path, "call_rcu"),
                     "P0: unsupported construct 'call_rcu': RCU callbacks are not run here")
        path = sb(self.dir, "SB+down", body="srcu_down_read(x);")
        self.rejects(path, line_with(path, "srcu_down_read"),
                     "P0: unsupported construct 'srcu_down_read': SRCU sections that another "
                     "thread ends are not supported")

    def test_unknown_call(self):
        path = sb(self.dir, "SB+nope", body="frobnicate(x);")
        self.rejects(path, line_with(path, "frobnicate"),
                     "P0: unsupported construct 'frobnicate': not in the kernel API this image "
                     "implements")

    def test_srcu_and_c11(self):
        path = write(self.dir, "SRCU", textwrap.dedent("""\
            C SRCU
            {}
            P0(int *x, struct srcu_struct *s)
            {
            \tint r0 = srcu_read_lock(x);
            }
            exists (x=1)
            """))
        self.rejects(path, 5, "P0: srcu_read_lock(x): x is int, not a struct srcu_struct")
        path = write(self.dir, "SRCU3", textwrap.dedent("""\
            C SRCU3
            {}
            P0(struct srcu_struct *a, struct srcu_struct *b, struct srcu_struct *c)
            {
            \tsynchronize_srcu(a);
            \tsynchronize_srcu(b);
            \tsynchronize_srcu(c);
            }
            """))
        self.rejects(path, 7, "P0: more than 2 srcu_structs")
        path = sb(self.dir, "C11", body="atomic_thread_fence(memory_order_seq_cst);")
        self.rejects(path, line_with(path, "atomic_thread_fence"),
                     "P0: unsupported construct 'atomic_thread_fence': C11 atomics")
        path = sb(self.dir, "IRQ", body="spin_lock_irqsave(x, r0);")
        self.rejects(path, line_with(path, "irqsave"),
                     "P0: unsupported construct 'spin_lock_irqsave': interrupt state")

    def test_loops(self):
        path = sb(self.dir, "SB+loop", body="while (READ_ONCE(*y) == 0) ;")
        self.rejects(path, line_with(path, "while"), "P0: 'while' loops are not run here")

    def test_return_with_a_value(self):
        path = sb(self.dir, "SB+ret", body="return 1;")
        self.rejects(path, line_with(path, "return"), "P0: 'return' with a value")

    def test_text_before_the_condition(self):
        path = sb(self.dir, "SB+junk", cond="hello exists (0:r0=0)")
        self.rejects(path, line_with(path, "hello"),
                     "unexpected 'hello' before the final condition")

    def test_text_after_the_condition(self):
        path = sb(self.dir, "SB+tail", cond="exists (0:r0=0)\n\nand more")
        self.rejects(path, line_with(path, "and more"),
                     "unexpected text after the final condition: 'and more'")

    def test_text_between_threads(self):
        path = write(self.dir, "Junk", textwrap.dedent("""\
            C Junk
            {}
            P0(int *x)
            {
            \tWRITE_ONCE(*x, 1);
            }
            this is not a thread
            P1(int *x)
            {
            \tint r0 = READ_ONCE(*x);
            }
            exists (1:r0=1)
            """))
        self.rejects(path, 7, "unexpected 'this' before the final condition")

    def test_bad_result(self):
        path = sb(self.dir, "SB+res", result="Often")
        self.rejects(path, 4, "Result: 'Often' is not Never, Sometimes, Always, Maybe or DEADLOCK")

    def test_not_c(self):
        path = write(self.dir, "Lisa", "LISA Lisa\n{\nx0 = 0;\n}\n P0 | P1 ;\n")
        self.rejects(path, 1, "not a C litmus test (LISA): only herd7's C dialect is translated")

    def test_header_junk(self):
        path = write(self.dir, "Head", "C Head\nsome words\n{}\nP0(int *x)\n{\n}\n")
        self.rejects(path, 2, "unexpected text before the initial state: 'some words'")

    def test_too_many_observed_values(self):
        init = "{ %s }" % " ".join("z%d=0;" % i for i in range(7))
        cond = "exists (0:r0=0 /\\ 1:r0=0 /\\ %s)" % " /\\ ".join("z%d=0" % i for i in range(7))
        path = sb(self.dir, "SB+nine", init=init, cond=cond)
        self.rejects(path, line_with(path, "exists"),
                     "9 observed values (0:r0, 1:r0, z0, z1, z2, z3, z4, z5, z6): the histogram "
                     "keeps at most 8")

    def test_too_many_locations(self):
        init = "{ %s }" % " ".join("z%d=0;" % i for i in range(15))
        path = sb(self.dir, "SB+locs", init=init)
        self.rejects(path, 1, "17 locations: the engine keeps at most 16")

    def test_too_many_threads(self):
        threads = "\n".join("P%d(int *x)\n{\n\tWRITE_ONCE(*x, %d);\n}" % (i, i) for i in range(9))
        path = write(self.dir, "Nine", "C Nine\n{}\n%s\nexists (x=1)\n" % threads)
        self.rejects(path, line_with(path, "P8("), "9 threads: the engine runs at most 8")

    def test_unknown_register_and_location(self):
        path = sb(self.dir, "SB+badreg", cond="exists (0:r9=0)")
        self.rejects(path, line_with(path, "exists"), "final condition: r9 is not a register of P0")
        path = sb(self.dir, "SB+badloc", cond="exists (w=0)")
        self.rejects(path, line_with(path, "exists"), "final condition: unknown location 'w'")
        path = sb(self.dir, "SB+nothread", cond="exists (5:r0=0)")
        self.rejects(path, line_with(path, "exists"), "final condition: there is no P5")

    def test_unknown_name(self):
        path = sb(self.dir, "SB+name", body="WRITE_ONCE(*x, zz);")
        self.rejects(path, line_with(path, "zz"),
                     "P0: unknown name 'zz' (not a parameter, a register or the kernel API)")

    def test_type_error_int_register_from_pointer(self):
        path = sb(self.dir, "SB+type", body="int r1 = y;")
        self.rejects(path, line_with(path, "int r1 = y"),
                     "type error: P0: register r1 is int but y is a pointer (int *): an address "
                     "does not fit; make it 'int *' or intptr_t")

    def test_type_error_in_the_initial_state(self):
        path = sb(self.dir, "SB+inittype", init="{\n\tx=y;\n}")
        self.rejects(path, line_with(path, "x=y"),
                     "type error: x is int (from P0's parameter x) and cannot hold the address of "
                     "y: declare it 'int *x' or intptr_t")

    def test_compile_errors_are_rejections_at_the_litmus_line(self):
        path = sb(self.dir, "SB+gcc", body="WRITE_ONCE(*x, x + 1);")
        self.rejects(path, line_with(path, "x + 1"), "does not compile: ")

    def test_conflicting_types(self):
        path = write(self.dir, "Types", textwrap.dedent("""\
            C Types
            {}
            P0(int *x)
            {
            \tWRITE_ONCE(*x, 1);
            }
            P1(atomic_t *x)
            {
            \tatomic_inc(x);
            }
            exists (x=2)
            """))
        self.rejects(path, 7, "x is atomic_t here but int in P0's parameter x")

    def test_bad_initial_state(self):
        path = sb(self.dir, "SB+init", init="{\n\tint a[2] = {1, 2, 3};\n}")
        self.rejects(path, line_with(path, "int a[2]"), "a has 2 elements but 3 initial values")
        path = sb(self.dir, "SB+big", init="{\n\tint a[65];\n}")
        self.rejects(path, line_with(path, "a[65]"),
                     "a: 65 elements: the engine keeps arrays of at most 64")
        path = sb(self.dir, "SB+init2", init="{\n\tx = 1 + 2;\n}")
        self.rejects(path, line_with(path, "x = 1 + 2"), "x: unsupported initial value '1 + 2'")

    def test_spinlock_value_and_whole_array(self):
        path = write(self.dir, "Lockval", textwrap.dedent("""\
            C Lockval
            {}
            P0(spinlock_t *l)
            {
            \tspin_lock(l);
            }
            exists (l=1)
            """))
        self.rejects(path, 7, "final condition: l is a spinlock: its value is not observable")
        path = write(self.dir, "Arr", textwrap.dedent("""\
            C Arr
            { int a[2]; }
            P0(int *a)
            {
            \tWRITE_ONCE(a[0], 1);
            }
            exists (a=1)
            """))
        self.rejects(path, 7, "final condition: a is an array: compare its elements")

    def test_duplicate_names(self):
        a = sb(self.dir, "SB+dup")
        d2 = scratch_dir(self)
        b = sb(d2, "SB+dup")
        p, text = translate(a, b)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("%s:1: test name SB+dup already defined in %s" % (b, a), p.stderr)
        self.assertIn("const unsigned litmus_ntests = 1;", text)

    def test_strict_directories_stop_the_build(self):
        path = sb(self.dir, "SB+sync", body="synchronize_sched();")
        p, _ = translate(path, extra=["--strict", self.dir])
        self.assertEqual(p.returncode, 1)
        self.assertIn("litmus2c: error: %s:%d: P0: unsupported construct 'synchronize_sched'" %
                      (path, line_with(path, "synchronize_sched")), p.stderr)

    def test_every_rejection_has_a_line(self):
        for name in ("SB+a", "SB+b", "SB+c"):
            sb(self.dir, name, body={"SB+a": "goto out;", "SB+b": "for (;;) ;",
                                     "SB+c": "__load{once}(x);"}[name])
        p = report(self.dir)
        for line in p.stdout.splitlines()[:-1]:
            self.assertRegex(line, r"^rejected    %s/SB\+[abc]\.litmus:\d+: \S" % re.escape(self.dir))


class Accepted(unittest.TestCase):
    """What the translator once dropped or mistook, now taken as herd7 does."""

    def setUp(self):
        self.dir = scratch_dir(self)

    def generated(self, path):
        p, text = translate(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("rejected", p.stderr)
        return text

    def test_unparenthesised_filter_and_exists(self):
        path = sb(self.dir, "SB+f", cond="filter 1:r0=1\nexists 0:r0=0 /\\ 1:r0=1")
        text = self.generated(path)
        self.assertIn("if (!(lt_r1[0] == 1L))\n\t\treturn LITMUS_FILTERED;", text)
        self.assertIn("return ((lt_r0[0] == 0L) && (lt_r1[0] == 1L));", text)

    def test_untyped_pointer_initialisation_to_new_locations(self):
        # parse_init used to fail with "dictionary changed size during iteration"
        path = sb(self.dir, "SB+p", init="{ p=z; q=&w; s=v; }")
        text = self.generated(path)
        for loc in ("z", "w", "v"):
            self.assertIn('{ "%s", sizeof(int), sizeof(int) }' % loc, text)
        self.assertIn('{ "p", sizeof(int *), sizeof(int *) }', text)

    def test_registers_assigned_on_one_path(self):
        path = sb(self.dir, "SB+path", body="if (READ_ONCE(*y)) r5 = 1;",
                  cond="exists (0:r5=0)")
        text = self.generated(path)
        self.assertIn("\tint r5 = {0};", text)

    def test_no_result_line(self):
        path = sb(self.dir, "SB+nores")
        with open(path) as f:
            s = f.read().replace(" * Result: Never\n", "")
        with open(path, "w") as f:
            f.write(s)
        self.assertIn(".expect = LT_UNSPECIFIED", self.generated(path))

    def test_no_condition(self):
        path = sb(self.dir, "SB+nocond", cond="")
        self.assertIn(".quant = LT_FORALL", self.generated(path))

    def test_no_parameters(self):
        path = write(self.dir, "Void", "C Void\n(* Result: Always *)\n{}\nP0(void)\n{\n\tint r0 = 1;\n}\n"
                     "P1()\n{\n\tr1 = 2;\n}\nforall (0:r0=1 /\\ 1:r1=2)\n")
        text = self.generated(path)
        self.assertIn(".nlocs = 0", text)
        self.assertIn(".expect = LT_ALWAYS", text)

    def test_register_initialised_with_a_location(self):
        path = sb(self.dir, "SB+reginit", init="{ 0:r1=x; }", body="WRITE_ONCE(*r1, 2);")
        self.assertIn("\tint *r1 = (int *)lt_loc[0];", self.generated(path))


class Robustness(unittest.TestCase):
    """No input gives a Python traceback: every truncation and many
    mutations of the corpus are translated or rejected with file:line."""

    def test_no_traceback(self):
        api = L2C.Api(ARCH_API["arm64"], L2C.default_cc(ARCH_API["arm64"]))
        rng = random.Random(12)
        d = scratch_dir(self)
        files = sorted(os.path.join(DIALECT, f) for f in os.listdir(DIALECT))
        files += sorted(os.path.join(LIBRARY, f) for f in os.listdir(LIBRARY))[:12]
        tried = 0
        for src in files:
            with open(src) as f:
                text = f.read()
            variants = [text[:n] for n in range(0, len(text), max(1, len(text) // 25))]
            for _ in range(20):
                chars = list(text)
                for _ in range(rng.randint(1, 4)):
                    i = rng.randrange(len(chars))
                    chars[i] = rng.choice("{}()[];:=*&,~/\\ \nPx0r-\"'")
                variants.append("".join(chars))
            for v in variants:
                path = os.path.join(d, "v.litmus")
                with open(path, "w") as f:
                    f.write(v)
                tried += 1
                try:
                    L2C.translate(path, 0, api)
                except L2C.LitmusError as e:
                    self.assertRegex(str(e), r"^%s:\d+: \S" % re.escape(path))
        self.assertGreater(tried, 1000)

    def test_numbers_with_a_leading_zero(self):
        # herd7 reads "01" as 1 (OCaml's int_of_string); int(text, 0) raised
        # ValueError here (found by tests/fuzz/pyfuzz.py, target litmus2c).
        api = L2C.Api(ARCH_API["arm64"], L2C.default_cc(ARCH_API["arm64"]))
        path = sb(tempfile.mkdtemp(), "SB+zeros", init="{ int x = 01; int y = -0x0; }",
                  cond="exists (0:r0=00 /\\ 1:r0=010)")
        t, _ = L2C.translate(path, 0, api)
        self.assertEqual(t.locs["x"].init, ("int", 1))


class Uniprocessor(unittest.TestCase):
    """SMP=n: the primitives that degrade are read off the headers."""

    def api(self, arch):
        return L2C.Api(ARCH_API[arch], L2C.default_cc(ARCH_API[arch]))

    def test_degraded_names(self):
        for arch in ("arm64", "riscv64", "ppc"):
            api = self.api(arch)
            for name in ("smp_mb", "smp_rmb", "smp_wmb", "smp_store_release", "smp_load_acquire",
                         "smp_store_mb", "set_mb", "smp_mb__before_atomic", "smp_mb__after_atomic",
                         "atomic_read_acquire", "atomic_set_release", "rcu_assign_pointer"):
                self.assertIn(name, api.degraded, (arch, name))
            for name in ("virt_mb", "virt_store_release", "smp_mb__after_spinlock",
                         "smp_mb__after_unlock_lock", "rcu_dereference", "smp_read_barrier_depends",
                         "xchg", "cmpxchg", "atomic_add_return", "spin_lock", "READ_ONCE", "mb",
                         "test_and_set_bit", "atomic_add_unless"):
                self.assertIn(name, api.names, (arch, name))
                self.assertNotIn(name, api.degraded, (arch, name))

    def test_the_flag_names_the_primitives(self):
        d = scratch_dir(self)
        p, text = translate(sb(d, "SB+acq", body="r0 = atomic_read_acquire((atomic_t *)y);"))
        self.assertIn('.smp_degraded = "atomic_read_acquire()"', text)
        p, text = translate(sb(d, "SB+virt", body="virt_mb();"))
        self.assertIn(".smp_degraded = NULL", text)


if __name__ == "__main__":
    unittest.main()
