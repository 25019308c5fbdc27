"""Incremental parser for the image's TAP 14 stream (DESIGN.md section 4).

Feed it one UART line at a time; at any point it can say what it has seen
and, at the end, why the stream is not a complete run (problems()).
Lines before "TAP version 14" (firmware banners) and lines that are not TAP
are ignored: the runner echoes them, the verdict never depends on them.
"""
import re
import time

VERSION_LINE = "TAP version 14"
_RESULT = re.compile(r"^(ok|not ok)(?=\s|$)\s*(\d+)?\s*(?:-(?=\s|$))?\s*(.*)$")
_PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(.*))?$")
_BAIL = re.compile(r"^Bail out!\s*(.*)$")
# The image adds ", N missing" / ", N unplanned" when the count of results
# differs from the plan (lib/tap.c).
_SUMMARY = re.compile(r"^# summary: (\d+) passed, (\d+) failed, (\d+) skipped"
                      r"(?:, (\d+) (missing|unplanned))?\s*$")
_EXIT = re.compile(r"^# exit: status=(-?\d+)\s*$")
_SMP = re.compile(r"\ssmp=([yn])(?:\s|$)")
_DIRECTIVE = re.compile(r"^(skip|todo)(?=\s|$)\s*(.*)$", re.IGNORECASE | re.DOTALL)
YAML_START, YAML_END, YAML_INDENT = "  ---", "  ...", "  "


def unescape_split(text):
    """Split 'description # comment' at the first unescaped '#', undoing
    TAP 14's escapes (backslash-# is a literal '#', two backslashes one
    backslash) in both halves. Returns (description, comment or None)."""
    halves, current, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "#\\":
            current.append(text[i + 1])
            i += 2
            continue
        if c == "#" and not halves:
            halves.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    halves.append("".join(current))
    if len(halves) == 1:
        return halves[0].strip(), None
    return halves[0].strip(), halves[1].strip()


class TestResult:
    """One 'ok'/'not ok' line and the YAML block that follows it."""

    def __init__(self, ok, number, name, comment, line):
        self.ok = ok
        self.number = number
        self.name = name
        self.line = line
        self.directive = None      # "SKIP", "TODO" or None
        self.comment = comment or ""
        self.yaml = []
        self.seconds = None        # host time from the previous result (or the plan) to this
        m = _DIRECTIVE.match(self.comment)
        if m:
            self.directive = m.group(1).upper()
            self.comment = m.group(2).strip()

    # The image counts exactly like this (lib/tap.c): a SKIP or TODO result
    # is "skipped" whatever its ok-ness, so the summary can be checked.
    @property
    def skipped(self):
        return self.directive is not None

    @property
    def passed(self):
        return self.ok and not self.skipped

    @property
    def failed(self):
        return not self.ok and not self.skipped

    def describe(self):
        return "%d %s" % (self.number, self.name)


class TapStream:
    """clock: seconds (time.monotonic) read as lines arrive. The image does
    not time each test, so a result's seconds are what the host saw: from
    the line before the test began (the plan, or the previous result) to
    its result line; its YAML block, printed after, counts to the next."""

    def __init__(self, clock=time.monotonic):
        self.started = False
        self.header = []          # "# orderly ..." lines (without '# ')
        self.plan = None
        self.skip_all = None      # the reason of a "1..0 # SKIP reason" plan
        self.results = []
        self.summary = None       # (passed, failed, skipped, n, "missing"/"unplanned"/None)
        self.exit_status = None   # from "# exit: status=N"
        self.smp = None           # the header's smp=y|n: may the image report TODO at all
        self.bail = None
        self.last_line = None     # last non-empty line, started or not
        self._problems = []       # protocol errors seen while parsing
        self._yaml = None         # the result a YAML block is being read into
        self._line_no = 0
        self._clock = clock
        self._since = None        # when the test now running began, as seen by the host

    # -- feeding ---------------------------------------------------------
    def feed(self, line):
        line = line.rstrip("\r\n")
        self._line_no += 1
        if line.strip():
            self.last_line = line
        if self._yaml is not None and self._feed_yaml(line):
            return
        if line.endswith(VERSION_LINE):
            # endswith: a firmware may leave its last line unterminated.
            self._start(line)
            return
        if not self.started:
            return
        for matcher in (self._result, self._yaml_start, self._plan, self._bail_out,
                        self._summary, self._exit, self._header):
            if matcher(line):
                return

    def _feed_yaml(self, line):
        """Inside a YAML block; returns False when the line ends it without
        being part of it (a crash can cut a block short)."""
        if line == YAML_END:
            self._yaml = None
            return True
        if line.startswith(YAML_INDENT):
            self._yaml.yaml.append(line[len(YAML_INDENT):])
            return True
        self._yaml = None
        return False

    def _start(self, line):
        if self.started:
            self._problems.append("the image restarted (a second '%s' at output line %d)"
                                  % (VERSION_LINE, self._line_no))
        self.started = True
        self._since = self._clock()

    def _result(self, line):
        m = _RESULT.match(line)
        if not m:
            return False
        expected = len(self.results) + 1
        number = int(m.group(2)) if m.group(2) else expected
        name, comment = unescape_split(m.group(3))
        if number != expected:
            self._problems.append("test number %d where %d was expected (%s)"
                                  % (number, expected, name))
        result = TestResult(m.group(1) == "ok", number, name, comment, line)
        now = self._clock()
        result.seconds = now - self._since
        self._since = now
        self.results.append(result)
        return True

    def _yaml_start(self, line):
        if line != YAML_START or not self.results:
            return False
        self._yaml = self.results[-1]
        return True

    def _plan(self, line):
        m = _PLAN.match(line)
        if not m:
            return False
        if self.plan is not None:
            self._problems.append("a second plan line (%s)" % line)
        self.plan = int(m.group(1))
        directive = _DIRECTIVE.match(m.group(2) or "")
        if self.plan == 0 and directive and directive.group(1).upper() == "SKIP":
            self.skip_all = directive.group(2).strip() or "(no reason given)"
        if not self.results:
            self._since = self._clock()     # the header is printed; the first test starts
        return True

    def _bail_out(self, line):
        m = _BAIL.match(line)
        if m and self.bail is None:
            self.bail = m.group(1).strip() or "(no reason given)"
        return bool(m)

    def _summary(self, line):
        m = _SUMMARY.match(line)
        if m:
            counts = tuple(int(g) for g in m.groups()[:3])
            self.summary = counts + ((int(m.group(4)), m.group(5)) if m.group(4) else (0, None))
        return bool(m)

    def _exit(self, line):
        m = _EXIT.match(line)
        if m:
            self.exit_status = int(m.group(1))
        return bool(m)

    def _header(self, line):
        if line.startswith("# orderly ") and self.plan is None:
            self.header.append(line[2:])
            m = _SMP.search(line)
            if m:
                self.smp = m.group(1)
            return True
        return False

    # -- what was seen -----------------------------------------------------
    def counts(self):
        """(passed, failed, skipped) counted the way the image counts."""
        return (sum(r.passed for r in self.results), sum(r.failed for r in self.results),
                sum(r.skipped for r in self.results))

    def failures(self):
        """Failed results, and TODOs an SMP=y image had no business giving:
        the image's only expected failures are the uniprocessor build's."""
        return [r for r in self.results if r.failed or (r.directive == "TODO" and self.smp == "y")]

    def current(self):
        """Name of the last result, for progress and timeout messages."""
        return self.results[-1].name if self.results else None

    def problems(self):
        """Why this is not a complete, well-formed run (empty when it is)."""
        if not self.started:
            return ["no TAP output (no '%s' line)" % VERSION_LINE]
        out = []
        if self.bail is not None:
            out.append("bail out: %s" % self.bail)
        out.extend(self._problems)
        n = len(self.results)
        count_ok = self.plan is not None and n == self.plan
        if self.plan is None:
            out.append("no plan line")
        elif n < self.plan:
            after = " (the last was %s)" % self.results[-1].describe() if n else ""
            out.append("only %d of %d planned results%s" % (n, self.plan, after))
        elif n > self.plan:
            out.append("%d results but the plan is 1..%d" % (n, self.plan))
        if self.summary is None:
            out.append("no summary line")
        elif self.summary[:3] != self.counts():
            out.append("the summary says %d passed, %d failed, %d skipped but the results "
                       "are %d passed, %d failed, %d skipped" % (self.summary[:3] + self.counts()))
        elif self.summary[3] and count_ok:
            # The image saw a different count than we did (lost lines?).
            out.append("the summary reports %d %s" % self.summary[3:])
        if self.summary is not None and self.exit_status is None:
            out.append("no '# exit:' line after the summary")
        return out
