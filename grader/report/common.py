"""Pieces every report shares: how a request, an answer and a finding read."""

from __future__ import annotations

import json
import re
from typing import Any

from ..compare import status_line
from ..http import REDIRECT_CODES, Request, Response
from ..messages import render
from ..results import Finding, Msg, StepReport
from ..sandbox import Fault

__all__ = ["describe_request", "describe_answer", "describe_finding", "points", "colon",
           "aside", "step_label", "visible", "inline_code"]

_SHOWN_HEADERS = ("Content-Type", "Location", "Allow", "Set-Cookie")
_BODY_CHARS = 200


def points(value: float) -> str:
    return f"{value:g}"


def colon(lang: str) -> str:
    """What follows a label: a full-width colon in Chinese."""
    return "：" if lang == "zh" else ": "


def aside(text: str, lang: str, gap: str = " ") -> str:
    """``text`` in parentheses after what it explains: full-width ones, with
    no gap, in Chinese."""
    return f"（{text}）" if lang == "zh" else f"{gap}({text})"


def step_label(step: StepReport, lang: str) -> str:
    """'step 2', and the spec's label of it if it has one."""
    label = render(Msg("step", {"n": step.index + 1}), lang)
    return label + (aside(step.label.get(lang), lang) if step.label else "")


def describe_request(request: Request | None, lang: str) -> str:
    if request is None:
        return ""
    if request.method == "RESTART":
        return render(Msg("restart"), lang)
    line = f"{request.method} {request.path}"
    if request.query:
        line += "?" + "&".join(f"{k}={v}" for k, v in request.query)
    if request.form:
        line += f"  {_label('request_form', lang)}" + "&".join(f"{k}={visible(v)}"
                                                            for k, v in request.form)
    if request.json is not None:
        line += f"  {_label('request_json', lang)}{request.json}"
    if request.host != "localhost":
        line += f"  Host: {request.host}"
    if request.remote_addr != "127.0.0.1":
        line += f"  {_label('request_client', lang)}{request.remote_addr}"
    for name, value in request.headers:
        line += f"  {name}: {visible(value)}"
    return line


def _label(key: str, lang: str) -> str:
    return render(Msg(key), lang) + colon(lang)


def describe_answer(answer: Response | Fault | None, lang: str) -> list[str]:
    """A status line, the headers that matter, and the start of the body."""
    if answer is None:
        return ["-"]
    if isinstance(answer, Fault):
        return [render(answer.message, lang)]
    lines = [status_line(answer.status)]
    lines += [f"{k}: {v}" for k, v in answer.headers if k in _SHOWN_HEADERS]
    body = "" if answer.status in REDIRECT_CODES else _readable(answer)
    if body:
        body = " ".join(body.split())
        lines.append(body if len(body) <= _BODY_CHARS else body[:_BODY_CHARS] + " …")
    return lines


def _readable(answer: Response) -> str:
    """The body as a reader takes it in: JSON with its text as text (jsonify
    writes "\\u5c0f\\u660e" for 小明), anything else as it came."""
    text = answer.text.strip()
    if "json" in (answer.header("Content-Type") or "").lower() and "\\u" in text:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
        except (ValueError, RecursionError):
            pass
    return text


def describe_finding(finding: Finding, lang: str) -> str:
    if finding.expected is None and finding.actual is None:
        return render(finding.what, lang)
    return render(Msg("finding", {"what": finding.what, "expected": finding.expected,
                                  "actual": visible(finding.actual)}), lang)


def visible(value: Any) -> Any:
    """A text whose edges are blank, or that is empty, in quotes: ``got you
    are using:`` hides the space after the colon that made the difference."""
    if isinstance(value, str) and (not value or value != value.strip()):
        return f"“{value}”"
    return value


def inline_code(text: str) -> str:
    """Inline code that stays inline whatever the text (a file name is the
    student's to choose): on one line, fenced by more backticks than it holds."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
