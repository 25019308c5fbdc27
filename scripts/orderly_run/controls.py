"""Control rows: runs that must end a named way (tests/controls.cfg).

A table of rows, read with configparser (one INI section per row), that
`orderly-run --controls FILE` runs; the way kvm-unit-tests' unittests.cfg
and Zephyr's testcase.yaml keep negative controls as data (DESIGN.md
section 8). The keys of a row are described in tests/controls.cfg itself.
"""
import configparser
import os
import re
import shlex
import subprocess
import sys
import time

from .platformmk import NAME_PATTERN, SRCDIR
from .supervise import tied_to_runner
from .verdict import UsageError

KEYS = ("description", "expect", "bootargs", "overrides", "patterns", "qemu_exit", "dtb",
        "repeat", "compare", "idle_timeout")
# reject: a device tree broken on purpose must be turned away by someone,
# and which one depends on the platform (and the QEMU): QEMU refuses it, QEMU
# or its firmware hangs on it (ended by the idle timeout), or the image
# fails naming it. The patterns say which.
EXPECT = {"fail": True, "pass": False, "reject": True}
# Modes that edit the source (dts -> dts) and modes that break the compiled
# blob itself, as dtc never would (dtb -> dtb).
TEXT_DTB_MODES = ("add-cpu", "break-reg", "shrink-pci-window", "drop-console",
                  "binary-bootargs")
BINARY_DTB_MODES = ("truncate", "bad-magic", "struct-loop", "strings-oob")
DTB_MODES = TEXT_DTB_MODES + BINARY_DTB_MODES
# The named results a reject row's patterns match (the runner adds them to
# the output as "# orderly-run: ..." lines).
QEMU_REFUSED = "QEMU refused the device tree"
DTB_HUNG = "QEMU or its firmware hung on the device tree"
DTB_MUTATE = os.path.join(SRCDIR, "scripts", "dtb-mutate.py")
# Set by the runner, not by platform.mk: the node dtb-mutate.py broke.
DTB_NODE = "DTB_NODE"
_REFERENCE = re.compile(r"\$\((%s)\)" % NAME_PATTERN)
_ROW_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
_OVERRIDE = re.compile(r"^(%s)=(.*)$" % NAME_PATTERN, re.DOTALL)


class Control:
    """One row of the table."""

    def __init__(self, name, where):
        self.name = name
        self.where = where            # "FILE:LINE: row [NAME]" for messages
        self.description = ""
        self.expect_fail = False
        self.bootargs = ""
        self.overrides = {}
        self.patterns = []            # regexes, $(NAME) references unexpanded
        self.qemu_exit = None         # the exit status QEMU must end with, or None
        self.dtb = None               # a DTB_MODES entry, or None
        self.repeat = []              # one run per word (appended to bootargs)
        self.compare = None           # regex whose first matching line is compared
        self.reject = False           # expect = reject
        self.idle_timeout = None      # seconds, beats IDLE_TIMEOUT

    def variables(self):
        """platform.mk variables the patterns refer to, in order."""
        names = []
        for pattern in self.patterns:
            for name in _REFERENCE.findall(pattern):
                if name != DTB_NODE and name not in names:
                    names.append(name)
        return names

    def runs(self):
        """(label, bootargs) for each run of the row."""
        if not self.repeat:
            return [(self.name, self.bootargs)]
        return [("%s %s" % (self.name, word), (self.bootargs + " " + word).strip())
                for word in self.repeat]


def expand(pattern, values):
    """Replace each $(NAME) by values[NAME], as is (the values are regex
    text: a platform's *_PATTERN, or an escaped DTB_NODE)."""
    return _REFERENCE.sub(lambda m: values.get(m.group(1), ""), pattern)


def _lines(value):
    return [line.strip() for line in value.splitlines() if line.strip()]


def _one_line(row, key, value):
    if "\n" in value.strip():
        raise UsageError("%s: %s must be one line" % (row.where, key))
    return value.strip()


def _words(row, key, value):
    try:
        return shlex.split(value)
    except ValueError as e:
        raise UsageError("%s: %s: %s" % (row.where, key, e))


def _regex(row, key, pattern):
    try:
        re.compile(expand(pattern, {}))
    except re.error as e:
        raise UsageError("%s: %s /%s/: %s" % (row.where, key, pattern, e))
    return pattern


def _row(parser, name, where):
    row = Control(name, where)
    section = parser[name]
    unknown = [key for key in section if key not in KEYS]
    if unknown:
        raise UsageError("%s: unknown key %s (keys: %s)"
                         % (where, ", ".join(repr(k) for k in unknown), ", ".join(KEYS)))
    if not _ROW_NAME.match(name):
        raise UsageError("%s: a row name is letters, digits and _.+- (no blanks)" % where)
    row.description = _one_line(row, "description", section.get("description", ""))
    if not row.description or "\t" in row.description:
        raise UsageError("%s: description (one line, no tabs) is required" % where)
    expect = section.get("expect", "").strip()
    if expect not in EXPECT:
        raise UsageError("%s: expect must be fail, pass or reject, not %r" % (where, expect))
    row.expect_fail = EXPECT[expect]
    row.reject = expect == "reject"
    row.bootargs = _one_line(row, "bootargs", section.get("bootargs", ""))
    for word in _words(row, "overrides", section.get("overrides", "")):
        m = _OVERRIDE.match(word)
        if not m:
            raise UsageError("%s: overrides: %r is not KEY=VALUE" % (where, word))
        row.overrides[m.group(1)] = m.group(2)
    row.patterns = [_regex(row, "pattern", p) for p in _lines(section.get("patterns", ""))]
    qemu_exit = _one_line(row, "qemu_exit", section.get("qemu_exit", ""))
    if qemu_exit:
        if not qemu_exit.isdigit() or int(qemu_exit) > 255:
            raise UsageError("%s: qemu_exit must be an exit status 0..255, not %r" % (where, qemu_exit))
        row.qemu_exit = int(qemu_exit)
    row.dtb = _one_line(row, "dtb", section.get("dtb", "")) or None
    if row.dtb is not None and row.dtb not in DTB_MODES:
        raise UsageError("%s: dtb must be one of %s, not %r" % (where, ", ".join(DTB_MODES), row.dtb))
    if row.dtb != "break-reg" and any(DTB_NODE in _REFERENCE.findall(p) for p in row.patterns):
        raise UsageError("%s: $(%s) is the node dtb = break-reg breaks; this row has no "
                         "dtb = break-reg" % (where, DTB_NODE))
    if row.reject and not row.dtb:
        raise UsageError("%s: expect = reject is for a device tree broken on purpose (dtb =)"
                         % where)
    idle = _one_line(row, "idle_timeout", section.get("idle_timeout", ""))
    if idle:
        try:
            row.idle_timeout = float(idle)
        except ValueError:
            row.idle_timeout = 0
        if not row.idle_timeout > 0:
            raise UsageError("%s: idle_timeout must be a number of seconds, not %r"
                             % (where, idle))
    row.repeat = _words(row, "repeat", section.get("repeat", ""))
    compare = _one_line(row, "compare", section.get("compare", ""))
    row.compare = _regex(row, "compare", compare) if compare else None
    if bool(row.repeat) != bool(row.compare) or len(row.repeat) == 1:
        raise UsageError("%s: repeat (two or more words) and compare go together" % where)
    return row


def load(path):
    """The rows of the table at path, in file order. Raises UsageError
    naming the file, the row and its line."""
    parser = configparser.ConfigParser(
        interpolation=None, comment_prefixes=("#",), inline_comment_prefixes=None,
        empty_lines_in_values=False, default_section="orderly-run: no default section",
        strict=True)
    parser.optionxform = str
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        parser.read_string(text, source=path)
    except OSError as e:
        raise UsageError("cannot read %s: %s" % (path, e.strerror or e))
    except configparser.Error as e:
        raise UsageError(" ".join(str(e).split()))
    header_line = {}
    for number, line in enumerate(text.splitlines(), 1):
        m = parser.SECTCRE.match(line)
        if m:
            header_line.setdefault(m.group("header"), number)
    rows = [_row(parser, name, "%s:%d: row [%s]" % (path, header_line.get(name, 0), name))
            for name in parser.sections()]
    if not rows:
        raise UsageError("%s: no rows" % path)
    return rows


def select(rows, names, path):
    """The named rows (all when names is empty), in the order asked."""
    by_name = {row.name: row for row in rows}
    missing = [name for name in names if name not in by_name]
    if missing:
        raise UsageError("%s has no row %s; rows: %s" % (
            path, ", ".join(missing), " ".join(by_name)))
    return [by_name[name] for name in names] if names else rows


# -- a device tree broken on purpose ---------------------------------------

def make_dtb(spec, out, deadline):
    """QEMU's own device tree for spec.command (-machine dumpdtb=), through
    dtc and `dtb-mutate.py spec.dtb` (which also writes spec.bootargs into
    /chosen, since QEMU ignores -append with -dtb on some machines), back to
    a DTB that spec.command then boots (-dtb FILE). A binary mode breaks
    the compiled blob instead: the bootargs go in first (mode "bootargs"),
    then dtb-mutate.py breaks what dtc wrote. Sets spec.dtb_node (what
    dtb-mutate.py reported). On failure sets out.start_error and
    out.start_detail and returns False."""
    base = os.path.join(spec.workdir, "qemu")
    binary = spec.dtb in BINARY_DTB_MODES
    compiled = base + ("-good.dtb" if binary else "-bad.dtb")
    steps = [
        ("QEMU could not dump its device tree", spec.command + ["-machine",
                                                               "dumpdtb=%s.dtb" % base]),
        ("dtc could not read QEMU's device tree",
         ["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", base + ".dts", base + ".dtb"]),
        ("dtb-mutate.py %s failed" % ("bootargs" if binary else spec.dtb),
         [sys.executable, DTB_MUTATE, "bootargs" if binary else spec.dtb, base + ".dts",
          base + "-bad.dts", "--bootargs", spec.bootargs]),
        ("dtc could not compile the mutated device tree",
         ["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", compiled, base + "-bad.dts"]),
    ]
    if binary:
        steps.append(("dtb-mutate.py %s failed" % spec.dtb,
                      [sys.executable, DTB_MUTATE, spec.dtb, compiled, base + "-bad.dtb"]))
    said = ""
    for problem, cmd in steps:
        try:
            r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               errors="replace", timeout=max(deadline - time.monotonic(), 0.01),
                               preexec_fn=tied_to_runner())
        except FileNotFoundError:
            out.start_error = "%s not found; run `make deps`" % cmd[0]
            return False
        except subprocess.TimeoutExpired:
            out.start_error = "%s: timeout" % problem
            return False
        if r.returncode != 0:
            out.start_error = "%s (exit status %d)" % (problem, r.returncode)
            out.start_detail = ["$ " + shlex.join(cmd)] + (r.stdout + r.stderr).splitlines()
            return False
        if cmd[1:3] == [DTB_MUTATE, spec.dtb]:
            said = r.stdout.strip()
    spec.dtb_node = said.splitlines()[-1] if said else ""
    if spec.dtb == "break-reg" and not spec.dtb_node:
        out.start_error = "dtb-mutate.py break-reg did not name the node it broke"
        return False
    spec.command = spec.command + ["-dtb", base + "-bad.dtb"]
    return True


def name_dtb_outcome(spec, out):
    """A run on a broken device tree that QEMU ended before any TAP: QEMU
    read -dtb FILE with libfdt and refused it (QEMU 7.2 exits with status 1
    and says why on stderr), or it (or the firmware, which parses the tree
    before it prints a word) went round for ever and the idle timeout ended
    it with no output at all. Returns the named result as an output line,
    or None; sets out.start_error or out.timeout to it."""
    if not spec.dtb or out.interrupted or out.start_error or out.tap.started:
        return None
    if out.timeout and not out.log:
        out.timeout = "%s: no output at all in %gs" % (DTB_HUNG, spec.idle_timeout)
        return "# orderly-run: " + out.timeout
    if out.qemu_status and not out.timeout:
        said = " / ".join(out.stderr[-3:]) or "no error output"
        out.start_error = "%s: %s" % (QEMU_REFUSED, said)
        return "# orderly-run: " + out.start_error
    return None


# -- the runs of one row, judged together -----------------------------------

def check_qemu_exit(row, out, title):
    """qemu_exit: the status QEMU ended with is what the row says (the image's
    exit device carried the verdict out). Returns (ok, lines)."""
    if row.qemu_exit is None or out.qemu_status == row.qemu_exit:
        return True, []
    return False, ["orderly-run: FAIL %s (control): QEMU exited with %s, the row wants %d "
                   "(did the image's exit device carry the status out?)"
                   % (title, "no status" if out.qemu_status is None else out.qemu_status,
                      row.qemu_exit)]


def compare_runs(row, outcomes, runs_ok, title):
    """repeat/compare: the first line matching row.compare must be equal in
    runs whose words are equal and differ otherwise. runs_ok: whether each
    run ended as the row says. Returns (ok, lines), the last line the
    row's verdict."""
    rx = re.compile(row.compare)
    seen, lines = [], []
    problems = [] if runs_ok else ["a run did not end as expected"]
    for word, out in zip(row.repeat, outcomes):
        hit = next((line.strip() for line in out.log if rx.search(line)), None)
        seen.append(hit)
        lines.append("orderly-run:   %s: %s" % (word, hit if hit is not None else "(none)"))
        if hit is None:
            problems.append("%s: no output line matches /%s/" % (word, row.compare))
    for i in range(len(seen)):
        for j in range(i + 1, len(seen)):
            if seen[i] is None or seen[j] is None:
                continue
            a, b = row.repeat[i], row.repeat[j]
            if a == b and seen[i] != seen[j]:
                problems.append("runs %d and %d (%s) differ" % (i + 1, j + 1, a))
            elif a != b and seen[i] == seen[j]:
                problems.append("runs %d (%s) and %d (%s) print the same" % (i + 1, a, j + 1, b))
    if problems:
        lines.append("orderly-run: FAIL %s (control): %s" % (title, "; ".join(problems)))
    else:
        lines.append("orderly-run: PASS %s (control): %d runs as expected; the first line "
                     "matching /%s/ is equal for equal words (%s) and differs otherwise"
                     % (title, len(outcomes), row.compare, " ".join(row.repeat)))
    return not problems, lines
