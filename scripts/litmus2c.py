#!/usr/bin/env python3
"""Translate C litmus tests (the Linux kernel memory model's herd7 dialect)
into C that the image's litmus engine runs (lib/litmus/engine.c): per test
only the thread bodies, the initial and the final state; the loops around
them are the templates of include/litmus.h.

    litmus2c.py -o OUT.c [--cc "CC CFLAGS"] [--smp y|n] [--strict DIR]
                [--api-header H ...] FILE.litmus|DIR ...
    litmus2c.py --report [--cc ...] [--api-header H ...] FILE.litmus|DIR ...

The dialect, as herd7 reads it:
  - `C name`, herd's `Key=Value` header lines, `(* ... *)` comments with
    the LKMM `Result: Never|Sometimes|Always|Maybe|DEADLOCK [DATARACE]`
    line (none: the outcome is reported, not judged);
  - the initial state: `x=1;` `int x;` `int *p=y;` `p=&y;` `intptr_t x=y;`
    `atomic_t v=ATOMIC_INIT(1);` `spinlock_t l;` `int a[2]={1,2};`
    register initialisation `0:r1=x;` `P1:r0=&y;` `int 0:r2=5;`;
  - threads `P0(int *x, intptr_t *p, atomic_t *v, spinlock_t *l, int **q,
    struct srcu_struct *s)` whose bodies are kept as C: registers declared
    anywhere (hoisted to the top and zero-initialised, as herd7 reads an
    unassigned one as 0) or not at all (implicitly int, as herd7 declares
    them; one that reads a pointer location gets its pointer type, herd7
    being untyped); every function called must be in the image's
    kernel-style API (collected from the --api-header files through the
    preprocessor); spin_lock() is bounded (a lock never released abandons
    the instance, counted as deadlocked); synchronize_rcu() and SRCU are
    the engine's real grace periods (rcu_read_lock() stays a marker in a
    test without one); `return;` stores the registers too;
  - `locations [...]`, `filter P`, then `exists P`, `~exists P`,
    `forall P`, `final P`, `(P)` or nothing (every state), P with `/\\`,
    `\\/`, `=>`, `~`/`not`, `true`/`false`, `=`/`==`, `!=`/`<>`, registers
    `0:r0`/`P0:r0`, locations `x`, `[x]`, `x[1]`, values: numbers, `y` (the
    address of y), `x[1]` (an element's address), `0:r1` or `*y` (another
    register's or location's value).
Anything else stops that file's translation with file:line and a reason;
nothing is skipped silently. A rejected file becomes a test that skips
with that reason (the rest of the build goes on), unless it is under a
--strict directory (the project's own tests): then the build stops.

Without --cc the host's gcc is used, with the headers' directories.
With --cc (the target's compiler and flags, without -DCONFIG_SMP), the
translator (1) reads the API from the preprocessed headers, (2)
finds which primitives a uniprocessor build degrades by preprocessing the
headers both ways and comparing what each name expands to (a test using
one is an expected failure under SMP=n), and (3) compiles the generated
tests (-fsyntax-only) and rejects, with the compiler's message at the
litmus file's line, any test that does not compile: a type error is a
rejected file, never a failed build.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

MAX_THREADS = 8          # LITMUS_MAX_THREADS (include/litmus.h)
MAX_OBS = 8              # LITMUS_MAX_OBS (include/litmus_hist.h)
MAX_LOCS = 16            # LITMUS_MAX_LOCS (include/litmus.h)
MAX_REGS = 9             # LITMUS_MAX_REGS: observed registers + the deadlock flag
MAX_ARRAY = 64           # elements of an array location (an instance stays small)
EXPECT = {"never": "LT_NEVER", "sometimes": "LT_SOMETIMES", "always": "LT_ALWAYS",
          "deadlock": "LT_DEADLOCK", "maybe": "LT_UNSPECIFIED"}
QUANT = {"exists": "LT_EXISTS", "~exists": "LT_NOT_EXISTS", "forall": "LT_FORALL"}
RCU_MARKERS = {"rcu_read_lock", "rcu_read_unlock"}
C_KEYWORDS = {"if", "else", "sizeof", "return", "while", "for", "do", "goto", "switch", "case",
              "default", "break", "continue", "typeof", "__typeof__", "asm", "__asm__",
              "static", "extern", "struct", "union", "enum", "typedef", "register", "auto",
              "volatile", "const", "inline", "_Atomic", "__volatile__", "void"}
# Type words of registers and locations (herd7's base types and the
# kernel's, as C writes them).
INT_WORDS = {"int", "char", "short", "long", "unsigned", "signed", "bool", "_Bool"}
TYPEDEFS = {"int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t",
            "uint64_t", "intptr_t", "uintptr_t", "u8", "u16", "u32", "u64", "s8", "s16", "s32",
            "s64", "size_t", "atomic_t", "atomic_long_t", "spinlock_t"}
QUALIFIERS = {"volatile", "const", "_Atomic"}
C_CONSTANTS = {"NULL", "true", "false"}
# Integer types wide enough for an address: a pointer stored in one is
# cast, as herd7 (untyped) would store it.
PTR_SIZED = {"intptr_t", "uintptr_t", "long", "unsigned long", "size_t"}
# Known names the image does not implement, with the reason.
UNSUPPORTED = {}
for _n in ("call_rcu", "rcu_barrier", "call_srcu", "srcu_barrier"):
    UNSUPPORTED[_n] = ("RCU callbacks are not run here (only synchronize_rcu()/synchronize_srcu() "
                       "grace periods are)")
for _n in ("srcu_down_read", "srcu_up_read"):
    UNSUPPORTED[_n] = ("SRCU sections that another thread ends are not supported (only "
                       "srcu_read_lock()/srcu_read_unlock() on one thread)")
# Grace periods: the engine's RCU and SRCU (include/litmus.h), not the
# kernel API: what each call becomes, by domain (0: RCU; an srcu_struct
# location: its own).
GRACE_RCU = {"synchronize_rcu": "LITMUS_SYNCHRONIZE", "synchronize_rcu_expedited":
             "LITMUS_SYNCHRONIZE"}
GRACE_SRCU = {"srcu_read_lock": "LITMUS_SRCU_READ_LOCK", "srcu_read_unlock":
              "LITMUS_RCU_READ_UNLOCK", "synchronize_srcu": "LITMUS_SYNCHRONIZE",
              "synchronize_srcu_expedited": "LITMUS_SYNCHRONIZE"}
RCU_MARKS = {"rcu_read_lock": "LITMUS_RCU_READ_LOCK", "rcu_read_unlock": "LITMUS_RCU_READ_UNLOCK"}
MAX_SRCU = 2             # LITMUS_RCU_DOMAINS - 1
for _n in ("__load", "__store", "__fence", "__xchg", "__cmpxchg", "__lock", "__unlock",
           "__trylock", "__islocked", "__atomic_op", "__atomic_op_return", "__atomic_fetch_op",
           "__atomic_add_unless", "__srcu"):
    UNSUPPORTED[_n] = "a herd7-internal primitive (linux-kernel.def), not the kernel API"
for _n in ("atomic_load_explicit", "atomic_store_explicit", "atomic_exchange_explicit",
           "atomic_fetch_add_explicit", "atomic_fetch_sub_explicit", "atomic_fetch_or_explicit",
           "atomic_fetch_xor_explicit", "atomic_fetch_and_explicit", "atomic_thread_fence",
           "atomic_compare_exchange_weak", "atomic_compare_exchange_strong",
           "atomic_compare_exchange_weak_explicit", "atomic_compare_exchange_strong_explicit",
           "lock", "unlock", "mtx_lock", "mtx_unlock", "WCAS", "SCAS"):
    UNSUPPORTED[_n] = "C11 atomics and mutexes are not the kernel API this image implements"
for _n in ("spin_lock_irqsave", "spin_unlock_irqrestore", "local_irq_save", "local_irq_restore",
           "local_irq_disable", "local_irq_enable"):
    UNSUPPORTED[_n] = ("interrupt state belongs to the image's CPU, not to a litmus instance "
                       "(herd7 has no interrupts): use spin_lock()/spin_unlock()")
# Lock acquisitions the engine bounds (include/litmus.h).
BOUNDED = {"spin_lock": "LITMUS_SPIN_LOCK"}
# Flags of the generated code's compilation beyond the image's CFLAGS:
# unused registers and parameters are normal in a litmus test.
GEN_WARNINGS = ["-Wno-unused-variable", "-Wno-unused-but-set-variable", "-Wno-unused-parameter",
                "-Wno-uninitialized", "-Wno-maybe-uninitialized", "-Wno-unused-label",
                "-Wno-tautological-compare"]


class LitmusError(Exception):
    def __init__(self, path, line, what):
        Exception.__init__(self, "%s:%d: %s" % (path, line, what))
        self.path, self.line, self.what = path, line, what


# ---- the kernel API, from the headers ------------------------------------

class Api:
    """The names a test body may call, and which of them a uniprocessor
    build turns into compiler barriers (found by preprocessing the
    headers with and without CONFIG_SMP and comparing expansions)."""

    INTERNAL = re.compile(r"^(_|arch_|litmus_|LITMUS_|lt_|ORDERLY_|ASM_|ARCH_)")
    PUBLIC = {"__set_bit", "__clear_bit"}       # the kernel's non-atomic bitops

    def __init__(self, headers, cc):
        self.headers = [os.path.normpath(h) for h in headers]
        self.cc = cc
        self.names = set(RCU_MARKERS)
        self.degraded = set()
        if not headers:
            return
        macros = self.header_macros()
        views = {smp: self.preprocess(smp, macros) for smp in (True, False)}
        funcs_y, exp_y = views[True]
        funcs_n, exp_n = views[False]
        for name in set(funcs_y) | set(exp_y):
            if not self.INTERNAL.match(name) or name in self.PUBLIC:
                self.names.add(name)
        # A name degrades if what it expands to (a macro) or its body (a
        # function) differs without CONFIG_SMP, or if it calls one that does.
        text_y = dict(funcs_y, **exp_y)
        text_n = dict(funcs_n, **exp_n)
        deg = {n for n in set(text_y) | set(text_n) if text_y.get(n) != text_n.get(n)}
        calls = {n: set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", text_y.get(n, "") + " " +
                                   text_n.get(n, ""))) for n in set(text_y) | set(text_n)}
        changed = True
        while changed:
            changed = False
            for n, called in calls.items():
                if n not in deg and called & deg:
                    deg.add(n)
                    changed = True
        self.degraded = deg

    def header_macros(self):
        """Function-like and object-like macros the headers define, with
        their parameter counts (None: object-like)."""
        macros = {}
        for h in self.headers:
            with open(h) as f:
                text = f.read()
            for m in re.finditer(r"^\s*#\s*define\s+(\w+)(\(([^)]*)\))?", text, re.M):
                name, params = m.group(1), m.group(3)
                if params is None:
                    macros.setdefault(name, None)
                else:
                    n = len([p for p in params.split(",") if p.strip()])
                    macros[name] = n
        return macros

    def preprocess(self, smp, macros):
        """(functions, expansions) of the API files in one configuration:
        each function's body text, each probed macro's expansion."""
        fd, probe = tempfile.mkstemp(suffix=".c")
        with os.fdopen(fd, "w") as f:
            for h in self.headers:
                f.write('#include "%s"\n' % os.path.abspath(h))
            f.write("int __lt_probe_marker;\n")
            for name, n in sorted(macros.items()):
                args = "" if n is None else "(%s)" % ", ".join("__lt_a%d" % i for i in range(n))
                f.write("__lt_probe_%s: %s%s\n" % (name, name, args))
        try:
            cmd = self.cc + (["-DCONFIG_SMP"] if smp else []) + ["-E", probe]
            p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
        finally:
            os.remove(probe)
        if p.returncode != 0:
            raise SystemExit("litmus2c: error: preprocessing the API headers failed (%s):\n%s"
                             % (" ".join(cmd), p.stderr[-2000:]))
        out = p.stdout
        head, _, tail = out.partition("int __lt_probe_marker;")
        expansions = {}
        for m in re.finditer(r"^__lt_probe_(\w+): (.*)$", tail, re.M):
            name, exp = m.group(1), " ".join(m.group(2).split())
            if macros.get(name) is not None and exp.startswith(name + "("):
                continue            # not defined in this configuration
            if macros.get(name) is None and exp == name:
                continue
            expansions[name] = exp
        return self.functions(head), expansions

    def functions(self, text):
        """Top-level function definitions in preprocessed text that come
        from the API headers: name -> body."""
        api_files = {os.path.abspath(h) for h in self.headers}
        funcs, cur, chunk = {}, None, []
        for line in text.split("\n"):
            m = re.match(r'^# \d+ "([^"]+)"', line)
            if m:
                cur = os.path.abspath(m.group(1))
                continue
            if cur in api_files or (cur and os.path.dirname(cur).endswith("/asm")):
                chunk.append(line)
            else:
                chunk.append("")
        body = "\n".join(chunk)
        pos = 0
        for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(([^;{}()]|\([^;{}()]*\))*\)\s*"
                             r"(?:__attribute__\s*\(\([^;{}]*\)\)\s*)?\{", body):
            if m.start() < pos:
                continue
            start = m.end() - 1
            end = match_brace(body, start)
            if end < 0:
                break
            funcs[m.group(1)] = " ".join(body[start:end + 1].split())
            pos = end + 1
        return funcs


def default_cc(headers):
    """Without --cc: the host's gcc with the headers' include directories."""
    dirs = []
    for h in headers:
        h = os.path.normpath(h)
        parts = h.split(os.sep)
        if "asm" in parts:
            d = os.sep.join(parts[:parts.index("asm")])
        else:
            d = os.path.dirname(h)
        if d and d not in dirs:
            dirs.append(d)
    return ["gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter"] + \
        ["-I" + d for d in dirs]


# ---- text -----------------------------------------------------------------

def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def blank(s):
    return re.sub(r"[^\n]", " ", s)


THREAD_HEAD = re.compile(r"(?:void\s*\*?\s*)?\bP\d+\s*\([^)]*\)\s*\{")


def strip_comments(text):
    """Blank out (* *) (nested, as herd7's), /* */ and // comments,
    keeping line numbers. Returns (text, [(line, comment text)]). In a
    thread's body a "(*" followed by a name character is C ("(*x)"), not
    a comment: a first pass finds the bodies."""
    first, _ = strip_comments_in(text, None)
    bodies = []
    for m in THREAD_HEAD.finditer(first):
        end = match_brace(first, m.end() - 1)
        if end > 0:
            bodies.append((m.end(), end))
    return strip_comments_in(text, bodies)


def strip_comments_in(text, bodies):
    out, comments, i, n = [], [], 0, len(text)
    while i < n:
        in_code = bodies is None or any(a <= i < b for a, b in bodies)
        if text.startswith("(*", i) and (not in_code or i + 2 >= n or
                                         not re.match(r"[\w(]", text[i + 2])):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("(*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*)", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            comments.append((line_of(text, i), text[i:j]))
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            comments.append((line_of(text, i), text[i:j]))
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(text[i:j]))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out), comments


def match_brace(text, start, open_="{", close="}"):
    depth = 0
    for i in range(start, len(text)):
        if text[i] == open_:
            depth += 1
        elif text[i] == close:
            depth -= 1
            if depth == 0:
                return i
    return -1


C_TOKEN = re.compile(r"""(?P<ws>\s+)|(?P<id>[A-Za-z_]\w*)|(?P<num>0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*)
    |(?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
    |(?P<op>->|\+\+|--|<<=|>>=|<=|>=|==|!=|&&|\|\||\+=|-=|\*=|/=|%=|&=|\|=|\^=|<<|>>|[-+*/%&|^~!<>=?:;,.(){}\[\]])""",
                     re.X)


class Tok:
    __slots__ = ("kind", "text", "start", "end", "line")

    def __init__(self, kind, text, start, end, line):
        self.kind, self.text, self.start, self.end, self.line = kind, text, start, end, line

    def __repr__(self):
        return "%s(%r)" % (self.kind, self.text)


def c_tokens(t, text, line0):
    toks, pos, line = [], 0, line0
    while pos < len(text):
        m = C_TOKEN.match(text, pos)
        if not m:
            t.err(line, "unexpected character %r in a thread body" % text[pos])
        kind = m.lastgroup
        if kind != "ws":
            toks.append(Tok(kind, m.group(0), m.start(), m.end(), line))
        line += m.group(0).count("\n")
        pos = m.end()
    return toks


# ---- types ------------------------------------------------------------------

def norm_type(words, stars):
    """A C type from its words (qualifiers dropped) and pointer depth."""
    base = [w for w in words if w not in QUALIFIERS]
    if base and base[0] == "struct":
        base = [" ".join(base)]
    if base == ["unsigned"] or base == ["signed"]:
        base = base + ["int"]
    return " ".join(base) + (" " + "*" * stars if stars else "")


def is_ptr(ctype):
    return ctype.endswith("*")


def deref(ctype):
    return ctype[:-1].rstrip()


def check_base_type(t, line, ctype, what):
    base = ctype.rstrip("* ").strip()
    if base == "struct srcu_struct":
        return
    if base in ("mtx_t", "atomic_int") or base.startswith("_Atomic"):
        t.err(line, "%s: C11 type '%s' is not the kernel API this image implements" % (what, base))
    if base in ("__int128_t", "__uint128_t", "__int128", "__uint128"):
        t.err(line, "%s: 128-bit locations are not supported" % what)
    words = base.split()
    if base == "void" or base in TYPEDEFS or (words and all(w in INT_WORDS for w in words)):
        return
    t.err(line, "%s: unknown type '%s'" % (what, base))


# ---- the test ---------------------------------------------------------------

class Loc:
    def __init__(self, name, line):
        self.name, self.line = name, line
        self.ctype = None        # the location's type (what it holds)
        self.count = None        # array length, or None for a scalar
        self.init = None         # value, or list of values for an array
        self.typed_by = None     # where the type came from (for messages)
        self.hidden = False

    @property
    def elem(self):
        return self.ctype or "int"


class Reg:
    def __init__(self, name, ctype, line, how):
        self.name, self.ctype, self.line, self.how = name, ctype, line, how
        self.init = None


class Thread:
    def __init__(self, tid, line):
        self.tid, self.line = tid, line
        self.params = []         # (name, declared C type of the parameter)
        self.body, self.body_line = "", line
        self.regs = {}           # name -> Reg
        self.calls = set()
        self.out = ""            # the body as generated C


class Test:
    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.expect = "LT_UNSPECIFIED"
        self.result_text = None
        self.datarace = False
        self.locs = {}
        self.threads = []
        self.reg_inits = []      # (tid, name, value, ctype or None, line)
        self.quant, self.cond, self.filter = "LT_FORALL", ("true",), None
        self.cond_text = "forall (true)"
        self.locations = []
        self.cond_line = 1
        self.uses_locks = False
        self.uses_gp = False          # waits for a grace period (RCU or SRCU)
        self.srcu = []                # srcu_struct locations: domains 1, 2...

    @property
    def uses_sync(self):
        return self.uses_locks or self.uses_gp

    def err(self, line, what):
        raise LitmusError(self.path, line, what)

    def loc(self, name, line):
        if name not in self.locs:
            self.locs[name] = Loc(name, line)
        return self.locs[name]

    def set_type(self, name, ctype, line, source):
        loc = self.loc(name, line)
        if loc.ctype is None:
            loc.ctype, loc.typed_by = ctype, source
        elif loc.ctype != ctype:
            self.err(line, "%s is %s here but %s in %s" % (name, ctype, loc.ctype, loc.typed_by))


def parse(path):
    with open(path, errors="replace") as f:
        raw = f.read()
    t = Test(path)
    text, comments = strip_comments(raw)
    m = re.match(r"\s*(\S+)[ \t]+(\S+)", text)
    if not m:
        t.err(1, "first line must be 'C <name>'")
    if m.group(1) != "C":
        t.err(line_of(text, m.start(1)), "not a C litmus test (%s): only herd7's C dialect is "
              "translated" % m.group(1))
    t.name = m.group(2)
    for line, c in comments:
        r = re.search(r"Result:[ \t]*(\S*)[ \t]*(\S*)", c)
        if r:
            word = r.group(1).lower()
            if word not in EXPECT:
                t.err(line + c.count("\n", 0, r.start()), "Result: '%s' is not Never, Sometimes, "
                      "Always, Maybe or DEADLOCK" % r.group(1))
            t.expect, t.result_text = EXPECT[word], r.group(1)
            if r.group(2) == "DATARACE":
                t.datarace = True
            elif r.group(2) and not r.group(2).startswith("*"):
                t.err(line, "Result: %s %s: only DATARACE may follow the result" %
                      (r.group(1), r.group(2)))
            break
    pos = m.end()
    ib = text.find("{", pos)
    if ib < 0:
        t.err(line_of(text, pos), "no initial state '{ ... }'")
    for hl in text[pos:ib].split("\n"):
        # herd7's header: Key=Value lines and a quoted description
        if hl.strip() and not re.match(r'^\s*([\w.-]+\s*=|"[^"]*"\s*$)', hl):
            t.err(line_of(text, pos + text[pos:ib].find(hl)), "unexpected text before the "
                  "initial state: '%s'" % hl.strip()[:40])
    ie = match_brace(text, ib)
    if ie < 0:
        t.err(line_of(text, ib), "unterminated initial state '{'")
    parse_init(t, text[ib + 1:ie], line_of(text, ib))
    pos = ie + 1
    thread_re = re.compile(r"\s*(?:void\s*\*?\s*)?P(\d+)\s*\(([^)]*)\)\s*\{")
    while True:
        pm = thread_re.match(text, pos)
        if not pm:
            break
        n, line = int(pm.group(1)), line_of(text, pm.start(1))
        if n != len(t.threads):
            t.err(line, "threads must be P0, P1, ... in order (found P%d)" % n)
        bstart = pm.end() - 1
        bend = match_brace(text, bstart)
        if bend < 0:
            t.err(line, "unterminated body of P%d" % n)
        th = Thread(n, line)
        parse_params(t, th, pm.group(2), line)
        th.body, th.body_line = text[bstart + 1:bend], line_of(text, bstart)
        t.threads.append(th)
        pos = bend + 1
    if not t.threads:
        t.err(line_of(text, pos) if text[pos:].strip() else line_of(text, ie),
              "no thread P0(...) { ... } after the initial state")
    if len(t.threads) > MAX_THREADS:
        t.err(t.threads[MAX_THREADS].line, "%d threads: the engine runs at most %d" %
              (len(t.threads), MAX_THREADS))
    parse_tail(t, text, pos)
    return t


def parse_params(t, th, text, line):
    if text.strip() == "void":
        return
    for p in [x.strip() for x in text.split(",") if x.strip()]:
        m = re.match(r"^((?:[A-Za-z_]\w*\s+)*[A-Za-z_]\w*)\s*((?:\*\s*)+)\s*([A-Za-z_]\w*)$", p)
        if not m or m.group(3) in ("int", "long"):
            t.err(line, "P%d: parameter '%s' is not 'type *name'" % (th.tid, p))
        words, stars, name = m.group(1).split(), m.group(2).count("*"), m.group(3)
        ctype = norm_type(words, stars - 1)
        check_base_type(t, line, ctype, "P%d: parameter %s" % (th.tid, name))
        if ctype == "void":
            ctype = "intptr_t"
        t.set_type(name, ctype, line, "P%d's parameter %s" % (th.tid, name))
        decl = " ".join(w for w in words) + " " + "*" * stars
        th.params.append((name, decl))


# ---- the initial state ---------------------------------------------------

def split_init(body):
    """Statements of the initial state, split at ';' outside braces, with
    their offsets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ";" and depth == 0:
            out.append((start, body[start:i]))
            start = i + 1
    out.append((start, body[start:]))
    return out


INIT_STMT = re.compile(r"""^\s*(?P<type>(?:(?!\d)[A-Za-z_]\w*\s+)*?)(?P<stars>(?:\*\s*)*)
    (?P<loc>(?:P?\d+\s*:\s*)?[A-Za-z_]\w*|\[\s*[A-Za-z_]\w*\s*\])\s*
    (?:\[\s*(?P<count>\d+)\s*\])?\s*(?:=\s*(?P<val>.+?))?\s*$""", re.S | re.X)


def litmus_int(text):
    """A number of a litmus file, as herd7 reads it (OCaml's int_of_string):
    0x hex, otherwise decimal, a leading zero included ("01" is 1; Python's
    int(text, 0) refuses it)."""
    digits = text.lstrip("-")
    return int(text, 16) if digits[:2] in ("0x", "0X") else int(text, 10)


def parse_value(t, text, line, what):
    """An initial value: ('int', n) or ('addr', name, index)."""
    v = text.strip()
    m = re.match(r"^ATOMIC_INIT\s*\((.*)\)$", v, re.S)
    if m:
        v = m.group(1).strip()
    if re.match(r"^-?(0[xX][0-9a-fA-F]+|\d+)$", v):
        return ("int", litmus_int(v))
    m = re.match(r"^&?\s*([A-Za-z_]\w*)\s*(?:\[\s*(\d+)\s*\])?$", v)
    if m and m.group(1) not in ("NULL",):
        return ("addr", m.group(1), int(m.group(2)) if m.group(2) else None)
    if v == "NULL":
        return ("int", 0)
    t.err(line, "%s: unsupported initial value '%s'" % (what, v))


def parse_init(t, body, line0):
    for off, stmt in split_init(body):
        if not stmt.strip():
            continue
        line = line0 + body.count("\n", 0, off + len(stmt) - len(stmt.lstrip()))
        m = INIT_STMT.match(stmt)
        if not m:
            t.err(line, "unsupported initial-state statement '%s'" % " ".join(stmt.split())[:50])
        words = m.group("type").split()
        stars = m.group("stars").count("*")
        locname = re.sub(r"[\s\[\]]", "", m.group("loc"))
        val = m.group("val")
        ctype = norm_type(words, stars) if words else None
        if ctype:
            check_base_type(t, line, ctype, "initial state of %s" % locname)
        if ":" in locname:                      # a register: 0:r1 or P0:r1
            tid, reg = locname.split(":")
            tid = int(tid.lstrip("P"))
            if m.group("count"):
                t.err(line, "%s: a register cannot be an array" % locname)
            value = parse_value(t, val, line, locname) if val is not None else ("int", 0)
            if stars and not words:
                ctype = None
            t.reg_inits.append((tid, reg, value, ctype, line))
            continue
        loc = t.loc(locname, line)
        if m.group("count"):
            n = int(m.group("count"))
            if n < 1:
                t.err(line, "%s: an array needs at least one element" % locname)
            if n > MAX_ARRAY:
                t.err(line, "%s: %d elements: the engine keeps arrays of at most %d" %
                      (locname, n, MAX_ARRAY))
            loc.count = n
            if ctype is None:
                ctype = "int"
        if ctype is not None:
            t.set_type(locname, ctype, line, "the initial state")
        elif stars:
            loc.star_untyped = True
        if val is None:
            continue
        if loc.count:
            vm = re.match(r"^\{(.*)\}$", val.strip(), re.S)
            if not vm:
                t.err(line, "%s: an array's initial value is '{v0, v1, ...}'" % locname)
            vals = [x for x in vm.group(1).split(",") if x.strip()]
            if len(vals) != loc.count:
                t.err(line, "%s has %d elements but %d initial values" % (locname, loc.count,
                                                                           len(vals)))
            loc.init = [parse_value(t, x, line, locname) for x in vals]
        else:
            if val.strip().startswith("{"):
                t.err(line, "%s: '{...}' initialises an array: declare it as %s[N]" %
                      (locname, locname))
            loc.init = parse_value(t, val, line, locname)
        loc.init_line = line


def resolve_locations(t):
    """Every location's type, once the threads' parameters are known;
    check the initial values against them."""
    for loc in list(t.locs.values()):
        vals = loc.init if isinstance(loc.init, list) else [loc.init] if loc.init else []
        for v in vals:
            if v[0] == "addr":
                if v[1] not in t.locs:          # herd7: a name is a location
                    t.loc(v[1], getattr(loc, "init_line", loc.line))
    for loc in list(t.locs.values()):
        if loc.ctype is None:
            init = loc.init if not isinstance(loc.init, list) else None
            if init and init[0] == "addr":
                target = t.locs[init[1]]
                loc.ctype = (target.ctype or "int") + " *" if not is_ptr(target.ctype or "int") \
                    else target.ctype + "*"
                loc.typed_by = "its initial value"
            elif getattr(loc, "star_untyped", False):
                loc.ctype, loc.typed_by = "int *", "the initial state"
            else:
                loc.ctype, loc.typed_by = "int", "default"
    for loc in t.locs.values():
        vals = loc.init if isinstance(loc.init, list) else [loc.init] if loc.init else []
        line = getattr(loc, "init_line", loc.line)
        for v in vals:
            if v[0] == "addr":
                target = t.locs[v[1]]
                if v[2] is not None and (target.count is None or v[2] >= target.count):
                    t.err(line, "%s: %s[%d] is not an element of %s" % (loc.name, v[1], v[2],
                                                                       v[1]))
                if not is_ptr(loc.ctype) and loc.ctype not in PTR_SIZED:
                    t.err(line, "type error: %s is %s (from %s) and cannot hold the address of "
                          "%s: declare it '%s' or intptr_t" % (
                              loc.name, loc.ctype, loc.typed_by, v[1],
                              c_decl(target.ctype + (" *" if not is_ptr(target.ctype) else "*"),
                                     loc.name)))
                if loc.ctype in ("atomic_t", "atomic_long_t", "spinlock_t"):
                    t.err(line, "type error: %s is %s" % (loc.name, loc.ctype))
            elif loc.ctype in ("spinlock_t", "struct srcu_struct"):
                t.err(line, "%s is a %s: it has no initial value" % (loc.name, loc.ctype))
        if loc.count and loc.ctype in ("spinlock_t", "atomic_t", "atomic_long_t"):
            t.err(loc.line, "%s: arrays of %s are not supported" % (loc.name, loc.ctype))


# ---- the final condition ---------------------------------------------------

STATE_TOKEN = re.compile(r"\s*(?:(?P<kw>/\\|\\/|=>|==|!=|<>|~|[=()\[\]:;*&,])|"
                         r"(?P<num>-?0[xX][0-9a-fA-F]+|-?\d+)|(?P<name>[A-Za-z_$][\w.$]*))")


class StateParser:
    """herd7's constraint language (lib/stateParser.mly), for what the
    C dialect uses."""

    def __init__(self, t, text, line0):
        self.t, self.text, self.toks, pos = t, text, [], 0
        while pos < len(text):
            m = STATE_TOKEN.match(text, pos)
            if not m:
                rest = text[pos:].strip()
                if not rest:
                    break
                # not a token: an error when the parser gets there
                at = pos + len(text[pos:]) - len(text[pos:].lstrip())
                self.toks.append(("bad", rest.split("\n")[0][:30],
                                  line0 + text.count("\n", 0, at), at, len(text)))
                break
            kind = m.lastgroup
            self.toks.append((kind, m.group(kind), line0 + text.count("\n", 0, m.start(kind)),
                              m.start(kind), m.end(kind)))
            pos = m.end()
        self.i = 0
        self.end_line = line0 + text.count("\n", 0, len(text.rstrip()))

    def peek(self, k=0):
        tok = self.toks[self.i + k][:3] if self.i + k < len(self.toks) else \
            (None, None, self.end_line)
        if tok[0] == "bad" and k == 0:
            self.t.err(tok[2], "unexpected text in the final condition: '%s'" % tok[1])
        return tok

    def line(self):
        return self.peek()[2]

    def is_(self, text, k=0):
        tok = self.peek(k)
        return tok[0] is not None and tok[1] == text

    def take(self, text=None, kind=None, what=None):
        tok = self.peek()
        if tok[0] is None or (text is not None and tok[1] != text) or (kind and tok[0] != kind):
            self.t.err(tok[2], "final condition: expected %s, found %s" %
                       (what or repr(text) if text else what or kind,
                        repr(tok[1]) if tok[1] else "the end"))
        self.i += 1
        return tok[1]

    def parse(self):
        t = self.t
        if self.is_("locations"):
            self.take()
            self.take("[")
            while not self.is_("]"):
                if self.peek()[0] is None:
                    t.err(self.line(), "locations: no closing ']'")
                item = self.location()
                while self.peek()[0] == "name" or self.is_("*"):    # a type annotation
                    self.take()
                t.locations.append(item)
                if self.is_(";"):
                    self.take()
            self.take("]")
        if self.is_("filter"):
            self.take()
            t.filter_line = self.line()
            t.filter = self.prop()
        t.cond_line = self.line()
        start = self.i
        if self.is_("forall"):
            self.take()
            t.quant = "LT_FORALL"
            t.cond = self.prop()
        elif self.is_("exists") or self.is_("final"):
            self.take()
            t.quant = "LT_EXISTS"
            t.cond = self.prop()
        elif (self.is_("~") or self.is_("not")) and self.is_("exists", 1):
            self.take()
            self.take()
            t.quant = "LT_NOT_EXISTS"
            t.cond = self.prop()
        elif self.is_("("):
            t.quant = "LT_EXISTS"
            t.cond = self.prop()
        elif self.peek()[0] is None:
            t.quant, t.cond = "LT_FORALL", ("true",)
        else:
            t.err(self.line(), "unexpected '%s' before the final condition (want locations, "
                  "filter, exists, ~exists or forall)" % self.peek()[1])
        if self.i > start:
            src = self.text[self.toks[start][3]:self.toks[self.i - 1][4]]
            t.cond_text = " ".join(src.split())
            if not t.cond_text.startswith(("exists", "forall", "~", "not", "final")):
                t.cond_text = "exists " + t.cond_text
        if self.is_("with"):
            t.err(self.line(), "'with' (diy's test kinds) is not supported")
        if self.is_(";"):
            self.take()
        if self.peek()[0] is not None:
            t.err(self.line(), "unexpected text after the final condition: '%s'" % " ".join(
                tok[1] for tok in self.toks[self.i:self.i + 6]))

    # prop: OR < AND < IMPLIES (right) < NOT, as in herd7
    def prop(self):
        c = self.prop_and()
        while self.is_("\\/"):
            self.take()
            c = ("or", c, self.prop_and())
        return c

    def prop_and(self):
        c = self.prop_imp()
        while self.is_("/\\"):
            self.take()
            c = ("and", c, self.prop_imp())
        return c

    def prop_imp(self):
        c = self.prop_not()
        if self.is_("=>"):
            self.take()
            c = ("or", ("not", c), self.prop_imp())
        return c

    def prop_not(self):
        if self.is_("~") or self.is_("not"):
            self.take()
            return ("not", self.prop_not())
        if self.is_("true") or self.is_("false"):
            return (self.take(),)
        if self.is_("("):
            self.take()
            c = self.prop()
            self.take(")", what="')'")
            return c
        return self.atom()

    def location(self):
        """A register ('reg', tid, name), a location ('loc', name, index)."""
        t = self.t
        kind, text, line = self.peek()
        if kind == "num" and self.is_(":", 1) or kind == "name" and re.match(r"^P\d+$", text or "") \
                and self.is_(":", 1):
            self.take()
            self.take(":")
            reg = self.take(kind="name", what="a register name")
            return ("reg", int(text.lstrip("P")), reg, line)
        if self.is_("["):
            self.take()
            name = self.take(kind="name", what="a location")
            self.take("]")
            return ("loc", name, None, line)
        if kind == "name" and text not in ("true", "false", "exists", "forall", "filter", "not"):
            self.take()
            if self.is_("["):
                self.take()
                idx = litmus_int(self.take(kind="num", what="an index"))
                self.take("]")
                return ("loc", text, idx, line)
            return ("loc", text, None, line)
        t.err(line, "final condition: expected a register or a location, found %s" %
              (repr(text) if text else "the end"))

    def atom(self):
        lhs = self.location()
        line = self.line()
        if self.is_("=") or self.is_("=="):
            self.take()
            neg = False
        elif self.is_("!=") or self.is_("<>"):
            self.take()
            neg = True
        else:
            self.t.err(line, "final condition: expected '=' after %s" % show_item(lhs))
        kind, text, vline = self.peek()
        if kind == "num" and not self.is_(":", 1):
            self.take()
            rhs = ("num", litmus_int(text))
        elif self.is_("*"):
            self.take()
            name = self.take(kind="name", what="a location")
            rhs = ("val", ("loc", name, None, vline))
        elif self.is_("&"):
            self.take()
            rhs = ("addr", self.take(kind="name", what="a location"), None)
        elif kind in ("num", "name"):
            item = self.location()
            if item[0] == "reg":
                rhs = ("val", item)
            else:
                rhs = ("addr", item[1], item[2])
        else:
            self.t.err(vline, "final condition: expected a value after '='")
        a = ("eq", lhs, rhs, vline)
        return ("not", a) if neg else a


def show_item(item):
    if item[0] == "reg":
        return "%d:%s" % (item[1], item[2])
    return item[1] if item[2] is None else "%s[%d]" % (item[1], item[2])


def parse_tail(t, text, pos):
    tail = text[pos:]
    StateParser(t, tail, line_of(text, pos)).parse()


# ---- thread bodies -----------------------------------------------------------

def is_type_start(toks, i):
    w = toks[i].text
    return toks[i].kind == "id" and (w in INT_WORDS or w in TYPEDEFS or w in QUALIFIERS or
                                     w in ("struct", "void"))


def statement_start(toks, i):
    return i == 0 or toks[i - 1].text in (";", "{", "}")


def analyse_body(t, th, api):
    """Hoist the registers' declarations, find the implicit registers,
    check every name, rewrite what the engine must see (bounded locks,
    `return`): th.out is the body as generated C, th.regs its registers."""
    toks = c_tokens(t, th.body, th.body_line)
    params = {name for name, _ in th.params}
    edits = []              # (start, end, replacement) in th.body

    def declare(name, ctype, line, how):
        if name in params:
            t.err(line, "P%d: register %s has the name of a parameter" % (th.tid, name))
        old = th.regs.get(name)
        if old and old.ctype != ctype:
            t.err(line, "P%d: register %s declared %s here but %s on line %d" %
                  (th.tid, name, ctype, old.ctype, old.line))
        if not old:
            th.regs[name] = Reg(name, ctype, line, how)

    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "id" and tok.text in ("while", "for", "do"):
            t.err(tok.line, "P%d: '%s' loops are not run here (herd7 unrolls them; a spinning "
                  "loop could hang a CPU: only lock acquisitions are bounded)" % (th.tid, tok.text))
        if tok.kind == "id" and tok.text in ("goto", "switch", "asm", "__asm__", "break",
                                             "continue", "static", "extern", "typedef"):
            t.err(tok.line, "P%d: unsupported construct '%s'" % (th.tid, tok.text))
        if tok.kind == "id" and tok.text == "return":
            if i + 1 < len(toks) and toks[i + 1].text == ";":
                edits.append((tok.start, toks[i + 1].end, "goto lt_exit;"))
                i += 2
                continue
            t.err(tok.line, "P%d: 'return' with a value: a thread returns nothing" % th.tid)
        if statement_start(toks, i) and is_type_start(toks, i) and not (
                i + 1 < len(toks) and toks[i + 1].text == "("):
            i = hoist_declaration(t, th, toks, i, edits, declare)
            continue
        i += 1
    th.edits = edits
    th.toks = toks
    assigns = ("=", "+=", "-=", "*=", "/=", "|=", "&=", "^=", "++", "--")
    assigned = set()
    for k, tok in enumerate(toks):
        if tok.kind == "id" and (k + 1 < len(toks) and toks[k + 1].text in assigns or
                                 k > 0 and toks[k - 1].text in ("++", "--")) and \
                not (k > 0 and toks[k - 1].text in (".", "->", "*")):
            assigned.add(tok.text)
    # names: calls, registers (assigned or read), parameters
    for k, tok in enumerate(toks):
        if tok.kind != "id" or tok.text in C_KEYWORDS or tok.text in INT_WORDS or \
                tok.text in TYPEDEFS or tok.text in C_CONSTANTS:
            continue
        if k > 0 and toks[k - 1].text in (".", "->"):
            continue
        nxt = toks[k + 1].text if k + 1 < len(toks) else ""
        name = tok.text
        if nxt == "(":
            if name in th.regs or name in params:
                t.err(tok.line, "P%d: %s is not a function" % (th.tid, name))
            if name in GRACE_RCU or name in GRACE_SRCU or name == "smp_mb__after_srcu_read_unlock":
                grace_call(t, th, toks, k, edits)
                continue
            if name in UNSUPPORTED:
                t.err(tok.line, "P%d: unsupported construct '%s': %s" % (th.tid, name,
                                                                        UNSUPPORTED[name]))
            if name not in api.names:
                t.err(tok.line, "P%d: unsupported construct '%s': not in the kernel API this "
                      "image implements" % (th.tid, name))
            th.calls.add(name)
            if name in BOUNDED:
                t.uses_locks = True
                edits.append((tok.start, tok.end, BOUNDED[name]))
            continue
        if name in params or name in th.regs:
            continue
        if name in api.names:
            continue              # an object-like macro (BITS_PER_LONG...)
        initialised = any(r[0] == th.tid and r[1] == name for r in t.reg_inits)
        if name in assigned or initialised:
            th.regs[name] = Reg(name, None, tok.line, "implicit")
            continue
        if name in t.locs:
            t.err(tok.line, "P%d: %s is a location but not a parameter of P%d" %
                  (th.tid, name, th.tid))
        t.err(tok.line, "P%d: unknown name '%s' (not a parameter, a register or the kernel "
              "API)" % (th.tid, name))


def grace_call(t, th, toks, k, edits):
    """A grace-period or SRCU call: the engine's macro, by domain."""
    tok, name = toks[k], toks[k].text
    t.uses_gp = True
    th.calls.add(name)
    args = call_args(toks, k)
    end = k + 1
    depth = 0
    for j in range(k + 1, len(toks)):
        depth += {"(": 1, ")": -1}.get(toks[j].text, 0)
        if depth == 0:
            end = j
            break
    if name == "smp_mb__after_srcu_read_unlock":
        edits.append((tok.start, toks[end].end, "virt_mb()"))
        return
    if name in GRACE_RCU:
        edits.append((tok.start, toks[end].end, "%s(0)" % GRACE_RCU[name]))
        return
    if not args or len(args[0]) != 1 or args[0][0].text not in dict(th.params):
        t.err(tok.line, "P%d: %s: the first argument must be a struct srcu_struct parameter" %
              (th.tid, name))
    sname = args[0][0].text
    if t.locs[sname].ctype != "struct srcu_struct":
        t.err(tok.line, "P%d: %s(%s): %s is %s, not a struct srcu_struct" %
              (th.tid, name, sname, sname, t.locs[sname].ctype))
    if sname not in t.srcu:
        if len(t.srcu) == MAX_SRCU:
            t.err(tok.line, "P%d: more than %d srcu_structs: the engine keeps %d grace-period "
                  "domains besides RCU's" % (th.tid, MAX_SRCU, MAX_SRCU))
        t.srcu.append(sname)
    edits.append((tok.start, toks[end].end, "%s(%d)" % (GRACE_SRCU[name],
                                                       1 + t.srcu.index(sname))))


def hoist_declaration(t, th, toks, i, edits, declare):
    """toks[i] starts a declaration: record its registers (declared at the
    top of the thread), and leave in its place a comma expression of its
    initialisers: the type words and the declarators' stars are blanked, a
    declarator without an initialiser becomes (void)0. Everything else
    stays where it was, so lines and later rewrites are kept."""
    words = []
    while i < len(toks) and is_type_start(toks, i):
        words.append(toks[i].text)
        edits.append((toks[i].start, toks[i].end, ""))
        i += 1
        if words[-1] == "struct" and i < len(toks):
            words.append(toks[i].text)
            edits.append((toks[i].start, toks[i].end, ""))
            i += 1
    th.assign_rhs = getattr(th, "assign_rhs", [])
    while True:
        stars = 0
        while i < len(toks) and toks[i].text == "*":
            stars += 1
            edits.append((toks[i].start, toks[i].end, ""))
            i += 1
        if i >= len(toks) or toks[i].kind != "id":
            t.err(toks[min(i, len(toks) - 1)].line, "P%d: malformed declaration" % th.tid)
        name_tok = toks[i]
        ctype = norm_type(words, stars)
        check_base_type(t, name_tok.line, ctype, "P%d: register %s" % (th.tid, name_tok.text))
        if ctype in ("spinlock_t", "atomic_t", "atomic_long_t"):
            t.err(name_tok.line, "P%d: register %s of type %s: a lock or an atomic_t is a "
                  "location (a parameter), not a register" % (th.tid, name_tok.text, ctype))
        i += 1
        if i < len(toks) and toks[i].text == "[":
            t.err(name_tok.line, "P%d: register %s: arrays are locations (declare them in the "
                  "initial state)" % (th.tid, name_tok.text))
        declare(name_tok.text, ctype, name_tok.line, "declared")
        if i < len(toks) and toks[i].text == "=":
            depth, j = 0, i + 1
            while j < len(toks):
                if toks[j].text in ("(", "[", "{"):
                    depth += 1
                elif toks[j].text in (")", "]", "}"):
                    depth -= 1
                elif depth == 0 and toks[j].text in (",", ";"):
                    break
                j += 1
            if j == i + 1:
                t.err(name_tok.line, "P%d: %s = nothing" % (th.tid, name_tok.text))
            th.assign_rhs.append((name_tok.text, toks[i + 1:j], name_tok.line))
            i = j
        else:
            edits.append((name_tok.start, name_tok.end, "(void)0"))
        if i < len(toks) and toks[i].text == ",":
            i += 1
            continue
        if i < len(toks) and toks[i].text == ";":
            break
        t.err(toks[min(i, len(toks) - 1)].line, "P%d: malformed declaration" % th.tid)
    return i + 1


def type_of_name(t, th, name):
    """The C type of a bare name in a body: a parameter or a register."""
    for p, decl in th.params:
        if p == name:
            return norm_type(decl.replace("*", " ").split(), decl.count("*"))
    if name in th.regs:
        return th.regs[name].ctype or "int"
    return None


# Calls that store their last argument where their first one points
# (a location given as *p or as p).
STORES = {"WRITE_ONCE", "smp_store_release", "virt_store_release", "rcu_assign_pointer",
          "smp_store_mb", "virt_store_mb", "set_mb", "xchg", "xchg_relaxed", "xchg_acquire",
          "xchg_release", "atomic_set", "atomic_set_release"}
# ... of which these take the location itself (*p), not its address.
LVALUE_STORES = {"WRITE_ONCE", "smp_store_mb", "virt_store_mb", "set_mb", "rcu_assign_pointer"}


def call_args(toks, k):
    """The argument token lists of the call whose name is toks[k]."""
    args, cur, depth, j = [], [], 0, k + 2
    while j < len(toks):
        tx = toks[j].text
        if tx in ("(", "[", "{"):
            depth += 1
        elif tx in (")", "]", "}"):
            if depth == 0:
                break
            depth -= 1
        if depth == 0 and tx == ",":
            args.append(cur)
            cur = []
        else:
            cur.append(toks[j])
        j += 1
    args.append(cur)
    return args


UNARY_BEFORE = {"(", ",", "=", ";", "{", "}", "return", "+", "-", "*", "/", "&", "|", "^", "!",
                "~", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "?", ":", "+=", "-="}


def type_check(t, th):
    """herd7 is untyped; C is not. What a litmus author writes that gcc
    would refuse, found here with the line: an address stored in an int,
    an int where a pointer goes. An address stored in a pointer-sized
    integer (intptr_t, long) or such an integer stored where a pointer goes
    is what herd7 does untyped: a cast is added. (Anything subtler is left
    to the compile check, which rejects the file at its line.)"""
    toks = th.toks
    for name, rhs, line in getattr(th, "assign_rhs", []):
        reg = th.regs.get(name)
        check_store(t, th, reg.ctype if reg else None, "register %s" % name, rhs, line)
    for k, tok in enumerate(toks):
        # *r with r an intptr_t register: herd7 follows any value as an
        # address; C needs the pointer type (the location's, intptr_t)
        if tok.text == "*" and (k == 0 or toks[k - 1].text in UNARY_BEFORE) and \
                k + 1 < len(toks) and toks[k + 1].kind == "id" and \
                toks[k + 1].text in th.regs and th.regs[toks[k + 1].text].ctype in PTR_SIZED:
            th.edits.append((toks[k + 1].start, toks[k + 1].start,
                             "(%s *)" % th.regs[toks[k + 1].text].ctype))
    for k, tok in enumerate(toks):
        if tok.kind != "id":
            continue
        nxt = toks[k + 1].text if k + 1 < len(toks) else ""
        if nxt == "=" and tok.text in th.regs and (k == 0 or toks[k - 1].text in (";", "{", "}", ")")):
            j = k + 2
            rhs = []
            while j < len(toks) and toks[j].text != ";":
                rhs.append(toks[j])
                j += 1
            check_store(t, th, th.regs[tok.text].ctype, "register %s" % tok.text, rhs, tok.line)
        elif nxt == "(" and re.match(r"^atomic_(long_)?", tok.text) and tok.text in th.calls:
            # herd7's atomic_*() work on any int location: the kernel's take
            # an atomic_t, whose counter is that int
            want = "atomic_long_t" if tok.text.startswith("atomic_long_") else "atomic_t"
            plain = "long" if want == "atomic_long_t" else "int"
            for arg in call_args(toks, k):
                if len(arg) == 1 and arg[0].kind == "id" and type_of_name(t, th, arg[0].text) == \
                        plain + " *":
                    th.edits.append((arg[0].start, arg[0].start, "(%s *)" % want))
        elif nxt == "(" and tok.text in STORES:
            args = call_args(toks, k)
            if len(args) < 2 or not args[0]:
                continue
            target = args[0]
            if len(target) == 2 and target[0].text == "*" and tok.text in LVALUE_STORES:
                ptr = type_of_name(t, th, target[1].text)
            elif len(target) == 1 and tok.text not in LVALUE_STORES:
                ptr = type_of_name(t, th, target[0].text)
            else:
                continue
            if ptr is None or not is_ptr(ptr):
                continue
            dst = deref(ptr)
            if dst in ("atomic_t", "atomic_long_t"):
                dst = "int" if dst == "atomic_t" else "long"
            check_store(t, th, dst, "*%s" % target[-1].text, args[-1], tok.line)


def check_store(t, th, dst, what, rhs, line):
    """dst = rhs, rhs a token list: a bare name is checked, and cast where
    herd7's untyped store would just happen."""
    if not known_type(dst) or len(rhs) != 1 or rhs[0].kind != "id":
        return
    src = type_of_name(t, th, rhs[0].text)
    if not known_type(src):
        return
    if is_ptr(src) and not is_ptr(dst):
        if dst in PTR_SIZED:
            th.edits.append((rhs[0].start, rhs[0].start, "(%s)" % dst))
        else:
            t.err(line, "type error: P%d: %s is %s but %s is a pointer (%s): an address does "
                  "not fit; make it '%s' or intptr_t" % (th.tid, what, dst, rhs[0].text, src, src))
    elif is_ptr(dst) and not is_ptr(src):
        if src in PTR_SIZED:
            th.edits.append((rhs[0].start, rhs[0].start, "(%s)" % dst))
        else:
            t.err(line, "type error: P%d: %s is a pointer (%s) but %s is %s" %
                  (th.tid, what, dst, rhs[0].text, src))


def infer_implicit(t, th, api):
    """An implicit register's type: herd7 declares it int, and is untyped;
    C needs the type of what it holds. When its first assignment reads a
    pointer location (or is a parameter, an address) and names only
    parameters, the API and declared registers: the value's type
    (__typeof__, unqualified by the + 0); else int, as herd7."""
    toks = th.toks
    for k, tok in enumerate(toks):
        reg = th.regs.get(tok.text)
        if not reg or reg.how != "implicit" or reg.ctype or reg.init is not None:
            continue
        if not (k + 1 < len(toks) and toks[k + 1].text == "=" and
                (k == 0 or toks[k - 1].text in (";", "{", "}", ")"))):
            continue
        j, rhs = k + 2, []
        while j < len(toks) and toks[j].text != ";":
            rhs.append(toks[j])
            j += 1
        ok = bool(rhs)
        for r in rhs:
            if r.kind == "id" and not (r.text in dict(th.params) or r.text in api.names or
                                       r.text in C_KEYWORDS or r.text in C_CONSTANTS or
                                       r.text in INT_WORDS or r.text in TYPEDEFS or
                                       (r.text in th.regs and th.regs[r.text].how == "declared")):
                ok = False
        # only where it may hold an address: it reads a pointer location
        # (a parameter T **), or is given a parameter itself
        params = dict(th.params)
        pointerish = any(r.kind == "id" and params.get(r.text, "").count("*") >= 2 for r in rhs) \
            or (len(rhs) == 1 and rhs[0].text in params)
        if ok and pointerish:
            reg.ctype = "__typeof__((%s) + 0)" % th.body[rhs[0].start:rhs[-1].end]


def resolve_registers(t):
    """Register types: declared, from the initial state, or int."""
    for tid, name, value, ctype, line in t.reg_inits:
        if tid >= len(t.threads):
            t.err(line, "%d:%s: there is no P%d" % (tid, name, tid))
        th = t.threads[tid]
        reg = th.regs.get(name)
        if reg is None:
            reg = th.regs[name] = Reg(name, None, line, "initial state")
        if value[0] == "addr":
            target = t.locs.get(value[1])
            if target is None:                  # herd7: a name is a location
                target = t.loc(value[1], line)
                target.ctype, target.typed_by = "int", "default"
            if reg.ctype is None:
                reg.ctype = ctype or (target.ctype + (" *" if not is_ptr(target.ctype) else "*"))
            if not is_ptr(reg.ctype) and reg.ctype not in PTR_SIZED:
                t.err(line, "type error: %d:%s is %s and cannot hold the address of %s" %
                      (tid, name, reg.ctype, value[1]))
        elif reg.ctype is None:
            reg.ctype = ctype or "int"
        if reg.how == "implicit" and ctype:
            reg.ctype = ctype
        reg.init = value
    for th in t.threads:
        for reg in th.regs.values():
            if reg.ctype is None:
                reg.ctype = "int"


def known_type(ctype):
    return ctype is not None and not ctype.startswith("__typeof__")


def apply_edits(text, edits):
    out, pos = [], 0
    for s, e, rep in sorted(edits):
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(rep)
        pos = e
    out.append(text[pos:])
    return "".join(out)


# ---- code generation ------------------------------------------------------

def c_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def c_decl(ctype, name):
    return "%s %s" % (ctype, name) if not is_ptr(ctype) else "%s%s" % (ctype, name)


class Observed:
    """The variables a final state is made of (histogram keys), in order."""

    def __init__(self, t):
        self.t, self.items = t, []

    def keys(self):
        return [k for k, _ in self.items]

    def add(self, item):
        key = show_item(item)
        if key not in self.keys():
            self.items.append((key, item))

    def regs(self, tid):
        return [w[2] for _, w in self.items if w[0] == "reg" and w[1] == tid]


class Gen:
    def __init__(self, t, idx, api):
        self.t, self.p, self.api = t, "lt%d" % idx, api
        self.names = list(t.locs)

    def check_item(self, item, line):
        t = self.t
        if item[0] == "reg":
            tid, name = item[1], item[2]
            if tid >= len(t.threads) or name not in t.threads[tid].regs:
                t.err(line, "final condition: %s is not a register of P%d" % (name, tid)
                      if tid < len(t.threads) else "final condition: there is no P%d" % tid)
            return t.threads[tid].regs[name].ctype
        name, idx = item[1], item[2]
        if name not in t.locs or t.locs[name].hidden:
            t.err(line, "final condition: unknown location '%s'" % name)
        loc = t.locs[name]
        if loc.ctype == "spinlock_t":
            t.err(line, "final condition: %s is a spinlock: its value is not observable" % name)
        if loc.ctype == "struct srcu_struct":
            t.err(line, "final condition: %s is an srcu_struct: it has no value" % name)
        if idx is not None and (loc.count is None or idx >= loc.count):
            t.err(line, "final condition: %s[%d] is not an element of %s" % (name, idx, name))
        if idx is None and loc.count is not None:
            t.err(line, "final condition: %s is an array: compare its elements (%s[0]...)" %
                  (name, name))
        return loc.ctype

    def value(self, item):
        """C for an observed item's value in the count loop."""
        if item[0] == "reg":
            return "lt_r%d[%d]" % (item[1], self.observed.regs(item[1]).index(item[2]))
        loc = self.t.locs[item[1]]
        k = self.names.index(item[1])
        if loc.ctype in ("atomic_t", "atomic_long_t"):
            return "(long)((%s *)lt_loc[%d])->counter" % (loc.ctype, k)
        if item[2] is not None:
            return "(long)((%s *)lt_loc[%d])[%d]" % (loc.ctype, k, item[2])
        return "(long)*(%s *)lt_loc[%d]" % (loc.ctype, k)

    def address(self, name, idx, line):
        t = self.t
        if name not in t.locs or t.locs[name].hidden:
            t.err(line, "final condition: '%s' is not a location" % name)
        loc = t.locs[name]
        k = self.names.index(name)
        if idx is None:
            return "(long)lt_loc[%d]" % k
        if loc.count is None or idx >= loc.count:
            t.err(line, "final condition: %s[%d] is not an element of %s" % (name, idx, name))
        return "(long)&((%s *)lt_loc[%d])[%d]" % (loc.ctype, k, idx)

    def collect(self, c):
        if c[0] in ("and", "or"):
            self.collect(c[1])
            self.collect(c[2])
        elif c[0] == "not":
            self.collect(c[1])
        elif c[0] == "eq":
            self.check_item(c[1], c[3])
            self.observed.add(c[1])
            if c[2][0] == "val":
                self.check_item(c[2][1], c[3])
                self.observed.add(c[2][1])
            elif c[2][0] == "addr":
                self.address(c[2][1], c[2][2], c[3])

    def compile(self, c):
        if c[0] == "true":
            return "1"
        if c[0] == "false":
            return "0"
        if c[0] == "and":
            return "(%s && %s)" % (self.compile(c[1]), self.compile(c[2]))
        if c[0] == "or":
            return "(%s || %s)" % (self.compile(c[1]), self.compile(c[2]))
        if c[0] == "not":
            return "!%s" % self.compile(c[1])
        lhs, rhs, line = self.value(c[1]), c[2], c[3]
        if rhs[0] == "num":
            r = "%dL" % rhs[1] if -2**31 <= rhs[1] < 2**31 else "(long)%dLL" % rhs[1]
        elif rhs[0] == "addr":
            r = self.address(rhs[1], rhs[2], line)
        else:
            r = self.value(rhs[1])
        return "(%s == %s)" % (lhs, r)

    def generate(self):
        t, p = self.t, self.p
        out = ["/* ---- %s (%s) ---- */" % (t.name, t.path)]
        self.observed = Observed(t)
        self.collect(t.cond)
        if t.filter:
            self.collect(t.filter)
        for item in t.locations:
            self.check_item(item, item[3])
            self.observed.add(item)
        if len(self.observed.items) > MAX_OBS:
            t.err(t.cond_line, "%d observed values (%s): the histogram keeps at most %d" % (
                len(self.observed.items), ", ".join(self.observed.keys()), MAX_OBS))
        if t.uses_sync:
            st = t.loc("lt_sync", 0)
            st.ctype, st.hidden = "struct litmus_sync", True
            self.names = list(t.locs)
        nlocs = len(self.names)
        if nlocs > MAX_LOCS:
            t.err(1, "%d locations%s: the engine keeps at most %d" % (
                nlocs, " (one for the locks' and grace periods' bookkeeping)" if t.uses_sync else "", MAX_LOCS))
        out.append("static const struct litmus_loc %s_locs[] = {%s};" % (p, ", ".join(
            "{ %s, sizeof(%s)%s, sizeof(%s) }" % (c_string(n), t.locs[n].ctype,
                                                  " * %d" % t.locs[n].count if t.locs[n].count
                                                  else "", t.locs[n].ctype)
            for n in self.names) or "{ \"\", 0, 0 }"))
        nregs = []
        for th in t.threads:
            stored = self.observed.regs(th.tid)
            nregs.append(len(stored) + (1 if t.uses_sync else 0))
            if nregs[-1] > MAX_REGS:
                t.err(th.line, "P%d stores %d registers: the engine keeps at most %d" %
                      (th.tid, nregs[-1], MAX_REGS))
            out.append(self.thread(th, stored, nlocs))
        out.append(self.init(nlocs))
        out.append(self.final(nregs, nlocs))
        out.append("static const struct litmus_var %s_obs[] = {%s};" % (p, ", ".join(
            "{ %s, %d }" % (c_string(k), 1 if self.is_ptr_item(item) else 0)
            for k, item in self.observed.items) or "{ \"\", 0 }"))
        deg = sorted(n for th in t.threads for n in th.calls if n in self.api.degraded)
        deg = sorted(set(deg))
        out.append("""static const struct litmus_test %(p)s = {
\t.name = %(name)s, .file = %(file)s,
\t.nthreads = %(nt)d, .nlocs = %(nl)d, .locs = %(p)s_locs,
\t.nregs = %(p)s_nregs,
\t.thread = { %(threads)s },
\t.sweep = { %(sweeps)s },
\t.count = %(p)s_count,
\t.nobs = %(nobs)d, .obs = %(p)s_obs,
\t.quant = %(quant)s, .expect = %(expect)s, .cond_text = %(ctext)s,
\t.datarace = %(race)s, .locks = %(locks)s,
\t.smp_degraded = %(deg)s,
};
TEST(%(p)s_test, .name = "litmus/" %(name)s, .min_cpus = %(nt)d, .timeout_ms = LITMUS_TIMEOUT_MS)
{
\tlitmus_run(&%(p)s);
}
""" % dict(p=p, name=c_string(t.name), file=c_string(os.path.basename(t.path)),
           nt=len(t.threads), nl=nlocs,
           threads=", ".join("%s_P%d_one" % (p, i) for i in range(len(t.threads))),
           sweeps=", ".join("%s_P%d_sweep" % (p, i) for i in range(len(t.threads))),
           nobs=len(self.observed.items), quant=t.quant, expect=t.expect,
           ctext=c_string(t.cond_text), race="true" if t.datarace else "false",
           locks="true" if t.uses_sync else "false",
           deg=c_string(", ".join("%s()" % n for n in deg)) if deg else "NULL"))
        return "\n".join(out)

    def is_ptr_item(self, item):
        """Observed as an address (its location's name when it is one)."""
        if item[0] == "reg":
            ct = self.t.threads[item[1]].regs[item[2]].ctype
        else:
            ct = self.t.locs[item[1]].ctype
        return is_ptr(ct) or ct in ("intptr_t", "uintptr_t") or not known_type(ct)

    def reg_init(self, reg):
        if reg.init is None or reg.init == ("int", 0):
            return "{0}" if not is_ptr(reg.ctype) else "0"
        if reg.init[0] == "int":
            return "(%s)%d" % (reg.ctype, reg.init[1])
        k = self.names.index(reg.init[1])
        loc = self.t.locs[reg.init[1]]
        if reg.init[2] is None:
            return "(%s)lt_loc[%d]" % (reg.ctype, k)
        return "(%s)&((%s *)lt_loc[%d])[%d]" % (reg.ctype, loc.ctype, k, reg.init[2])

    def thread(self, th, stored, nlocs):
        t, p = self.t, self.p
        out = ["static inline __attribute__((always_inline)) void %s_P%d(void *const *lt_loc, "
               "long *lt_out)\n{" % (p, th.tid)]
        for name, decl in th.params:
            out.append("\t%s%s = (%s)lt_loc[%d];" % (decl, name, decl, self.names.index(name)))
        for reg in th.regs.values():
            out.append("\t%s = %s;" % (c_decl(reg.ctype, reg.name), self.reg_init(reg)))
        if t.uses_sync:
            out.append("\tstruct litmus_sync *const lt_ls = (struct litmus_sync *)lt_loc[%d];"
                       % self.names.index("lt_sync"))
            out.append("\tconst int lt_th = %d, lt_nth = %d;\n\tlong lt_dead = 0;" %
                       (th.tid, len(t.threads)))
        if t.uses_gp:
            out.append("\tint lt_nest[LITMUS_RCU_DOMAINS] = { 0 };")
        out.append("\t{")
        out.append("#line %d \"%s\"" % (th.body_line, t.path))
        out.append(th.out.rstrip())
        out.append("#line __LT_HERE__")
        out.append("\t}")
        if t.uses_sync:
            out.append("\tgoto lt_exit;\nlt_deadlock: __attribute__((unused));\n\tlt_dead = 1;")
        out.append("lt_exit: __attribute__((unused));")
        for k, name in enumerate(stored):
            out.append("\tlt_out[%d] = (long)(%s);" % (k, name))
        if t.uses_sync:
            out.append("\tlt_out[%d] = lt_dead;" % len(stored))
            out.append("\tlitmus_thread_done(lt_ls, lt_th);")
        out.append("}")
        out.append("LITMUS_THREAD(%s_P%d, %d, %d, %d)" % (p, th.tid, max(nlocs, 1),
                                                         len(stored) + (1 if t.uses_sync else 0),
                                                         len(t.threads)))
        return "\n".join(out)

    def init(self, nlocs):
        t, p = self.t, self.p
        out = ["static inline __attribute__((always_inline)) void %s_init(void *const *lt_loc)\n{"
               % p, "\t(void)lt_loc;"]
        for k, name in enumerate(self.names):
            loc = t.locs[name]
            if loc.hidden:
                out.append("\tlitmus_sync_init((struct litmus_sync *)lt_loc[%d]);" % k)
            elif loc.ctype == "struct srcu_struct":
                continue
            elif loc.ctype == "spinlock_t":
                out.append("\tspin_lock_init((spinlock_t *)lt_loc[%d]);" % k)
            elif loc.ctype in ("atomic_t", "atomic_long_t"):
                v = loc.init[1] if loc.init and loc.init[0] == "int" else 0
                out.append("\t%s((%s *)lt_loc[%d], %d);" % (
                    "atomic_set" if loc.ctype == "atomic_t" else "atomic_long_set", loc.ctype, k, v))
            elif loc.count:
                vals = loc.init or [("int", 0)] * loc.count
                for i, v in enumerate(vals):
                    out.append("\t((%s *)lt_loc[%d])[%d] = %s;" % (loc.ctype, k, i,
                                                                  self.init_value(loc, v)))
            else:
                out.append("\t*(%s *)lt_loc[%d] = %s;" % (loc.ctype, k,
                                                         self.init_value(loc, loc.init)))
        out.append("}")
        return "\n".join(out)

    def init_value(self, loc, v):
        if v is None:
            return "(%s)0" % loc.ctype
        if v[0] == "int":
            return "(%s)%d" % (loc.ctype, v[1])
        k = self.names.index(v[1])
        if v[2] is None:
            return "(%s)lt_loc[%d]" % (loc.ctype, k)
        return "(%s)&((%s *)lt_loc[%d])[%d]" % (loc.ctype, self.t.locs[v[1]].ctype, k, v[2])

    def final(self, nregs, nlocs):
        """The test's final state (observed values, filter, condition) and
        its count loop, an instance of LITMUS_COUNT (include/litmus.h)."""
        t, p = self.t, self.p
        nthreads = len(t.threads)
        out = ["static inline __attribute__((always_inline)) int %s_final(long *const *lt_r, "
               "void *const *lt_loc, long *lt_obs)\n{" % p]
        out += ["\tlong *const lt_r%d = lt_r[%d]; (void)lt_r%d;" % (i, i, i) for i in range(nthreads)]
        out.append("\t(void)lt_loc; (void)lt_obs;")
        if t.uses_sync:
            out.append("\tif (%s)\n\t\treturn LITMUS_DEADLOCKED;" % " || ".join(
                "lt_r%d[%d]" % (i, nregs[i] - 1) for i in range(nthreads)))
        if t.filter:
            out.append("\tif (!%s)\n\t\treturn LITMUS_FILTERED;" % self.compile(t.filter))
        for k, (key, item) in enumerate(self.observed.items):
            v = self.value(item)
            if self.is_ptr_item(item):
                v = "litmus_ptr_obs(%s, lt_loc, %s_locs, %d)" % (v, p, nlocs)
            out.append("\tlt_obs[%d] = %s;" % (k, v))
        out += ["\treturn %s;" % self.compile(t.cond), "}"]
        out.append("static const int %s_nregs[] = { %s };" % (p, ", ".join(str(n) for n in nregs)))
        out.append("LITMUS_COUNT(%s_count, %d, %d, %d, %s_final, %s_init, %s)" % (
            p, nthreads, max(nlocs, 1), len(self.observed.items), p, p,
            ", ".join(str(n) for n in nregs)))
        return "\n".join(out)


def translate(path, idx, api):
    """A test's generated C, or LitmusError."""
    t = parse(path)
    for th in t.threads:
        analyse_body(t, th, api)
    if any(n in GRACE_RCU for th in t.threads for n in th.calls):
        for th in t.threads:         # real read-side sections for its grace periods
            for k, tok in enumerate(th.toks):
                if tok.text in RCU_MARKS and k + 1 < len(th.toks) and th.toks[k + 1].text == "(":
                    th.edits.append((tok.start, tok.end, RCU_MARKS[tok.text]))
                    th.edits.append((th.toks[k + 1].end, th.toks[k + 1].end, "0"))
    resolve_locations(t)
    for th in t.threads:
        infer_implicit(t, th, api)
    resolve_registers(t)
    for th in t.threads:
        type_check(t, th)
        th.out = apply_edits(th.body, th.edits)
    return t, Gen(t, idx, api).generate()


def skip_test(idx, name, reason):
    return """/* ---- %(name)s: not translated ---- */
TEST(ltx%(i)d_test, .name = "litmus/" %(cname)s, .min_cpus = 1)
{
\ttest_skip("not translated: %%s", %(why)s);
}
""" % dict(i=idx, name=name.replace("*/", "* /"), cname=c_string(name), why=c_string(reason))


# ---- the compile check --------------------------------------------------------

def compile_errors(cc, smp, text):
    """{test index: first error message at its litmus line}, plus errors no
    test owns (None), for the generated file."""
    fd, path = tempfile.mkstemp(suffix=".c")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    try:
        cmd = cc + (["-DCONFIG_SMP"] if smp else []) + GEN_WARNINGS + [
            "-fsyntax-only", "-fno-diagnostics-show-caret", "-fdiagnostics-color=never", path]
        p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    finally:
        os.remove(path)
    errors, fn = {}, None
    for line in p.stderr.split("\n"):
        m = re.search(r"In function '(lt|ltx)(\d+)_", line)
        if m:
            fn = int(m.group(2))
            continue
        m = re.search(r"^(.*?):(\d+):\d+: (?:fatal )?error: (.*)$", line)
        if m:
            where = "%s:%s" % (m.group(1), m.group(2))
            key = fn
            m2 = re.search(r"\blt(\d+)_", m.group(3))
            if key is None and m2:
                key = int(m2.group(1))
            errors.setdefault(key, (where, m.group(3), m.group(1).endswith(".litmus")))
        elif re.match(r"^\S.*: note: in expansion of macro", line) and fn in errors:
            m = re.search(r"^(.*?\.litmus):(\d+):\d+:", line)
            if m and not errors[fn][2]:
                errors[fn] = ("%s:%s" % (m.group(1), m.group(2)), errors[fn][1], True)
    if p.returncode != 0 and not errors:
        errors[None] = ("", p.stderr.strip()[-1000:] or "the compiler failed", False)
    return errors


# ---- driver ---------------------------------------------------------------------

def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(os.path.normpath(p), f) for f in os.listdir(p)
                            if f.endswith(".litmus"))
        else:
            files.append(os.path.normpath(p))
    return files


class Result:
    def __init__(self, path):
        self.path, self.name, self.code, self.error = path, None, None, None


def fix_lines(text, out_name):
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if l == "#line __LT_HERE__":
            lines[i] = '#line %d "%s"' % (i + 2, out_name)
    return "\n".join(lines)


def assemble(results, out_name):
    chunks = ["/* Generated by scripts/litmus2c.py: do not edit. */", '#include "litmus.h"', ""]
    ok = []
    for i, r in enumerate(results):
        if r.code is not None:
            chunks.append(r.code)
            ok.append(i)
        elif r.error is not None:
            chunks.append(skip_test(i, r.name, r.error))
    chunks.append("const struct litmus_test *const litmus_tests[] = {%s};" % (
        ", ".join("&lt%d" % i for i in ok) or "NULL"))
    chunks.append("const unsigned litmus_ntests = %d;" % len(ok))
    return fix_lines("\n".join(chunks) + "\n", out_name)


def run(files, api, cc, smp, out_name, check_compile):
    results, seen = [], {}
    for i, path in enumerate(files):
        r = Result(path)
        r.name = os.path.splitext(os.path.basename(path))[0]
        try:
            t, code = translate(path, i, api)
            r.name = t.name
            if t.name in seen:
                raise LitmusError(path, 1, "test name %s already defined in %s" % (t.name,
                                                                                  seen[t.name]))
            seen[t.name] = path
            r.code = code
        except LitmusError as e:
            r.error = str(e)
        except (UnicodeError, OSError) as e:
            r.error = "%s:1: cannot read: %s" % (path, e)
        except RecursionError:
            r.error = "%s:1: nested too deeply to translate" % path
        results.append(r)
    if check_compile and cc:
        for _ in range(len(results) + 1):
            errors = compile_errors(cc, smp, assemble(results, out_name))
            if not errors:
                break
            if None in errors and len(errors) == 1:
                # no test owns it: find the culprits one by one
                bad = []
                for i, r in enumerate(results):
                    if r.code is None:
                        continue
                    one = [Result(r.path)]
                    one[0].code, one[0].name = r.code, r.name
                    errs = compile_errors(cc, smp, assemble(one, out_name))
                    if errs:
                        bad.append((i, list(errs.values())[0]))
                if not bad:
                    raise SystemExit("litmus2c: error: the generated tests do not compile, and "
                                     "no single test is to blame:\n%s" % errors[None][1])
                errors = {i: e for i, e in bad}
            for i, (where, msg, at_litmus) in errors.items():
                if i is None or i >= len(results) or results[i].code is None:
                    continue
                r = results[i]
                if not at_litmus:
                    where = "%s:1" % r.path
                r.code, r.error = None, "%s: does not compile: %s" % (where, msg)
    return results


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output")
    ap.add_argument("--report", action="store_true",
                    help="print per file: translated, or rejected with file:line and the reason")
    ap.add_argument("--api-header", action="append", default=[])
    ap.add_argument("--cc", help="the target's compiler and flags (no -DCONFIG_SMP)")
    ap.add_argument("--smp", choices=("y", "n"), default="y")
    ap.add_argument("--strict", action="append", default=[],
                    help="a rejected file under this directory stops the build")
    ap.add_argument("--no-compile-check", action="store_true")
    ap.add_argument("inputs", nargs="*")
    args = ap.parse_args(argv)
    if not args.report and not args.output:
        ap.error("-o OUT.c or --report")
    cc = shlex.split(args.cc) if args.cc else default_cc(args.api_header)
    api = Api(args.api_header, cc)
    files = collect(args.inputs)
    out_name = args.output or "litmus_tests.c"
    results = run(files, api, cc, args.smp == "y", out_name, not args.no_compile_check)
    rejected = [r for r in results if r.error]
    if args.report:
        for r in results:
            if r.error:
                print("rejected    %s" % r.error)
            else:
                print("translated  %s" % r.path)
        print("litmus-report: %d of %d translated, %d rejected" % (
            len(results) - len(rejected), len(results), len(rejected)))
        return 0
    strict = [os.path.normpath(d) + os.sep for d in args.strict]
    fatal = False
    for r in rejected:
        is_strict = any(os.path.normpath(r.path).startswith(d) for d in strict)
        print("litmus2c: %s: %s" % ("error" if is_strict else "rejected", r.error), file=sys.stderr)
        fatal = fatal or is_strict
    if fatal:
        return 1
    with open(args.output, "w") as f:
        f.write(assemble(results, args.output))
    print("  LITMUS  %d tests -> %s%s" % (len(results) - len(rejected), args.output,
                                          " (%d rejected, listed above: they skip with the reason)"
                                          % len(rejected) if rejected else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
