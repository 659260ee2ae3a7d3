"""What ``grade ci`` does: grade the checkout, then write the log (the text
report of every exercise), the annotations, the JUnit XML and the Markdown
summary, and return the exit code. The CLI only parses arguments."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..grading import Options
from ..messages import render
from ..report.common import points
from ..report.text import render_text
from .run import CiRun, grade_checkout
from .words import say

__all__ = ["CiSettings", "run_ci", "write_outputs"]


@dataclass(frozen=True, slots=True)
class CiSettings:
    root: Path
    lang: str
    ids: tuple[str, ...] = ()
    junit: Path | None = None
    summary: Path | None = None
    #: None: on when running under GitHub Actions
    annotations: bool | None = None
    options: Options = field(default_factory=Options)
    jobs: int = 2


def run_ci(settings: CiSettings, echo: Callable[[str], None],
           environ: Mapping[str, str] | None = None) -> int:
    """Grade and write everything; ``echo`` prints to stdout (no newline added)."""
    environ = os.environ if environ is None else environ
    run = grade_checkout(settings.root, settings.ids, settings.options, settings.jobs)
    write_outputs(run, settings, echo, environ)
    return run.exit_code


def write_outputs(run: CiRun, settings: CiSettings, echo: Callable[[str], None],
                  environ: Mapping[str, str]) -> None:
    from .annotations import render_annotations
    from .junit import render_junit
    from .summary import render_summary

    actions = environ.get("GITHUB_ACTIONS") == "true"
    lang = settings.lang
    annotate = actions if settings.annotations is None else settings.annotations
    # wherever annotations are read, the log must not be able to forge one
    echo(_log(run, lang, guarded=actions or annotate))
    if annotate:
        workspace = Path(environ.get("GITHUB_WORKSPACE") or Path.cwd())
        echo(render_annotations(run, lang, workspace))
    if settings.junit is not None:
        _write(settings.junit, render_junit(run, lang))
    summary = render_summary(run, lang)
    if settings.summary is not None:
        _write(settings.summary, summary)
    if environ.get("GITHUB_STEP_SUMMARY"):  # GitHub collects what every step appends
        with open(environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(summary + "\n")
    echo(say("log_total_one" if len(run.graded) == 1 else "log_total", lang,
             count=len(run.graded), score=points(run.score), max=points(run.max_score),
             code=run.exit_code) + "\n")


def _log(run: CiRun, lang: str, guarded: bool) -> str:
    """Every exercise's text report; ``guarded`` (under Actions, or wherever
    annotations are printed) each in a folded group, with workflow commands
    switched off around it, since it quotes what the student's app answered
    (which could otherwise forge an annotation)."""
    if run.nothing is not None:
        return f"grade ci: {render(run.nothing, lang)}\n"
    out = []
    for graded in run.graded:
        result = graded.result
        text = (f"{result.exercise}: {render(graded.missing, lang)}\n"
                if graded.missing is not None else render_text(result, lang))
        if guarded:
            token = secrets.token_hex(16)
            head = f"{result.exercise} — {points(result.score)} / {points(result.max_score)}"
            text = (f"::group::{head}\n::stop-commands::{token}\n{text}::{token}::\n"
                    "::endgroup::\n")
        out.append(text)
    return "\n".join(out) if not guarded else "".join(out)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
