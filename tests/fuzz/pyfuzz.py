#!/usr/bin/python3
"""Fuzzing the host's Python parsers with Hypothesis (Debian's
python3-hypothesis): the runner's TAP parser (scripts/orderly_run/tap.py)
and the litmus translator (scripts/litmus2c.py).

    tests/fuzz/pyfuzz.py OUT RUNS TARGET...     fuzz each TARGET for RUNS inputs
    tests/fuzz/pyfuzz.py --replay TARGET FILE   run one input (a crash file)

Targets:
  runner-tap   TapStream.feed() over any text, then everything the verdict
               reads (counts, failures, problems, judge): none may raise.
               The parser has no error type of its own: a stream that is
               not TAP is a run with problems(), never an exception.
  litmus2c     translate() of any file: a result, or LitmusError (its
               documented error, "FILE:LINE: what"), nothing else.

Each input is a seed from tests/fuzz/corpus/TARGET/ that Hypothesis edits:
a few inserts, deletions, line copies and the format's own keywords at
places it picks, or text and bytes of its own. Hypothesis shrinks a failing
input to a small one, writes it to OUT/TARGET/crash-<sha1> and keeps it in
its example database (OUT/TARGET/examples) so the next run tries it first.
An input that runs for more than HANG_SECONDS is a failure too (a hang).
Prints "fuzz NAME: N execs, C crashes", as tests/fuzz/run.sh does for the
libFuzzer targets; exits 1 if any crashed.
"""
import hashlib
import importlib.util
import os
import signal
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

try:
    from hypothesis import HealthCheck, given, seed, settings, strategies as st
    from hypothesis.configuration import set_hypothesis_home_dir
    from hypothesis.database import DirectoryBasedExampleDatabase
except ImportError:
    sys.exit("pyfuzz: Hypothesis is missing: run `make deps` (python3-hypothesis; Debian's "
             "Python packages import under /usr/bin/python3)")

HANG_SECONDS = 5

# Words of each format that random edits would rarely spell.
DICTIONARY = {
    "runner-tap": ["TAP version 14", "ok ", "not ok ", "1..", "# SKIP", "# TODO", "\\#", "\\\\",
                   "  ---", "  ...", "  ", "Bail out!", "# summary: ", " passed, ", " failed, ",
                   " skipped", ", 1 missing", ", 2 unplanned", "# exit: status=", "-1",
                   "# orderly ", " smp=y", " smp=n", "\r", "\n", "#", "-", " - ",
                   "99999999999999999999", "0"],
    "litmus2c": ["C ", "P0(", "P1(", "P9(", "(int *x, int *y)", "{", "}", "(", ")", "[", "]",
                 ";", "=", "*", "&", "->", "(*", "*)", "/*", "*/", "//", "\"", "exists", "forall",
                 "~exists", "filter", "locations", "/\\", "\\/", "~", "0:r0=", "x=", "int ",
                 "int *", "atomic_t ", "spinlock_t ", "ATOMIC_INIT(", "READ_ONCE(*x)",
                 "WRITE_ONCE(*x, 1);", "smp_mb();", "spin_lock(l);", "spin_unlock(l);",
                 "atomic_add_return(1, a)", "xchg(x, 2)", "cmpxchg(x, 1, 2)", "rcu_read_lock();",
                 "synchronize_rcu();", "if (r0) ", "else ", "while (1) ", "return;", "goto l;",
                 "Result: Never", "Result: Sometimes", "DEADLOCK", "DATARACE", "0x", "-1",
                 "99999999999999999999", "\n", "\t"],
}


def load_litmus2c():
    spec = importlib.util.spec_from_file_location("litmus2c", os.path.join(ROOT, "scripts",
                                                                         "litmus2c.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Hang(Exception):
    """An input ran for more than HANG_SECONDS."""


def _alarm(signum, frame):
    raise Hang("no result in %d s: a hang" % HANG_SECONDS)


# -- the targets: each takes bytes and may raise only what it documents ------

def target_runner_tap():
    from orderly_run import tap, verdict

    def one(data):
        text = data.decode("utf-8", "replace")     # as supervise.py decodes the UART
        stream = tap.TapStream(clock=lambda: 0.0)
        for line in text.splitlines():
            stream.feed(line)
        stream.counts()
        stream.current()
        stream.problems()
        for r in stream.failures():
            r.describe()
        out = verdict.Outcome("fuzz", "")
        out.tap, out.uart, out.qemu_status = stream, text.splitlines(), 0
        verdict.judge(out)
        verdict.verdict_line(out)
        verdict.details(out, True)
    return one, ()


def target_litmus2c():
    l2c = load_litmus2c()
    headers = [os.path.join(ROOT, h) for h in (
        "include/barrier.h", "include/atomic.h", "include/bitops.h", "include/spinlock.h",
        "include/compiler.h", "include/io.h", "include/litmus.h",
        "arch/arm64/include/asm/barrier.h")]
    api = l2c.Api(headers, l2c.default_cc(headers))
    fd, path = tempfile.mkstemp(prefix="pyfuzz-", suffix=".litmus")
    os.close(fd)

    def one(data):
        with open(path, "wb") as f:
            f.write(data)
        try:
            l2c.translate(path, 0, api)
        except l2c.LitmusError as e:
            if not str(e).startswith(path + ":"):
                raise AssertionError("a LitmusError that does not name FILE:LINE: %s" % e)
    return one, (path,)


TARGETS = {"runner-tap": target_runner_tap, "litmus2c": target_litmus2c}


def run_one(one, data):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        one(data)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# -- inputs ------------------------------------------------------------------

def seeds_of(target):
    d = os.path.join(ROOT, "tests", "fuzz", "corpus", target)
    out = []
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            out.append(f.read())
    if not out:
        sys.exit("pyfuzz: no seeds in %s" % d)
    return out


def tap_lines():
    """TAP 14 as the image prints it, line by line from its grammar, with
    numbers of any size and free text where the image puts names: the
    streams a seed's edits would take long to spell."""
    num = st.one_of(st.integers(0, 20), st.integers(-2**70, 2**70)).map(str)
    free = st.text(st.characters(min_codepoint=1, max_codepoint=0x2ff,
                                 blacklist_categories=("Cs",)), max_size=30)
    directive = st.one_of(st.just(""), st.builds(lambda d, t: " # %s %s" % (d, t), st.sampled_from(
        ("SKIP", "TODO", "skip", "Todo", "")), free), st.builds(" # {}".format, free))
    result = st.builds("{}{}{}{}{}".format, st.sampled_from(("ok", "not ok", "ok", "okay")),
                       st.one_of(st.just(""), num.map(" {}".format)),
                       st.sampled_from(("", " -", " - ", "-")), free, directive)
    line = st.one_of(
        result, result, result,
        st.builds("1..{}{}".format, num, directive),
        st.builds("# summary: {} passed, {} failed, {} skipped{}".format, num, num, num,
                  st.one_of(st.just(""), st.builds(", {} {}".format, num, st.sampled_from(
                      ("missing", "unplanned", "lost"))))),
        st.builds("# exit: status={}".format, num),
        st.sampled_from(("TAP version 14", "  ---", "  ...", "# orderly 0.1 arch=x smp=y",
                         "# orderly 0.1 smp=n", "Bail out!")),
        st.builds("  {}".format, free), st.builds("Bail out! {}".format, free), free)
    return st.lists(line, max_size=40).map(lambda ls: "\n".join(ls).encode("utf-8"))


def inputs(target):
    """A seed edited by Hypothesis's choices, or text or bytes of its own;
    for the TAP parser also streams from TAP's grammar."""
    seeds = seeds_of(target)
    words = [w.encode() for w in DICTIONARY[target]]
    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200).map(
        lambda s: s.encode("utf-8"))
    char = st.characters(min_codepoint=1, max_codepoint=0x7f).map(lambda c: c.encode())
    piece = st.one_of(st.sampled_from(words), char, text, st.binary(max_size=16))
    # Both formats are line-based: half the edits work on whole lines.
    # Places as large integers taken modulo the length: Hypothesis draws
    # floats and small integers near 0 and 1 far more often than between,
    # which would edit the first bytes (a litmus test's "C name" line) and
    # little else.
    place = st.integers(0, 2**32 - 1)
    edit = st.tuples(st.sampled_from(("insert", "delete", "replace", "copy-line", "splice",
                                      "drop-line", "insert-line")),
                     place, st.integers(0, 64), piece, st.sampled_from(seeds))

    def apply(base, keep_head, edits):
        # keep_head: edit below the first line only, so that most inputs
        # get past the header check into the rest of the parser.
        cut = base.find(b"\n") + 1 if keep_head else 0
        head, b = base[:cut], bytearray(base[cut:])
        for op, at, span, what, other in edits:
            i = at % (len(b) + 1)
            j = min(len(b), i + span)
            if op == "insert":
                b[i:i] = what
            elif op == "delete":
                del b[i:j]
            elif op == "replace":
                b[i:j] = what
            elif op in ("drop-line", "insert-line"):
                lines = bytes(b).splitlines(True)
                k = at % (len(lines) + 1)
                if op == "drop-line":
                    del lines[k:k + 1]
                else:
                    lines.insert(k, what + b"\n")
                b = bytearray(b"".join(lines))
            else:
                src = b if op == "copy-line" else other
                lines = bytes(src).splitlines(True) or [b""]
                b[i:i] = lines[span % len(lines)]
        return head + bytes(b)
    edits = st.lists(edit, min_size=1, max_size=12)
    edited = st.builds(apply, st.sampled_from(seeds), st.just(True), edits)
    anywhere = st.builds(apply, st.sampled_from(seeds), st.just(False), edits)
    raw = st.one_of(text, st.binary(max_size=512))
    if target == "runner-tap":
        return st.one_of(tap_lines(), edited, anywhere, raw)
    return st.one_of(edited, edited, edited, anywhere, raw)


def fuzz(out, runs, target):
    one, cleanup = TARGETS[target]()
    tdir = os.path.join(out, target)
    os.makedirs(tdir, exist_ok=True)
    for name in os.listdir(tdir):
        if name.startswith("crash-"):
            os.remove(os.path.join(tdir, name))
    execs = [0]
    failing = []

    @seed(1)
    @settings(max_examples=runs, deadline=None, database=DirectoryBasedExampleDatabase(
        os.path.join(tdir, "examples")), suppress_health_check=list(HealthCheck),
        print_blob=False)
    @given(inputs(target))
    def prop(data):
        execs[0] += 1
        try:
            run_one(one, data)
        except Exception:
            failing[:] = [data, traceback.format_exc()]
            raise

    try:
        prop()
        crashes = 0
    except Exception:
        crashes = 1
        data, trace = failing or [b"", traceback.format_exc()]
        crash = os.path.join(tdir, "crash-" + hashlib.sha1(data).hexdigest())
        with open(crash, "wb") as f:
            f.write(data)
        print(trace.rstrip())
        print("pyfuzz: %s: the input (shrunk) is %s; replay: tests/fuzz/pyfuzz.py --replay "
              "%s %s" % (target, crash, target, crash))
    finally:
        for path in cleanup:
            os.remove(path)
    print("fuzz %s: %d execs, %d crashes" % (target, execs[0], crashes), flush=True)
    return crashes


def main(argv):
    # Hypothesis keeps caches in ./.hypothesis unless told: not in the tree.
    set_hypothesis_home_dir(os.path.join(argv[0] if argv and argv[0] != "--replay"
                                         else os.path.join(ROOT, "build", "fuzz"), "hypothesis"))
    if len(argv) == 3 and argv[0] == "--replay" and argv[1] in TARGETS:
        one, cleanup = TARGETS[argv[1]]()
        with open(argv[2], "rb") as f:
            data = f.read()
        try:
            run_one(one, data)
        finally:
            for path in cleanup:
                os.remove(path)
        print("pyfuzz: %s: %s: no crash" % (argv[1], argv[2]))
        return 0
    if len(argv) < 3 or not argv[1].isdigit() or any(t not in TARGETS for t in argv[2:]):
        sys.exit(__doc__)
    return 1 if sum(fuzz(argv[0], int(argv[1]), t) for t in argv[2:]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
