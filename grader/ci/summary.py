"""The Markdown summary of a CI run, for ``$GITHUB_STEP_SUMMARY`` or a
pull-request comment: a table (exercise, score, checks passed), then every
failed check with what was sent, expected and got and the hint, exactly as
the text report says it (in a code block, so nothing a student's app answered
is taken for Markdown or HTML).
"""

from __future__ import annotations

import re
import textwrap

from ..messages import render
from ..report.common import aside, inline_code, points
from ..report.text import check_lines, load_error_lines, printable
from ..results import CheckResult
from .run import CiRun, Graded
from .words import not_graded, say

__all__ = ["render_summary"]

#: a pull-request comment holds 65 536 characters; leave room for the table
_MAX_CHARS = 60_000
_MARK = {"full": "✅", "lost": "❌", "not_loaded": "⛔", "not_graded": "⚠️"}


def render_summary(run: CiRun, lang: str) -> str:
    """The Markdown summary, control characters (from a student's answer) shown
    as ``\\xNN``."""
    return printable(_summary(run, lang))


def _summary(run: CiRun, lang: str) -> str:
    if run.nothing is not None:
        return "\n".join([f"## {say('heading', lang)}", "",
                          f"#### {_MARK['not_loaded']} {say('none_title', lang)}", "",
                          render(run.nothing, lang), ""])
    out = [f"## {say('heading', lang)}", "", *_table(run, lang), ""]
    sections = _failures(run, lang)
    if sections:
        out += [f"### {say('failed_heading', lang)}", ""]
        shown = 0
        for section in sections:
            if sum(map(len, out)) + len(section) > _MAX_CHARS:
                break
            out += [section, ""]
            shown += 1
        if shown < len(sections):
            out += [f"*{say('truncated', lang, count=len(sections) - shown)}*", ""]
    elif run.exit_code == 0:
        out += [say("all_full", lang), ""]
    not_graded = _not_graded(run, lang)
    if not_graded:
        out += [f"### {say('not_graded_heading', lang)}", "", f"> {say('not_graded_note', lang)}",
                "", *not_graded, ""]
    return "\n".join(out)


def _table(run: CiRun, lang: str) -> list[str]:
    header = (f"| {say('col_exercise', lang)} | {say('col_score', lang)} | "
              f"{say('col_checks', lang)} |")
    rows = [header, "| --- | ---: | ---: |"]
    for graded in run.graded:
        result = graded.result
        if graded.missing is not None:
            checks = say("cell_missing", lang)
        elif result.load_error is not None:
            checks = say("cell_not_loaded", lang)
        else:
            checks = f"{result.count('passed')} / {len(result.checks)}"
        name = f"{_mark(graded)} `{result.exercise}` {_cell(result.title.get(lang))}"
        rows.append(f"| {name} | {points(result.score)} / {points(result.max_score)} | "
                    f"{checks} |")
    rows.append(f"| **{say('total', lang)}** | **{points(run.score)} / {points(run.max_score)}**"
                " | |")
    return rows


def _mark(graded: Graded) -> str:
    result = graded.result
    if graded.missing is not None or result.load_error is not None:
        return _MARK["not_loaded"]
    if result.count("failed"):
        return _MARK["lost"]
    return _MARK["not_graded"] if result.count("error") else _MARK["full"]


def _failures(run: CiRun, lang: str) -> list[str]:
    sections = []
    for graded in run.graded:
        exercise = graded.result.exercise
        if graded.missing is not None:
            sections.append(f"#### {_MARK['not_loaded']} "
                            f"{say('missing_title', lang, exercise=exercise)}\n\n"
                            + _fenced(render(graded.missing, lang)))
        elif graded.result.load_error is not None:
            sections.append(f"#### {_MARK['not_loaded']} "
                            f"{say('not_loaded_title', lang, exercise=exercise)}\n\n"
                            + _fenced("\n".join(load_error_lines(graded.result, lang))))
        else:
            sections += [_failed_check(graded, check, lang) for check in graded.result.checks
                         if check.outcome == "failed"]
    return sections


def _failed_check(graded: Graded, check: CheckResult, lang: str) -> str:
    title = say("check_failed", lang, exercise=graded.result.exercise, check=check.name,
                title=check.title.get(lang) if check.title else "")
    heading = (f"#### {_MARK['lost']} {title}"
               + aside(f"{points(check.score)} / {points(check.points)}", lang))
    place = graded.place_of(check.name)
    where = ""
    if place is not None:
        where = f"→ {inline_code(f'{place.file}:{place.line}' if place.line else place.file)}\n\n"
    body = textwrap.dedent("\n".join(check_lines(check, lang)[1:]))
    return f"{heading}\n\n{where}{_fenced(body)}"


def _not_graded(run: CiRun, lang: str) -> list[str]:
    return [f"- `{g.result.exercise}` › {', '.join(names)}: "
            f"{_cell(reason.splitlines()[0] if reason else '')}"
            for g in run.graded for names, reason in not_graded(g.result, lang)]


def _fenced(text: str) -> str:
    """A code block whose fence no run of backticks in ``text`` can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
