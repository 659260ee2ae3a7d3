"""The sentences of the CI reports: ``ci_*`` entries of :mod:`grader.messages`."""

from __future__ import annotations

from typing import Any

from ..messages import render
from ..results import Msg

__all__ = ["say"]


def say(key: str, lang: str, **params: Any) -> str:
    """The CI sentence ``key`` in ``lang`` ('zh' or 'en') with ``params`` filled in."""
    return render(Msg(f"ci_{key}", params), lang)
