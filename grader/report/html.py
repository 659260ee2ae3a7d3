"""``report.html``: the class at a glance for the instructor, in one file.

An overview (the gradebook with colours), the score distribution per exercise
as inline SVG, the checks most often failed, and a section per student with
what every failed check sent, what the reference and the submission answered,
and the body diffs. This module turns the model into display data; the
layout is ``templates/class_report.html``. Content (titles, findings, hints)
is in the report language; the chrome is in English, as the instructor's
other tools are.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from statistics import mean, median
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..classroom import (ClassResult, Entry, ExerciseInfo, StudentRow, failed_checks,
                         format_points)
from ..messages import render
from ..results import CheckResult, Msg, StepReport
from .common import describe_answer, describe_finding, describe_request, step_label
from .text import load_error_lines

__all__ = ["render_html"]

_CHART_W, _CHART_H, _BAR_AREA = 300, 150, 110
_MOST_FAILED = 15


def render_html(result: ClassResult, lang: str) -> str:
    env = Environment(loader=PackageLoader("grader.report", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["code"] = inline_code
    env.filters["points"] = format_points
    template = env.get_template("class_report.html")
    return template.render(**_view(result, lang), hint=render(Msg("hint"), lang),
                           t=lambda key, **params: render(Msg(f"html_{key}", params), lang))


def inline_code(text: str) -> Markup:
    """Escape, then show `backticked` parts (as hints write them) as code and
    **starred** ones as bold, outside code only."""
    parts = re.split(r"`([^`\n]+)`", str(text))
    return Markup("").join(_bold(p) if i % 2 == 0 else Markup("<code>%s</code>") % p
                           for i, p in enumerate(parts))


def _bold(text: str) -> Markup:
    parts = re.split(r"\*\*([^*\n]+)\*\*", text)
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<strong>%s</strong>") % p
                           for i, p in enumerate(parts))


def _view(result: ClassResult, lang: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "folder": result.folder,
        "exercises": [{"id": x.id, "title": x.title.get(lang), "max": x.max_score}
                      for x in result.exercises],
        "max_total": result.max_total,
        "counts": {s: result.count(s) for s in
                   ("graded", "not_loaded", "not_submitted", "error")},
        "rows": [{"student": row.student, "anchor": _anchor(row.student),
                  "total": _total_text(row, lang), "total_class": _total_class(row.total, result),
                  "cells": [_cell(e, x, lang) for e, x in zip(row.entries, result.exercises)]}
                 for row in result.rows],
        "charts": [_chart(result, x, lang) for x in result.exercises],
        "failed": [{"exercise": f.exercise, "check": f.check,
                    "title": f.title.get(lang) if f.title else "", "failed": f.failed,
                    "graded": f.graded, "percent": round(100 * f.failed / max(f.graded, 1)),
                    "students": [(s, _anchor(s)) for s in f.students]}
                   for f in failed_checks(result)[:_MOST_FAILED]],
        "students": [{"student": row.student, "anchor": _anchor(row.student),
                      "total": _total_text(row, lang),
                      "entries": [_entry(e, x, lang) for e, x in zip(row.entries,
                                                                     result.exercises)]}
                     for row in result.rows],
    }


def _anchor(student: str) -> str:
    """A link target per student: the name where it is plain ASCII, else with a
    digest of it, so that 张三 and 李四 (both ``__``) never share one."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", student)
    if safe != student:
        safe += "-" + hashlib.sha256(student.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return "student-" + safe


def _fraction_class(score: float, maximum: float) -> str:
    if maximum and score >= maximum:
        return "full"
    return "zero" if score <= 0 else "partial"


def _cell(entry: Entry, info: ExerciseInfo, lang: str) -> dict[str, str]:
    score = entry.score
    css = {"not_submitted": "absent", "error": "error"}.get(entry.status) \
        or _fraction_class(score or 0.0, info.max_score)
    title = {"not_loaded": "html_did_not_load", "not_submitted": "html_not_submitted",
             "error": "html_not_graded"}.get(entry.status)
    return {"text": _cell_text(entry, lang), "class": css,
            "title": render(Msg(title), lang) if title else ""}


def _cell_text(entry: Entry, lang: str) -> str:
    """The gradebook's cell in the report's language (the CSV keeps its own words)."""
    if entry.score is not None:
        return entry.cell
    return render(Msg("html_not_submitted" if entry.status == "not_submitted"
                      else "html_error_cell"), lang)


def _total_text(row: StudentRow, lang: str) -> str:
    return row.total_cell if row.total is not None else render(Msg("html_error_cell"), lang)


def _total_class(total: float | None, result: ClassResult) -> str:
    return "error" if total is None else _fraction_class(total, result.max_total)


@dataclass(frozen=True, slots=True)
class _Bin:
    label: str
    low: float
    count: int


def _bins(scores: list[float], maximum: float) -> list[_Bin]:
    """One bin per point when there are few, else ten equal ones (the last includes the max)."""
    if maximum <= 12 and maximum == int(maximum):
        edges = [float(i) for i in range(int(maximum) + 1)]
        labels = [format_points(e) for e in edges]
    else:
        width = maximum / 10 if maximum else 1
        edges = [i * width for i in range(10)]
        labels = [f"{format_points(e)}–" for e in edges]
    counts = [0] * len(edges)
    for score in scores:
        index = max((i for i, edge in enumerate(edges) if score >= edge - 1e-9), default=0)
        counts[index] += 1
    return [_Bin(label, low, count) for label, low, count in zip(labels, edges, counts)]


def _chart(result: ClassResult, info: ExerciseInfo, lang: str) -> dict[str, Any]:
    column = result.column(info.id)
    scores = [e.score for e in column if e.score is not None]
    bins = _bins(scores, info.max_score)
    tallest = max((b.count for b in bins), default=0) or 1
    step = _CHART_W / max(len(bins), 1)
    bars = []
    for i, b in enumerate(bins):
        height = _BAR_AREA * b.count / tallest
        bars.append({"x": round(i * step + 2, 1), "w": round(step - 4, 1),
                     "y": round(10 + _BAR_AREA - height, 1), "h": round(height, 1),
                     "count": b.count, "label": b.label, "cx": round(i * step + step / 2, 1),
                     "class": _fraction_class(b.low, info.max_score) if b.low < info.max_score
                     or not info.max_score else "full"})
    return {"id": info.id, "title": info.title.get(lang), "max": info.max_score,
            "width": _CHART_W, "height": _CHART_H, "base": 10 + _BAR_AREA, "bars": bars,
            "scored": len(scores),
            "mean": format_points(mean(scores)) if scores else "–",
            "median": format_points(median(scores)) if scores else "–",
            "not_submitted": sum(e.status == "not_submitted" for e in column),
            "error": sum(e.status == "error" for e in column),
            "not_loaded": sum(e.status == "not_loaded" for e in column)}


def _entry(entry: Entry, info: ExerciseInfo, lang: str) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": info.id, "title": info.title.get(lang), "status": entry.status,
        "cell": _cell_text(entry, lang), "max": format_points(info.max_score),
        "class": _cell(entry, info, lang)["class"], "note": render(entry.note, lang) if entry.note else "",
        "detail": entry.detail or "", "submission": "", "load_error": [], "warnings": [],
        "passed": [], "problems": []}
    result = entry.result
    if result is None:
        return view
    view["submission"] = result.submission
    view["warnings"] = [render(w, lang) for w in result.warnings]
    if result.load_error is not None:
        view["load_error"] = load_error_lines(result, lang)
        return view
    view["passed"] = [(c.name, c.title.get(lang) if c.title else "") for c in result.checks
                      if c.outcome == "passed"]
    view["problems"] = [_check(c, lang) for c in result.checks if c.outcome != "passed"]
    return view


def _check_title(check: CheckResult, lang: str) -> str:
    return check.name + (f" — {check.title.get(lang)}" if check.title else "")


def _check(check: CheckResult, lang: str) -> dict[str, Any]:
    return {"title": _check_title(check, lang), "outcome": check.outcome,
            "score": format_points(check.score), "points": format_points(check.points),
            "error": render(check.error, lang) if check.error else "",
            "hint": check.hint.get(lang) if check.outcome == "failed" else "",
            "steps": [_step(s, lang) for s in check.steps]}


def _step(step: StepReport, lang: str) -> dict[str, Any]:
    label = step_label(step, lang)
    findings = [{"text": describe_finding(f, lang), "notes": [render(n, lang) for n in f.notes],
                 "diff": [(_diff_class(line), line) for line in (f.diff or "").splitlines()]}
                for f in step.findings]
    return {"label": label, "request": describe_request(step.request, lang),
            "findings": findings,
            "reference": describe_answer(step.reference, lang),
            "submission": describe_answer(step.submission, lang),
            "printed": getattr(step.submission, "printed", None) or "",
            "traceback": getattr(step.submission, "traceback", None) or ""}


def _diff_class(line: str) -> str:
    # hunks only (see compare.body_diff): a removed line may itself start with "--"
    return {"+": "add", "-": "del", "@": "meta"}.get(line[:1], "ctx")
