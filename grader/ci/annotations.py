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
from ..report.text import check_lines, load_error_lines
from .place import Place
from .run import CiRun, Graded
from .words import say

__all__ = ["render_annotations", "workflow_command", "escape_data", "escape_property"]

#: GitHub shows long messages folded; past this they are cut
_MAX_MESSAGE = 8000


def render_annotations(run: CiRun, lang: str, workspace: Path) -> str:
    """The workflow commands, one a line; ``workspace`` is what file paths are
    relative to (``$GITHUB_WORKSPACE``, the repository root)."""
    lines = []
    for graded in run.graded:
        lines += _commands(graded, run.root, lang, workspace)
    return "".join(line + "\n" for line in lines)


def _commands(graded: Graded, root: Path, lang: str, workspace: Path) -> list[str]:
    exercise = graded.result.exercise
    if graded.missing is not None:
        return [workflow_command("error", graded.missing,
                                 title=say("missing_title", lang, exercise=exercise))]
    if graded.result.load_error is not None:
        return [workflow_command("error", "\n".join(load_error_lines(graded.result, lang)),
                                 title=say("not_loaded_title", lang, exercise=exercise),
                                 **_where(graded.load_place, root, workspace))]
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
        elif check.outcome == "error":
            lines.append(workflow_command(
                "warning", render(check.error, lang),
                title=say("not_graded_title", lang, exercise=exercise, check=check.name)))
    return lines


def _where(place: Place | None, root: Path, workspace: Path) -> dict[str, str]:
    if place is None:
        return {}
    file = os.path.relpath(root / place.file, workspace).replace(os.sep, "/")
    return {"file": file, "line": str(place.line)} if place.line else {"file": file}


def workflow_command(command: str, message: str, **properties: str) -> str:
    """``::command key=value,…::message``, escaped as the Actions runner expects."""
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + " …"
    props = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items() if v)
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
