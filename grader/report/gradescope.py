"""Gradescope's ``results.json``: score, max_score and one test per check."""

from __future__ import annotations

import json
from typing import Any

from ..messages import render
from ..results import GradeResult
from .text import check_lines, load_error_lines

__all__ = ["to_gradescope", "render_gradescope"]

_STATUS = {"passed": "passed", "failed": "failed", "error": "failed"}


def to_gradescope(result: GradeResult, lang: str) -> dict[str, Any]:
    tests = []
    for check in result.checks:
        name = check.name + (f" — {check.title.get(lang)}" if check.title else "")
        output = "\n".join(line.strip("\n") for line in check_lines(check, lang)[1:])
        tests.append({"name": name, "score": check.score, "max_score": check.points,
                      "status": _STATUS[check.outcome], "output": output})
    document: dict[str, Any] = {"score": result.score, "max_score": result.max_score,
                                "tests": tests}
    messages = [render(w, lang) for w in result.warnings]
    if result.load_error is not None:
        messages += load_error_lines(result, lang)
    if messages:
        document["output"] = "\n".join(messages)
    return document


def render_gradescope(result: GradeResult, lang: str) -> str:
    text = json.dumps(to_gradescope(result, lang), ensure_ascii=False, indent=2) + "\n"
    # a lone surrogate ("\ud800" in a student's text) is written as the JSON escape
    # it reads as, where the raw character would stop any output from encoding
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
