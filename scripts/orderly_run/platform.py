"""Evaluate a platform.mk: the small Make subset the platform files use.

Supported: `NAME := value`, `NAME = value` (expanded at use), `NAME ?= value`,
`# comments`, backslash-newline continuation, `$(NAME)` references,
nested (`$(A_$(B))`). Command-line overrides beat every assignment, as in
make. Anything else (ifeq, functions such as $(shell ...)) is an error
naming file:line, so a platform file never silently means something else.
"""
import re

_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(:=|\?=|=)\s*(.*)$")


class PlatformError(Exception):
    pass


class Platform:
    def __init__(self, path, overrides=None, builtins=None):
        self.path = path
        self.overrides = dict(overrides or {})
        self.vars = {}          # name -> (flavour, raw value, where)
        for name, value in (builtins or {}).items():
            self.vars[name] = ("simple", value, "builtin")
        self._parse()

    # -- parsing ------------------------------------------------------------
    def _logical_lines(self):
        with open(self.path) as f:
            lines = f.read().split("\n")
        buf, start = "", None
        for no, line in enumerate(lines, 1):
            if start is None:
                start = no
            if line.endswith("\\"):
                buf += line[:-1] + " "
                continue
            yield start, buf + line
            buf, start = "", None
        if buf:
            yield start, buf

    def _parse(self):
        for no, line in self._logical_lines():
            where = "%s:%d" % (self.path, no)
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            m = _ASSIGN.match(text)
            if not m:
                raise PlatformError("%s: unsupported syntax: %s" % (where, text))
            name, op, value = m.group(1), m.group(2), m.group(3).strip()
            self._check_refs(value, where)
            if name in self.overrides:
                continue
            if op == "?=" and name in self.vars:
                continue
            if op == ":=":
                self.vars[name] = ("simple", self._expand(value, where, set()), where)
            else:
                self.vars[name] = ("recursive", value, where)

    @staticmethod
    def _check_refs(value, where):
        for m in re.finditer(r"\$\(([^()$]*)", value):
            word = m.group(1)
            if " " in word.strip() or "," in word:
                raise PlatformError("%s: make functions are not supported: $(%s" % (where, word))
        if re.search(r"\$[^($]", value) or value.endswith("$"):
            raise PlatformError("%s: only $(NAME) references are supported" % where)

    # -- expansion ----------------------------------------------------------
    def _expand(self, text, where, active):
        out, i = [], 0
        while i < len(text):
            if text.startswith("$(", i):
                depth, j = 1, i + 2
                while j < len(text) and depth:
                    depth += {"(": 1, ")": -1}.get(text[j], 0)
                    j += 1
                if depth:
                    raise PlatformError("%s: unbalanced $( in %r" % (where, text))
                name = self._expand(text[i + 2:j - 1], where, active).strip()
                out.append(self.get(name, active))
                i = j
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    def get(self, name, active=None):
        active = set() if active is None else active
        if name in self.overrides:
            return self.overrides[name]
        if name not in self.vars:
            return ""
        flavour, value, where = self.vars[name]
        if flavour == "simple":
            return value
        if name in active:
            raise PlatformError("%s: %s refers to itself" % (where, name))
        return self._expand(value, where, active | {name})
