#!/usr/bin/env python3
"""Translate C litmus tests (the Linux kernel memory model's herd7 dialect)
into C that the image's litmus engine runs (lib/litmus/engine.c): per test
only the thread bodies, the initial and the final state; the loops around
them are the templates of include/litmus.h.

    litmus2c.py -o OUT.c [--api-header H ...] FILE.litmus|DIR ...

Supported: `C name`, the `(* ... *)` comment and its `Result:` line, the
init block (`{}`, `{ x=1; }`, typed `{ int x; int *p=y; spinlock_t l; }`),
P0..P3 bodies with their parameters, `exists` / `~exists` / `forall` with
/\\ \\/ ~ and parentheses, `filter`, `locations [...]`. Thread bodies are
kept as C; every function-like name they call must exist in the image's
kernel-style API (collected from the --api-header files) or be one of the
RCU read-side markers. Anything else stops the translation with
file:line and the construct's name: nothing is skipped silently.
"""
import argparse
import os
import re
import sys

MAX_THREADS = 4
MAX_OBS = 8              # LITMUS_MAX_OBS (include/litmus_hist.h)
KEYWORDS = {"if", "else", "sizeof", "return"}
RCU_MARKERS = {"rcu_read_lock", "rcu_read_unlock"}
EXPECT = {"never": "LT_NEVER", "sometimes": "LT_SOMETIMES", "always": "LT_ALWAYS"}
# Primitives whose ordering disappears in a uniprocessor build (smp_*() become
# compiler barriers there): a test using one is an expected failure under SMP=n.
SMP_DEGRADED = re.compile(r"\b(smp_\w+|rcu_assign_pointer|rcu_dereference)\s*\(")


class LitmusError(Exception):
    pass


def api_names(headers):
    names = set(RCU_MARKERS)
    for h in headers:
        with open(h) as f:
            text = f.read()
        names.update(re.findall(r"^#define\s+(\w+)\(", text, re.M))
        names.update(re.findall(r"^static inline [\w\s\*]*?\b(\w+)\s*\(", text, re.M))
        for m in re.finditer(r"^__ATOMIC_FETCH_OPS\((\w+), \w+\)", text, re.M):
            op = m.group(1)
            for suf in ("", "_relaxed", "_acquire", "_release"):
                names.add("atomic_fetch_%s%s" % (op, suf))
                names.add("atomic_long_fetch_%s%s" % (op, suf))
    return names


class Loc:
    def __init__(self, name, ctype="int"):
        self.name, self.ctype, self.init = name, ctype, None

    @property
    def is_ptr(self):
        return self.ctype.endswith("*")


class Test:
    def __init__(self, path):
        self.path = path
        self.name = None
        self.expect = None
        self.locs = {}           # name -> Loc, in order of appearance
        self.threads = []        # (params, body, first line)
        self.quant = None        # exists, ~exists, forall
        self.cond = None
        self.filter = None
        self.locations = []
        self.cond_line = 0

    def err(self, line, what):
        raise LitmusError("%s:%d: %s" % (self.path, line, what))

    def loc(self, name, ctype=None, line=0):
        if name not in self.locs:
            self.locs[name] = Loc(name, ctype or "int")
        elif ctype and self.locs[name].ctype != ctype and ctype != "int":
            self.locs[name].ctype = ctype
        return self.locs[name]


# ---- parsing ------------------------------------------------------------

def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def strip_comments(text):
    """Blank out (* *) and // and /* */ comments, keeping line numbers."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    text = re.sub(r"\(\*(?=\s).*?\*\)", blank, text, flags=re.S)   # "(*x" is code
    text = re.sub(r"/\*.*?\*/", blank, text, flags=re.S)
    return re.sub(r"//[^\n]*", blank, text)


def match_brace(text, start):
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def parse(path):
    with open(path) as f:
        raw = f.read()
    t = Test(path)
    m = re.match(r"\s*C\s+(\S+)", raw)
    if not m:
        t.err(1, "first line must be 'C <name>'")
    t.name = m.group(1)
    r = re.search(r"Result:\s*(\w+)", raw)
    if not r or r.group(1).lower() not in EXPECT:
        t.err(1, "no 'Result: Never|Sometimes|Always' line in the (* *) comment")
    t.expect = EXPECT[r.group(1).lower()]
    text = strip_comments(raw)
    pos = m.end()
    ib = text.find("{", pos)
    ie = match_brace(text, ib)
    if ib < 0 or ie < 0:
        t.err(line_of(text, pos), "no init block '{ ... }'")
    parse_init(t, text[ib + 1:ie], line_of(text, ib))
    pos = ie + 1
    for pm in re.finditer(r"\bP(\d+)\s*\(([^)]*)\)\s*\{", text[pos:]):
        start = pos + pm.start()
        n = int(pm.group(1))
        if n != len(t.threads):
            t.err(line_of(text, start), "threads must be P0, P1, ... in order (found P%d)" % n)
        bstart = pos + pm.end() - 1
        bend = match_brace(text, bstart)
        if bend < 0:
            t.err(line_of(text, start), "unterminated body of P%d" % n)
        params = parse_params(t, pm.group(2), line_of(text, start))
        t.threads.append((params, text[bstart + 1:bend], line_of(text, bstart)))
        tail_start = bend + 1
    if not t.threads:
        t.err(line_of(text, pos), "no P0(...) { ... } thread")
    if len(t.threads) > MAX_THREADS:
        t.err(1, "%d threads: the engine runs at most %d" % (len(t.threads), MAX_THREADS))
    parse_tail(t, text, tail_start)
    return t


def parse_params(t, text, line):
    params = []
    for p in [x.strip() for x in text.split(",") if x.strip()]:
        m = re.match(r"^([A-Za-z_][\w\s]*?)\s*(\*+)\s*(\w+)$", p)
        if not m:
            t.err(line, "unsupported parameter '%s' (want 'type *name')" % p)
        base, stars, name = m.group(1).strip(), m.group(2), m.group(3)
        if base not in ("int", "spinlock_t", "atomic_t", "long", "unsigned long"):
            t.err(line, "unsupported location type '%s'" % base)
        ctype = base + stars[1:]          # location type: one star less
        t.loc(name, ctype)
        params.append((name, base + stars))
    return params


def parse_init(t, body, line):
    for stmt in [s.strip() for s in body.split(";")]:
        if not stmt:
            continue
        m = re.match(r"^(?:(int|long|unsigned long|spinlock_t|atomic_t)\s*(\*?)\s*)?(\w+)\s*(?:=\s*(.+))?$",
                     stmt, re.S)
        if not m:
            t.err(line, "unsupported init statement '%s'" % stmt)
        base, star, name, val = m.group(1), m.group(2), m.group(3), m.group(4)
        loc = t.loc(name, (base + star) if base else None)
        if val is not None:
            val = val.strip()
            if re.match(r"^-?(0x[0-9a-fA-F]+|\d+)$", val):
                loc.init = ("int", int(val, 0))
            elif re.match(r"^&?\w+$", val):
                loc.init = ("ptr", val.lstrip("&"))
                if loc.ctype == "int" and not base:
                    loc.ctype = "int*"
            else:
                t.err(line, "unsupported initial value '%s' for %s" % (val, name))
    for loc in t.locs.values():
        if loc.init and loc.init[0] == "ptr":
            t.loc(loc.init[1])


def parse_tail(t, text, pos):
    tail = text[pos:]
    base_line = line_of(text, pos)
    for m in re.finditer(r"\blocations\s*\[([^\]]*)\]", tail):
        t.locations += [x.strip() for x in m.group(1).split(";") if x.strip()]
    fm = re.search(r"\bfilter\s*(\(.*?\))\s*(?=exists|~exists|forall|locations|$)", tail, re.S)
    if fm:
        t.filter = fm.group(1)
    cm = re.search(r"(~\s*exists|exists|forall)\s*(\(.*\))", tail, re.S)
    if not cm:
        t.err(base_line, "no exists/~exists/forall final condition")
    t.quant = re.sub(r"\s+", "", cm.group(1))
    t.cond = " ".join(cm.group(2).split())
    t.cond_line = base_line + tail.count("\n", 0, cm.start())
    rest = tail[cm.end():].strip()
    rest = re.sub(r"\blocations\s*\[[^\]]*\]", "", rest).strip()
    if rest:
        t.err(t.cond_line, "unexpected text after the condition: '%s'" % rest[:40])


# ---- condition compiler -------------------------------------------------

TOKEN = re.compile(r"\s*(?:(\d+:\w+)|(/\\)|(\\/)|(~)|(\()|(\))|(!?=)|(-?0x[0-9a-fA-F]+|-?\d+)|(\w+))")


def tokenize(t, text):
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            t.err(t.cond_line, "unsupported condition syntax at '%s'" % text[pos:pos + 20])
        kinds = ("reg", "and", "or", "not", "lp", "rp", "eq", "num", "id")
        for k, g in zip(kinds, m.groups()):
            if g is not None:
                out.append((k, g))
                break
        pos = m.end()
    return out


class CondCompiler:
    def __init__(self, test, regs_of, observed):
        self.t, self.regs_of, self.observed = test, regs_of, observed

    def compile(self, text):
        self.toks, self.i = tokenize(self.t, text), 0
        c = self.expr()
        if self.i != len(self.toks):
            self.t.err(self.t.cond_line, "trailing tokens in condition")
        return c

    def peek(self):
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def take(self, kind):
        if self.peek() != kind:
            self.t.err(self.t.cond_line, "condition: expected %s" % kind)
        self.i += 1
        return self.toks[self.i - 1][1]

    def expr(self):
        c = self.term()
        while self.peek() == "or":
            self.take("or")
            c = "(%s || %s)" % (c, self.term())
        return c

    def term(self):
        c = self.factor()
        while self.peek() == "and":
            self.take("and")
            c = "(%s && %s)" % (c, self.factor())
        return c

    def factor(self):
        k = self.peek()
        if k == "not":
            self.take("not")
            return "!%s" % self.factor()
        if k == "lp":
            self.take("lp")
            c = self.expr()
            self.take("rp")
            return c
        if k == "id" and self.toks[self.i][1] in ("true", "false"):
            return self.take("id")
        return self.atom()

    def atom(self):
        k = self.peek()
        if k == "reg":
            lhs = self.reg(self.take("reg"))
        elif k == "id":
            lhs = self.memory(self.take("id"))
        else:
            self.t.err(self.t.cond_line, "condition: expected a register or location")
        op = self.take("eq")
        if self.peek() == "num":
            rhs = "%sL" % self.take("num")
        elif self.peek() == "id":
            name = self.take("id")
            if name not in self.t.locs:
                self.t.err(self.t.cond_line, "condition: unknown location '%s'" % name)
            rhs = "(long)lt_loc[%d]" % list(self.t.locs).index(name)
        else:
            self.t.err(self.t.cond_line, "condition: expected a value")
        return "(%s %s %s)" % (lhs, "==" if op == "=" else "!=", rhs)

    def reg(self, text):
        tid, name = text.split(":")
        tid = int(tid)
        if tid >= len(self.t.threads) or name not in self.regs_of[tid]:
            self.t.err(self.t.cond_line, "condition: %s is not a register of P%d" % (name, tid))
        return reg_ref(tid, self.observed.add_reg(tid, name))

    def memory(self, name):
        if name not in self.t.locs:
            self.t.err(self.t.cond_line, "condition: unknown location '%s'" % name)
        self.observed.add_loc(name)
        return mem_value(self.t, name)


def reg_ref(tid, slot):
    """An observed register in the count loop: thread tid's slot."""
    return "lt_r%d[%d]" % (tid, slot)


def mem_value(t, name):
    loc = t.locs[name]
    idx = list(t.locs).index(name)
    if loc.ctype == "atomic_t":
        return "(long)((atomic_t *)lt_loc[%d])->counter" % idx
    if loc.ctype == "spinlock_t":
        t.err(t.cond_line, "condition on a spinlock's value is not supported")
    return "(long)*(%s *)lt_loc[%d]" % (loc.ctype, idx)


class Observed:
    """The variables a final state is made of (histogram keys), in order."""

    def __init__(self, test, reg_types):
        self.t, self.reg_types, self.items = test, reg_types, []

    def add_reg(self, tid, name):
        """Observe tid:name; its slot among tid's observed registers."""
        key = "%d:%s" % (tid, name)
        if key not in [k for k, _, _ in self.items]:
            self.items.append((key, ("reg", tid, name), self.reg_types[tid][name].endswith("*")))
        return self.regs(tid).index(name)

    def regs(self, tid):
        """tid's observed registers, in slot order: what its runs store."""
        return [w[2] for _, w, _ in self.items if w[0] == "reg" and w[1] == tid]

    def add_loc(self, name):
        if name not in [k for k, _, _ in self.items]:
            self.items.append((name, ("loc", name), self.t.locs[name].is_ptr))


# ---- code generation ----------------------------------------------------

DECL = re.compile(r"(?:^|[;{}]\s*)\s*(int|long|unsigned long|intptr_t)\s*(\**)\s*(\w+)\s*(?:=|;|,)", re.M)


def thread_registers(t, tid, body, line):
    regs = {}
    for m in DECL.finditer(body):
        regs[m.group(3)] = m.group(1) + m.group(2)
    # further declarators in "int r0, r1;"
    for m in re.finditer(r"\b(int|long)\s+(\w+(?:\s*,\s*\**\w+)+)\s*;", body):
        for name in m.group(2).split(","):
            name = name.strip()
            regs.setdefault(name.lstrip("*"), m.group(1) + "*" * (len(name) - len(name.lstrip("*"))))
    return regs


def check_calls(t, body, line, api):
    for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(", body):
        name = m.group(1)
        if name in KEYWORDS or name in api:
            continue
        t.err(line + body.count("\n", 0, m.start()), "unsupported construct '%s'" % name)
    for m in re.finditer(r"\b(while|for|do|goto)\b", body):
        t.err(line + body.count("\n", 0, m.start()), "unsupported construct '%s' (loops can hang)"
              % m.group(1))


def c_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def generate(t, idx, api):
    p = "lt%d" % idx
    regs_of, reg_types = [], []
    for tid, (params, body, line) in enumerate(t.threads):
        check_calls(t, body, line, api)
        types = thread_registers(t, tid, body, line)
        reg_types.append(types)
        regs_of.append(list(types))
    observed = Observed(t, reg_types)
    cc = CondCompiler(t, regs_of, observed)
    cond = cc.compile(t.cond)
    filt = cc.compile(t.filter) if t.filter else None
    for item in t.locations:
        if ":" in item:
            tid, name = item.split(":")
            if int(tid) < len(regs_of) and name in regs_of[int(tid)]:
                observed.add_reg(int(tid), name)
        elif item in t.locs:
            observed.add_loc(item)
    names = list(t.locs)
    out = ["/* ---- %s (%s) ---- */" % (t.name, t.path)]
    for tid, (params, body, line) in enumerate(t.threads):
        used = observed.regs(tid)
        out.append("static inline __attribute__((always_inline)) void %s_P%d(void *const *lt_loc, long *lt_out)\n{" % (p, tid))
        for name, ctype in params:
            out.append("\t%s %s = (%s)lt_loc[%d];" % (ctype.replace("*", " *", 1).replace("  ", " "),
                                                      name, ctype, names.index(name)))
        out.append("\t{")
        out.append("#line %d \"%s\"" % (line, t.path))
        out.append(body.rstrip())
        out.append("\t\t" + " ".join("lt_out[%d] = (long)(%s);" % (k, n) for k, n in enumerate(used)))
        out.append("\t}\n}")
        out.append("LITMUS_THREAD(%s_P%d, %d, %d, %d)" % (p, tid, max(len(t.locs), 1), len(used),
                                                      len(t.threads)))
    out.append("static inline __attribute__((always_inline)) void %s_init(void *const *lt_loc)\n{" % p)
    for i, loc in enumerate(t.locs.values()):
        if loc.ctype == "spinlock_t":
            out.append("\tspin_lock_init((spinlock_t *)lt_loc[%d]);" % i)
        elif loc.ctype == "atomic_t":
            v = loc.init[1] if loc.init and loc.init[0] == "int" else 0
            out.append("\tatomic_set((atomic_t *)lt_loc[%d], %d);" % (i, v))
        elif loc.init and loc.init[0] == "ptr":
            out.append("\t*(%s *)lt_loc[%d] = (%s)lt_loc[%d];" % (loc.ctype, i, loc.ctype,
                                                                 names.index(loc.init[1])))
        else:
            v = loc.init[1] if loc.init else 0
            out.append("\t*(%s *)lt_loc[%d] = (%s)%d;" % (loc.ctype, i, loc.ctype, v))
    out.append("}")
    out.append(count_function(t, p, cond, filt, observed))
    out.append("static const struct litmus_var %s_obs[] = {%s};" % (p, ", ".join(
        "{ %s, %d }" % (c_string(k), 1 if is_ptr else 0) for k, _, is_ptr in observed.items)))
    out.append("static const char *const %s_locs[] = {%s};" % (p, ", ".join(c_string(n) for n in names)))
    degraded = any(SMP_DEGRADED.search(b) for _, b, _ in t.threads)
    out.append("""static const struct litmus_test %(p)s = {
\t.name = %(name)s, .file = %(file)s,
\t.nthreads = %(nt)d, .nlocs = %(nl)d, .locs = %(p)s_locs,
\t.nregs = %(p)s_nregs,
\t.thread = { %(threads)s },
\t.sweep = { %(sweeps)s },
\t.count = %(p)s_count,
\t.nobs = %(nobs)d, .obs = %(p)s_obs,
\t.quant = %(quant)s, .expect = %(expect)s, .cond_text = %(ctext)s,
\t.smp_degraded = %(deg)s,
};
TEST(%(p)s_test, .name = "litmus/" %(name)s, .min_cpus = %(nt)d, .timeout_ms = 25000)
{
\tlitmus_run(&%(p)s);
}
""" % dict(p=p, name=c_string(t.name), file=c_string(os.path.basename(t.path)), nt=len(t.threads),
           nl=len(names),
           threads=", ".join("%s_P%d_one" % (p, i) for i in range(len(t.threads))),
           sweeps=", ".join("%s_P%d_sweep" % (p, i) for i in range(len(t.threads))),
           nobs=len(observed.items),
           quant={"exists": "LT_EXISTS", "~exists": "LT_NOT_EXISTS", "forall": "LT_FORALL"}[t.quant],
           expect=t.expect, ctext=c_string("%s %s" % (t.quant, t.cond)),
           deg="true" if degraded else "false"))
    return "\n".join(out)


def count_function(t, p, cond, filt, observed):
    """The test's final state (observed values, filter, condition) and its
    count loop, an instance of litmus_count_loop() (include/litmus.h) that
    inlines it and the initial state."""
    nlocs = len(t.locs)
    obs = []
    for key, what, is_ptr in observed.items:
        if what[0] == "reg":
            v = reg_ref(what[1], observed.regs(what[1]).index(what[2]))
        else:
            v = mem_value(t, what[1])
        obs.append("litmus_ptr_obs(%s, lt_loc, %d)" % (v, nlocs) if is_ptr else v)
    if len(obs) > MAX_OBS:
        t.err(t.cond_line, "%d observed values: the histogram keeps at most %d" % (len(obs), MAX_OBS))
    # Every observed register is stored at the end of each run; only a body
    # that can return early leaves last batch's value behind.
    early_return = any(re.search(r"\breturn\b", body) for _, body, _ in t.threads)
    nthreads = len(t.threads)
    out = ["static inline __attribute__((always_inline)) int %s_final(long *const *lt_r, "
           "void *const *lt_loc, long *lt_obs)\n{" % p]
    out += ["\tlong *const lt_r%d = lt_r[%d]; (void)lt_r%d;" % (tid, tid, tid) for tid in range(nthreads)]
    out.append("\t(void)lt_loc;")
    if filt:
        out.append("\tif (!%s)\n\t\treturn -1;" % filt)
    out += ["\tlt_obs[%d] = %s;" % (k, v) for k, v in enumerate(obs)]
    out += ["\treturn %s;" % cond, "}"]
    nregs = ", ".join(str(len(observed.regs(tid))) for tid in range(nthreads))
    out.append("static const int %s_nregs[] = { %s };" % (p, nregs))
    out.append("LITMUS_COUNT(%s_count, %d, %d, %d, %s_final, %s_init, %s, %s)" % (
        p, nthreads, max(nlocs, 1), len(obs), p, p, "true" if early_return else "false", nregs))
    return "\n".join(out)


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".litmus"))
        else:
            files.append(p)
    return files


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--api-header", action="append", default=[])
    ap.add_argument("inputs", nargs="*")
    args = ap.parse_args(argv)
    api = api_names(args.api_header)
    chunks = ["/* Generated by scripts/litmus2c.py: do not edit. */",
              '#include "litmus.h"', ""]
    seen = {}
    try:
        for path in collect(args.inputs):
            i = len(seen)
            t = parse(path)
            if t.name in seen:
                raise LitmusError("%s:1: test name %s already defined in %s" % (path, t.name, seen[t.name]))
            seen[t.name] = path
            chunks.append(generate(t, i, api))
    except LitmusError as e:
        print("litmus2c: error: %s" % e, file=sys.stderr)
        return 1
    chunks.append("const struct litmus_test *const litmus_tests[] = {%s};" % ", ".join(
        "&lt%d" % i for i in range(len(seen))))
    chunks.append("const unsigned litmus_ntests = %d;" % len(seen))
    with open(args.output, "w") as f:
        f.write("\n".join(chunks) + "\n")
    print("  LITMUS  %d tests -> %s" % (len(seen), args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
