"""Evaluate platform.mk: the small subset of GNU make the platform files use.

Supported, with make's meaning:
  NAME := value    simply expanded: references are expanded now
  NAME = value     recursively expanded: references are expanded at each use
  NAME ?= value    like `=`, but only if NAME is not defined yet
  # comment        to the end of the line (a '#' never occurs inside a value)
  backslash-newline continuation (the break and the whitespace around it
                   become one space)
  $(NAME), ${NAME}, nested $(A_$(B)), and $$ for a literal '$'.
An undefined variable expands to nothing. Overrides (KEY=VALUE on the
runner's command line) beat every assignment in the file, as in make; they
are recursively expanded like make's command-line variables.

Everything else (conditionals, include, functions such as $(shell ...),
substitution references, $X) is an error naming file:line, so a platform file
never silently means something other than what make would make of it. Unlike
make, the environment is not consulted: a run must not depend on whatever
SMP or CPU happens to be exported in the caller's shell.
"""
import re

NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"
_ASSIGNMENT = re.compile(r"^(%s)\s*(:=|\?=|=)\s*(.*)$" % NAME_PATTERN)
_NAME = re.compile(r"^[A-Za-z0-9_]*$")
_CLOSER = {"(": ")", "{": "}"}


class MakeError(Exception):
    """A platform.mk (or override) that this evaluator will not interpret."""


class Ref:
    """A variable reference; its name may itself contain references."""

    def __init__(self, parts):
        self.parts = parts


def parse_value(text, where):
    """Split a value into literal strings and Ref objects, rejecting make
    syntax we do not implement. `where` prefixes error messages."""
    parts, i = _parse_parts(text, 0, None, where)
    assert i == len(text)
    return parts


def _parse_parts(text, i, closer, where):
    """Parse from text[i] until `closer` (or the end when closer is None).
    Returns (parts, index just after the closer)."""
    parts, literal, depth = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "$":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt == "$":
                literal.append("$")
                i += 2
                continue
            if nxt not in _CLOSER:
                shown = "$" + nxt if nxt else "a trailing '$'"
                raise MakeError("%s: unsupported reference %s: write $(NAME)" % (where, shown))
            if literal:
                parts.append("".join(literal))
                literal = []
            inner, i = _parse_parts(text, i + 2, _CLOSER[nxt], where)
            _check_reference(inner, nxt, where)
            parts.append(Ref(inner))
            continue
        if closer is not None:
            # Plain parentheses inside a reference only occur in function
            # calls, which _check_reference rejects; count them so the
            # error shows the whole call rather than a truncated one.
            if c in "({":
                depth += 1
            elif c == closer:
                if depth == 0:
                    if literal:
                        parts.append("".join(literal))
                    return parts, i + 1
                depth -= 1
        literal.append(c)
        i += 1
    if closer is not None:
        raise MakeError("%s: unterminated reference: missing '%s'" % (where, closer))
    if literal:
        parts.append("".join(literal))
    return parts, i


def _check_reference(parts, opener, where):
    """A reference's own text (outside nested references) must be a name."""
    literal = "".join(p for p in parts if isinstance(p, str))
    if _NAME.match(literal):
        return
    shown = "$%s%s..." % (opener, literal.split()[0] if literal.split() else literal)
    if re.match(r"^[a-z-]+\s", literal):
        problem = "make functions are not supported"
    elif ":" in literal:
        problem = "substitution references are not supported"
    else:
        problem = "not a variable name"
    raise MakeError("%s: unsupported make syntax %s (%s)" % (where, shown, problem))


def logical_lines(text):
    """Yield (first physical line number, line) with continuations joined."""
    pending, start = None, None
    for number, line in enumerate(text.split("\n"), 1):
        if pending is None:
            start = number
            joined = line
        else:
            joined = pending.rstrip() + " " + line.lstrip()
        if joined.endswith("\\"):
            pending = joined[:-1]
            continue
        pending = None
        yield start, joined
    if pending is not None:
        yield start, pending


class Definition:
    def __init__(self, recursive, parts, where):
        self.recursive = recursive  # True: expand parts at each use
        self.parts = parts          # parsed value (a literal string when simple)
        self.where = where


class MakeVars:
    """The variables of one platform.mk evaluated with overrides and built-ins.

    builtins: values the runner defines before the file is read (literal,
    the file may reassign them); overrides: command-line KEY=VALUE (win
    over every assignment in the file)."""

    def __init__(self, path, overrides=None, builtins=None):
        self.path = path
        self._vars = {}
        self._overrides = {}
        for name, value in (builtins or {}).items():
            self._vars[name] = Definition(False, [value], "built-in %s" % name)
        for name, value in (overrides or {}).items():
            where = "command line %s=%s" % (name, value)
            self._overrides[name] = Definition(True, parse_value(value, where), where)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise MakeError("cannot read %s: %s" % (path, e.strerror or e))
        for number, line in logical_lines(text):
            self._assign_line(line, "%s:%d" % (path, number))

    def _assign_line(self, line, where):
        statement = line.split("#", 1)[0].strip()
        if not statement:
            return
        m = _ASSIGNMENT.match(statement)
        if not m:
            raise MakeError("%s: unsupported make syntax: %r (only NAME := / = / ?= value "
                            "assignments are understood)" % (where, statement))
        name, op, value = m.groups()
        parts = parse_value(value.strip(), where)   # validate even if unused
        if name in self._overrides:
            return
        if op == "?=" and name in self._vars:
            return
        if op == ":=":
            self._vars[name] = Definition(False, [self._expand(parts, where, ())], where)
        else:
            self._vars[name] = Definition(True, parts, where)

    def _expand(self, parts, where, active):
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            else:
                name = self._expand(part.parts, where, active).strip()
                out.append(self._value(name, active))
        return "".join(out)

    def _value(self, name, active):
        d = self._overrides.get(name) or self._vars.get(name)
        if d is None:
            return ""
        if not d.recursive:
            return d.parts[0] if d.parts else ""
        if name in active:
            chain = " -> ".join(active + (name,))
            raise MakeError("%s: variable %s references itself (%s)" % (d.where, name, chain))
        return self._expand(d.parts, d.where, active + (name,))

    def get(self, name):
        """The expanded value of NAME ('' when undefined)."""
        return self._value(name, ())

    def defined(self, name):
        return name in self._overrides or name in self._vars
