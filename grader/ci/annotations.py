"""GitHub Actions annotations: one ``::error`` workflow command per failed
check (or per submission that did not load), pointing at the student's file
and line where :mod:`grader.ci.place` could place it; a ``::warning`` per
check that could not be graded.

Everything after ``::`` is escaped (``%``, CR, LF), and property values also
``:`` and ``,``, so nothing a student's code prints can end a command early or
start another.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from ..messages import render
from ..report.common import points
from ..report.text import check_lines, load_error_lines, printable
from .place import Place
from .run import CiRun, Graded
from .words import not_graded, say

__all__ = ["render_annotations", "workflow_command", "escape_data", "escape_property"]

#: GitHub shows long messages folded; past this they are cut
_MAX_MESSAGE = 8000


def render_annotations(run: CiRun, lang: str, workspace: Path) -> str:
    """The workflow commands, one a line; ``workspace`` is what file paths are
    relative to (``$GITHUB_WORKSPACE``, the repository root). Files missing or
    not loaded come first: GitHub shows a step's first ten errors only, and
    these must be fixed before any check can run."""
    if run.nothing is not None:
        return workflow_command("error", render(run.nothing, lang),
                                title=say("none_title", lang)) + "\n"
    first = [_unloaded(g, run.root, lang, workspace) for g in run.graded]
    lines = [line for line in first if line is not None]
    for graded in run.graded:
        if graded.missing is None and graded.result.load_error is None:
            lines += _checks(graded, run.root, lang, workspace)
    return "".join(line + "\n" for line in lines)


def _unloaded(graded: Graded, root: Path, lang: str, workspace: Path) -> str | None:
    exercise = graded.result.exercise
    if graded.missing is not None:
        return workflow_command("error", render(graded.missing, lang),
                                title=say("missing_title", lang, exercise=exercise))
    if graded.result.load_error is not None:
        return workflow_command("error", "\n".join(load_error_lines(graded.result, lang)),
                                title=say("not_loaded_title", lang, exercise=exercise),
                                **_where(graded.load_place, root, workspace))
    return None


def _checks(graded: Graded, root: Path, lang: str, workspace: Path) -> list[str]:
    exercise = graded.result.exercise
    lines = []
    for check in graded.result.checks:
        if check.outcome == "failed":
            title = say("check_failed", lang, exercise=exercise, check=check.name,
                        title=check.title.get(lang) if check.title else "")
            title += f" [{points(check.score)}/{points(check.points)}]"
            body = textwrap.dedent("\n".join(check_lines(check, lang)[1:]))
            lines.append(workflow_command("error", body, title=title,
                                          **_where(graded.place_of(check.name), root,
                                                   workspace)))
    for names, reason in not_graded(graded.result, lang):
        lines.append(workflow_command(
            "warning", reason,
            title=say("not_graded_title", lang, exercise=exercise, check=", ".join(names))))
    return lines


def _where(place: Place | None, root: Path, workspace: Path) -> dict[str, str]:
    if place is None:
        return {}
    file = os.path.relpath(root / place.file, workspace).replace(os.sep, "/")
    return {"file": file, "line": str(place.line)} if place.line else {"file": file}


def workflow_command(command: str, message: str, **properties: str) -> str:
    """``::command key=value,…::message``, escaped as the Actions runner expects,
    with control characters (from a student's answer) shown as ``\\xNN``."""
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + " …"
    props = ",".join(f"{k}={printable(escape_property(v))}" for k, v in properties.items() if v)
    return f"::{command}{' ' + props if props else ''}::{printable(escape_data(message))}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
