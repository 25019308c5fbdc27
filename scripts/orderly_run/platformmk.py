"""Read platform.mk through GNU make itself (scripts/print.mk).

One make call evaluates one run: every variable the caller names comes back
as make expands it, so a platform file may use any make syntax and means
the same to the runner as to the Makefile. On make's command line:
  built-ins   KERNEL, BOOTARGS, ... from the runner: literal text ('$' is
              doubled, leading blanks kept), so a bootargs string is never
              expanded;
  overrides   the user's KEY=VALUE: make syntax, like any command-line
              variable ($(WORKDIR) in a value expands).
Both beat every assignment in the file (as command-line variables do in
make); an override beats a built-in of the same name. make runs in the
source tree with PATH and LC_ALL=C as its whole environment: an SMP or CPU
exported in the caller's shell, or the MAKEFLAGS of an outer `make check`
(which carries that make's command-line variables), must not change a run.
"""
import os
import re
import subprocess

from .supervise import tied_to_runner

NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"
_NAME = re.compile(r"^%s$" % NAME_PATTERN)
SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRINT_MK = os.path.join(SRCDIR, "scripts", "print.mk")
LIST_NAME = "PRINT_VARS"     # print.mk's own variable: the names to print


class Values(dict):
    """{name: value}; .warnings: what make said on stderr while reading."""

    def __init__(self, values, warnings):
        super().__init__(values)
        self.warnings = warnings


class MakeError(Exception):
    """platform.mk could not be read: make's own message, or why make could
    not be asked."""


def literal(value):
    """Make syntax for a command-line variable whose value is `value` as is."""
    value = value.replace("$", "$$")
    # make drops the blanks after '='; an empty reference keeps them.
    return "$()" + value if value[:1].isspace() else value


def environment():
    return {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C"}


def command(makefile, names, overrides=None, builtins=None, make="make"):
    """The make command line print_vars runs (for tests and messages)."""
    for name in names:
        if not _NAME.match(name):
            raise MakeError("%r is not a variable name" % name)
    definitions = [(name, literal(value)) for name, value in (builtins or {}).items()]
    definitions += list((overrides or {}).items())
    for name, value in definitions:
        if name == LIST_NAME:
            raise MakeError("%s is scripts/print.mk's own variable; it cannot be set" % name)
        if not _NAME.match(name):
            raise MakeError("%r is not a variable name" % name)
        if "\n" in value:
            raise MakeError("%s: a value with a newline cannot be passed to make" % name)
    return ([make, "-s", "--no-print-directory", "-f", makefile, "-f", PRINT_MK, "print-vars",
             "%s=%s" % (LIST_NAME, " ".join(names))]
            + ["%s=%s" % d for d in definitions])


def print_vars(makefile, names, overrides=None, builtins=None, make="make"):
    """{name: value} for every name, as make evaluates `makefile` with the
    built-ins and overrides on its command line (a Values). Values are not
    trimmed. Raises MakeError."""
    cmd = command(makefile, names, overrides, builtins, make)
    try:
        r = subprocess.run(cmd, cwd=SRCDIR, env=environment(), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, errors="replace", timeout=60,
                           preexec_fn=tied_to_runner())
    except FileNotFoundError:
        raise MakeError("cannot read %s: `%s` not found on PATH (GNU make evaluates "
                        "platform.mk; install it: apt-get install make)" % (makefile, make))
    except (OSError, subprocess.TimeoutExpired) as e:
        raise MakeError("cannot read %s: %s failed: %s" % (makefile, make, e))
    said = [line for line in r.stderr.splitlines() if line.strip()]
    if r.returncode != 0:
        raise MakeError("cannot read %s: %s" % (
            makefile, " / ".join(said) or "make exited with status %d" % r.returncode))
    # Output a platform file prints itself ($(info) while it is read) comes
    # first; print.mk's lines are the last, one per name, in order.
    lines = r.stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    ours = lines[len(lines) - len(names):] if names else []
    values = {}
    for name, line in zip(names, ours):
        if not line.startswith(name + "="):
            raise MakeError("cannot read %s: make printed %r where %s=... was expected"
                            % (makefile, line, name))
        values[name] = line[len(name) + 1:]
    if len(values) != len(names):
        raise MakeError("cannot read %s: make printed %d of %d variables"
                        % (makefile, len(values), len(names)))
    return Values(values, said)
