"""A student's feedback as Markdown (``feedback/<student>/<exercise>.md``):
the content of the text report, line for line, laid out for a browser or an
LMS: a table of the checks, then per failed check what was sent and answered
in a code block and the hint as prose."""

from __future__ import annotations

import re
from typing import Any

from ..classroom import Entry, ExerciseInfo, format_points
from ..messages import render
from ..results import CheckResult, GradeResult, Msg
from .common import aside, colon, inline_code
from .text import check_lines, load_error_lines, printable, summary

__all__ = ["render_feedback", "render_result_markdown"]

_MARK = {"passed": "✓", "failed": "✗", "error": "!"}


def render_feedback(entry: Entry, exercise: ExerciseInfo, lang: str) -> str:
    """The feedback of one entry, with or without a result; what an app sent
    is in it, so its control characters are shown, not sent (``cat`` reads
    these files in a terminal too)."""
    if entry.result is not None:
        text = render_result_markdown(entry.result, lang)
        if entry.note is not None:
            text += f"\n{render(_inert(entry.note), lang)}\n"
        return printable(text)
    heading = render(Msg("grading", {"exercise": exercise.id,
                                     "title": exercise.title.get(lang)}), lang)
    return printable(f"# {heading}\n\n{render(_inert(entry.note), lang)}\n")


#: words and nothing else, which Markdown shows as they are
_PLAIN = re.compile(r"[^\W_]+(?:[ ,、，]+[^\W_]+)*")


def _inert(said: Any) -> Any:
    """A message whose names (files and folders are the student's to name)
    are inline code unless plain words: a folder's name with a newline and
    "| ✓ |" drew a fake table of checks, "<img onerror>" raw HTML, and
    "www.evil.example" or "_x_" a link or italics."""
    if isinstance(said, Msg):
        return Msg(said.key, {k: _inert(v) for k, v in said.params.items()})
    if isinstance(said, (tuple, list)):
        return type(said)(_inert(v) for v in said)
    if isinstance(said, str) and said and not _PLAIN.fullmatch(said):
        return inline_code(said)
    return said


def render_result_markdown(result: GradeResult, lang: str) -> str:
    out = ["# " + render(Msg("grading", {"exercise": result.exercise,
                                         "title": result.title.get(lang)}), lang), ""]
    out += [render(Msg("submission", {"path": inline_code(result.submission)}), lang), ""]
    out += ["> ! " + render(_inert(w), lang).replace("\n", "\n> ") for w in result.warnings]
    if result.warnings:
        out.append("")
    total = (f"**{render(Msg('total'), lang)}{colon(lang)}{format_points(result.score)} / "
             f"{format_points(result.max_score)}**" + aside(summary(result, lang), lang, gap="  "))
    if result.load_error is not None:
        out += [*_code(load_error_lines(result, lang)), "", total]
        return "\n".join(out) + "\n"
    out += ["| | | |", "|---|---|---:|"]
    out += [f"| {_MARK[c.outcome]} | {_cell(_name(c, lang))} | "
            f"{format_points(c.score)}/{format_points(c.points)} |" for c in result.checks]
    out += ["", total]
    for check in result.checks:
        if check.outcome != "passed":
            out += ["", *_check(check, lang)]
    return "\n".join(out) + "\n"


def _name(check: CheckResult, lang: str) -> str:
    return check.name + (f" — {check.title.get(lang)}" if check.title else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _check(check: CheckResult, lang: str) -> list[str]:
    lines = check_lines(check, lang)
    hint = []
    if check.outcome == "failed":
        # check_lines ends with the hint, indented; here it is prose
        label = render(Msg("hint"), lang)
        count = len(f"{label}{colon(lang)}{check.hint.get(lang)}".splitlines()) or 1
        lines, hint = lines[:-count], [line.strip() for line in lines[-count:]]
        hint[0] = f"**{label}**{colon(lang)}" + hint[0][len(label + colon(lang)):]
    out = [f"## {_MARK[check.outcome]} {_name(check, lang)}  "
           f"[{format_points(check.score)}/{format_points(check.points)}]", ""]
    body = [line[4:] if line.startswith("    ") else line for line in lines[1:]]
    if body:
        out += _code(body) + ([""] if hint else [])
    return out + hint


def _code(lines: list[str]) -> list[str]:
    """A fenced block whose fence is longer than any run of backticks inside it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *lines, fence]
