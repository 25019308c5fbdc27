"""Incremental TAP 14 parser for the image's UART stream (DESIGN.md 4)."""
import re

_RESULT = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$")
_PLAN = re.compile(r"^1\.\.(\d+)\s*(#.*)?$")
_SUMMARY = re.compile(r"^# summary: (\d+) passed, (\d+) failed, (\d+) skipped")
_EXIT = re.compile(r"^# exit: status=(-?\d+)")


def split_description(text):
    """Split 'desc # directive' honouring TAP 14's \\# and \\\\ escapes."""
    desc, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "#\\":
            desc.append(text[i + 1])
            i += 2
            continue
        if c == "#":
            return "".join(desc).strip(), text[i + 1:].strip()
        desc.append(c)
        i += 1
    return "".join(desc).strip(), ""


class Result:
    def __init__(self, ok, number, name, comment):
        self.ok, self.number, self.name, self.comment = ok, number, name, comment
        word = comment.split(None, 1)[0].upper() if comment else ""
        self.skip = word == "SKIP"
        self.todo = word == "TODO"
        self.yaml = []

    @property
    def failed(self):
        return not self.ok and not self.todo


class TapParser:
    def __init__(self):
        self.started = False
        self.plan = None
        self.results = []
        self.summary = None
        self.exit_status = None
        self.bail = None
        self.header = []
        self.errors = []
        self._in_yaml = False

    def feed(self, line):
        line = line.rstrip("\r\n")
        if not self.started:
            if line.strip() == "TAP version 14":
                self.started = True
            return
        if self._in_yaml:
            if line.strip() == "...":
                self._in_yaml = False
            elif self.results:
                self.results[-1].yaml.append(line[2:] if line.startswith("  ") else line)
            return
        if line.strip() == "---" and line.startswith("  ") and self.results:
            self._in_yaml = True
            return
        if line.startswith("Bail out!"):
            self.bail = line[len("Bail out!"):].strip() or "(no reason)"
            return
        m = _PLAN.match(line)
        if m:
            self.plan = int(m.group(1))
            return
        m = _RESULT.match(line)
        if m:
            number = int(m.group(2)) if m.group(2) else len(self.results) + 1
            name, comment = split_description(m.group(3))
            if number != len(self.results) + 1:
                self.errors.append("test number %d out of sequence (expected %d)"
                                   % (number, len(self.results) + 1))
            self.results.append(Result(m.group(1) == "ok", number, name, comment))
            return
        m = _SUMMARY.match(line)
        if m:
            self.summary = tuple(int(x) for x in m.groups())
            return
        m = _EXIT.match(line)
        if m:
            self.exit_status = int(m.group(1))
            return
        if line.startswith("# orderly ") or line.startswith("# boot:") or line.startswith("# time:"):
            self.header.append(line[2:])

    # -- outcome ------------------------------------------------------------
    def counts(self):
        passed = sum(1 for r in self.results if r.ok and not r.skip)
        failed = sum(1 for r in self.results if r.failed)
        skipped = sum(1 for r in self.results if r.skip or r.todo)
        return passed, failed, skipped

    def failures(self):
        return [r for r in self.results if r.failed]

    def incomplete_reason(self):
        """Why the stream is not a complete run, or None."""
        if not self.started:
            return "no TAP output (no 'TAP version 14' line)"
        if self.bail:
            return "bail out: %s" % self.bail
        if self.plan is None:
            return "no plan line"
        if len(self.results) != self.plan:
            return "%d of %d planned results" % (len(self.results), self.plan)
        if self.errors:
            return self.errors[0]
        if self.summary is None:
            return "no summary line"
        if self.summary != self.counts():
            return "summary %s disagrees with the results %s" % (self.summary, self.counts())
        return None
