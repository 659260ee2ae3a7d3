"""Where a failure can be pointed at in the student's files, for annotations.

Nothing here imports or runs student code: a view's traceback is parsed as
text and the submission file is read with :mod:`ast` to find route
decorators. When nothing can be placed better, the place is the submission
file without a line.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..results import CheckResult, GradeResult
from ..spec import Exercise, RequestStep

__all__ = ["Place", "place_load_error", "place_check", "traceback_place", "route_lines",
           "route_line"]

#: decorators that register a route: ``@blue.route(rule)``, ``@blue.get(rule)``, …
_ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})
#: the most of a student's file the grader parses: an exercise's module is a few
#: KiB, and ast.parse of a crafted 4 MB expression took 2 GB (the child, which
#: honours a ``# coding:`` line, may never have seen it as code)
MAX_PARSED = 64 * 1024
#: a rule's converters, ``<name>`` or ``<kind(args):name>``
_CONVERTER = re.compile(r"<(?:(?P<kind>\w+)(?:\([^<>()]*\))?:)?[^<>:]+>")
#: what each converter kind takes, as a test per character (Werkzeug's own
#: regexes for them backtrack: nine <path:...> in one rule took minutes)
_TAKES: dict[str, Callable[[str], bool]] = {
    "int": str.isdigit, "float": lambda c: c.isdigit() or c == ".",
    "uuid": lambda c: c in "0123456789abcdefABCDEF-", "path": lambda c: True}
_FRAME = re.compile(r'^\s*File "(?P<file>[^"\n]+)", line (?P<line>\d{1,9})\b', re.M)


@dataclass(frozen=True, slots=True)
class Place:
    #: relative to the checkout, with ``/``
    file: str
    line: int | None = None


def place_load_error(result: GradeResult, root: Path, file: str) -> Place:
    error = result.load_error
    if error is not None and error.file and _inside(root, error.file):
        return Place(PurePosixPath(error.file).as_posix(), error.line or None)
    return Place(file)


def place_check(check: CheckResult, exercise: Exercise, root: Path, file: str) -> Place:
    """The student's last traceback frame, else the route decorator of the
    first failing request, else the submission file."""
    for step in check.steps:
        found = traceback_place(getattr(step.submission, "traceback", None) or "",
                                lambda name: _inside(root, name))
        if found:
            return Place(*found)
    spec = next((c for c in exercise.checks if c.name == check.name), None)
    for step in check.steps:
        if spec is None or step.index >= len(spec.steps):
            continue
        request = spec.steps[step.index]
        if isinstance(request, RequestStep):
            line = route_line(_source(root / file), request.path)
            if line is not None:
                return Place(file, line)
    return Place(file)


def traceback_place(traceback: str, wanted: Callable[[str], bool] = lambda name: True
                    ) -> tuple[str, int] | None:
    """The file and line of the last ``File "x.py", line N`` of a traceback
    whose file is ``wanted`` (the student's: it exists in the checkout)."""
    for frame in reversed(list(_FRAME.finditer(traceback))):
        name = PurePosixPath(frame["file"].replace("\\", "/")).as_posix()
        if wanted(name):
            return name, int(frame["line"])
    return None


@functools.lru_cache(maxsize=4)  # a file is asked once per failing check
def route_lines(source: str) -> list[tuple[str, int]]:
    """``(rule, line)`` for every route the file registers literally:
    ``@x.route('/a/')``, ``@x.get('/a/')``, … and ``x.add_url_rule('/a/', …)``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [(rule, d.lineno) for d in node.decorator_list
                      if (rule := _rule(d, _ROUTE_DECORATORS)) is not None]
        elif isinstance(node, ast.Call) and _rule(node, {"add_url_rule"}) is not None:
            found.append((_rule(node, {"add_url_rule"}), node.lineno))
    return sorted(found, key=lambda pair: pair[1])


def route_line(source: str, path: str) -> int | None:
    """The line of the route that serves ``path``; failing that, of the one
    that would if case and the trailing slash did not matter."""
    routes = route_lines(source)
    for loose in (False, True):
        for rule, line in routes:
            if _matches(rule, path, loose):
                return line
    return None


def _rule(node: ast.expr, names: set[str] | frozenset[str]) -> str | None:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in names and node.args):
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) \
        else None


def _matches(rule: str, path: str, loose: bool) -> bool:
    """Whether ``rule`` serves ``path``, as Werkzeug would match it but in one
    pass: a converter takes one or more characters it accepts (never ``/``,
    but for ``path``)."""
    path = path.split("?")[0]
    if loose:
        rule, path = rule.lower().rstrip("/") or "/", path.lower().rstrip("/") or "/"
    at = {0}  # where in the path the rule's parts so far can end
    end = 0
    for converter in _CONVERTER.finditer(rule):
        at = _literal(at, rule[end:converter.start()], path)
        takes = _TAKES.get(converter["kind"] or "", lambda c: c != "/")
        at = _converter(at, takes, path)
        end = converter.end()
    return len(path) in _literal(at, rule[end:], path)


def _literal(at: set[int], text: str, path: str) -> set[int]:
    return {i + len(text) for i in at if path.startswith(text, i)}


def _converter(at: set[int], takes: Callable[[str], bool], path: str) -> set[int]:
    """Every end a converter can reach from ``at``: each position is visited
    once, however many starts there are."""
    reached: set[int] = set()
    for start in sorted(at):
        i = start
        while i < len(path) and takes(path[i]) and i + 1 not in reached:
            i += 1
            reached.add(i)
    return reached


def _source(path: Path) -> str:
    """The file's text, or nothing to parse if it is too large to be an exercise's."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PARSED + 1)
    except OSError:
        return ""
    return "" if len(data) > MAX_PARSED else data.decode("utf-8", errors="replace")


def _inside(root: Path, file: str) -> bool:
    """A relative path to an existing file in the checkout (never outside it)."""
    candidate = PurePosixPath(file.replace("\\", "/"))
    if candidate.is_absolute() or ".." in candidate.parts:
        return False
    return (root / candidate).is_file()
