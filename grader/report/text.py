"""The student's report in a terminal: ✓/✗ per check, and for each failure
what was sent, what the reference and the submission answered, and a hint."""

from __future__ import annotations

import re

from ..messages import render
from ..results import CheckResult, GradeResult, Msg, StepReport
from .common import (aside, colon, describe_answer, describe_finding, describe_request, points,
                     step_label)

__all__ = ["render_text", "check_lines", "load_error_lines", "summary"]

_MARK = {"passed": "✓", "failed": "✗", "error": "!"}


def render_text(result: GradeResult, lang: str) -> str:
    out = [render(Msg("grading", {"exercise": result.exercise,
                                  "title": result.title.get(lang)}), lang),
           render(Msg("submission", {"path": result.submission}), lang)]
    out += [f"! {render(w, lang)}" for w in result.warnings]
    out.append("")
    if result.load_error is not None:
        out += load_error_lines(result, lang)
    else:
        for check in result.checks:
            out += check_lines(check, lang)
    out.append("")
    out.append(f"{render(Msg('total'), lang)}{colon(lang)}{points(result.score)} / "
               f"{points(result.max_score)}" + aside(summary(result, lang), lang, gap="  "))
    return printable("\n".join(out) + "\n")


def summary(result: GradeResult, lang: str) -> str:
    """How many checks passed, failed and could not be graded."""
    return render(Msg("summary", {"passed": result.count("passed"),
                                  "failed": result.count("failed"),
                                  "error": result.count("error")}), lang)


#: what a terminal acts on (C0 controls but tab and newline, DEL, C1 controls),
#: and what shows the text around it in another order (bidirectional controls)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069]")
#: what moves a name off its line or column, or hides in it (a tab, line
#: breaks besides "\n", characters of no width)
_BREAK = re.compile("[\t\n\u2028\u2029\u200b-\u200d\u2060\ufeff]")


def printable(text: str) -> str:
    """Show control characters (from an app's body, headers or output) as
    ``\\xNN``: sent as they are, ESC[1A ESC[2K would erase the report's
    real lines in a terminal and let a forged "Total" stand in their place,
    and U+202E would show a name reversed. A lone surrogate (a file name that
    is not UTF-8) is shown as ``\\udcfe``."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(_escaped, text)


def one_line(name: str) -> str:
    """A name (a student's folder, say) that cannot start a line of its own
    nor pass for another: a folder named "x\\nno grade changed since the last
    run" printed a line the grader never said, and "ali\\u200bce" looked like
    alice."""
    return printable(_BREAK.sub(_escaped, name))


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def load_error_lines(result: GradeResult, lang: str) -> list[str]:
    error = result.load_error
    lines = ["✗ " + render(Msg("not_loaded", {"message": error.msg}), lang)]
    if error.file:
        where = f"{error.file}:{error.line}" if error.line else error.file
        lines.append("  " + render(Msg("not_loaded_where", {"where": where}), lang))
    if error.traceback:
        lines += ["    " + line for line in error.traceback.splitlines()]
    hint = "not_loaded_hint_copy" if error.kind.startswith("copy") else "not_loaded_hint"
    lines.append("  " + render(Msg(hint), lang))
    return lines


def check_lines(check: CheckResult, lang: str) -> list[str]:
    title = f" — {check.title.get(lang)}" if check.title else ""
    score = f"{points(check.score)}/{points(check.points)}"
    lines = [f"{_MARK[check.outcome]} {check.name}{title}  [{score}]"]
    if check.outcome == "passed":
        return lines
    if check.error is not None:
        lines += _indent(render(check.error, lang), "    ")
    for step in check.steps:
        lines += _step(step, lang)
    if check.outcome == "failed":
        lines += _indent(f"{render(Msg('hint'), lang)}{colon(lang)}{check.hint.get(lang)}", "    ")
    return lines


def _step(step: StepReport, lang: str) -> list[str]:
    lines = [f"    {step_label(step, lang)}{colon(lang)}{describe_request(step.request, lang)}"]
    for finding in step.findings:
        lines += _indent("✗ " + describe_finding(finding, lang), "      ")
        for note in finding.notes:
            lines += _indent("→ " + render(note, lang), "        ")
        if finding.diff:
            lines.append(f"        {render(Msg('body_diff'), lang)}{colon(lang)}")
            lines += _indent(finding.diff, "          ")
    for who, answer in (("reference_answered", step.reference), ("you_answered", step.submission)):
        shown = describe_answer(answer, lang)
        lines.append(f"      {render(Msg(who), lang)}{colon(lang)}{shown[0]}")
        lines += [f"        {line}" for line in shown[1:]]
    printed = getattr(step.submission, "printed", None)
    if printed:
        lines.append(f"      {render(Msg('you_printed'), lang)}{colon(lang)}".rstrip())
        lines += _indent(printed, "        ")
    traceback = getattr(step.submission, "traceback", None)
    if traceback:
        lines.append(f"      {render(Msg('your_traceback'), lang)}{colon(lang)}".rstrip())
        lines += _indent(traceback, "        ")
    return lines


def _indent(text: str, prefix: str) -> list[str]:
    return [prefix + line for line in text.splitlines()] or [prefix]
