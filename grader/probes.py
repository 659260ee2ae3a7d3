"""The grader's probe views (``app.probes`` in a spec): views of its own that
count as the student's blueprint's, so that a check reaches the blueprint's
error handlers apart from whatever the student's views do.

``PROBE_PATH + "abort/<code>/"`` calls ``abort(code)``; ``PROBE_PATH +
"raise/"`` raises :class:`GraderProbeError`. Imported by the parent for the
paths alone: Flask is imported only where the views are added, in a child.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PROBE_PATH", "GraderProbeError", "add_probes"]

#: where the probe views live, under the blueprint's prefix
PROBE_PATH = "/_grader/"


class GraderProbeError(RuntimeError):
    """Raised by the grader's own probe view, to reach a 500 handler."""


def add_probes(app: Any, blueprint: str, prefix: str | None) -> None:
    """Add the probe views to ``app``, their endpoints under ``blueprint``'s
    name, which is how Flask picks a blueprint's error handlers. Added to the
    app, not the blueprint: a blueprint registered once takes no more routes."""
    from flask import abort

    def grader_abort(code: int) -> Any:
        abort(code)

    def grader_raise() -> Any:
        raise GraderProbeError("raised by the grader's probe view, to reach your 500 handler")

    base = (prefix or "").rstrip("/") + PROBE_PATH
    app.add_url_rule(base + "abort/<int:code>/", f"{blueprint}._grader_abort", grader_abort)
    app.add_url_rule(base + "raise/", f"{blueprint}._grader_raise", grader_raise)
