"""The sentences of the CI reports: ``ci_*`` entries of :mod:`grader.messages`."""

from __future__ import annotations

from typing import Any

from ..messages import render
from ..results import GradeResult, Msg

__all__ = ["say", "not_graded"]


def say(key: str, lang: str, **params: Any) -> str:
    """The CI sentence ``key`` in ``lang`` ('zh' or 'en') with ``params`` filled in."""
    return render(Msg(f"ci_{key}", params), lang)


def not_graded(result: GradeResult, lang: str) -> list[tuple[list[str], str]]:
    """The checks that could not be graded, grouped by their reason: one fault
    of the machine (no Redis, say) is one line, not one per check."""
    groups: dict[str, list[str]] = {}
    for check in result.checks:
        if check.outcome == "error":
            groups.setdefault(render(check.error, lang), []).append(check.name)
    return [(names, reason) for reason, names in groups.items()]
