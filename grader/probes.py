"""The grader's probe views (``app.probes`` in a spec): views of its own that
count as the student's blueprint's, so that a check reaches the blueprint's
error handlers apart from whatever the student's views do.

``PROBE_PATH + "abort/<code>/"`` calls ``abort(code)``; ``PROBE_PATH +
"raise/"`` raises :class:`GraderProbeError`. Imported by the parent for the
paths alone: Flask is imported only where the views are added, in a child.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PROBE_PATH", "PROBE_CODES", "GraderProbeError", "add_probes", "probe_problem"]

#: where the probe views live, under the blueprint's prefix
PROBE_PATH = "/_grader/"
#: the codes abort() knows (Werkzeug's HTTP exceptions); a test keeps this current
PROBE_CODES = frozenset({400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415,
                         416, 417, 418, 421, 422, 423, 424, 428, 429, 431, 451,
                         500, 501, 502, 503, 504, 505})


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


def probe_problem(path: str, probes: bool) -> str | None:
    """What is wrong with a step's ``path`` that asks a probe view, if
    anything: ``app.probes`` off, or a code abort() does not know."""
    if not path.startswith(PROBE_PATH):
        return None
    if not probes:
        return f"asks a probe view ({PROBE_PATH}...), but 'app.probes' is not true"
    rest = path[len(PROBE_PATH):]
    if rest == "raise/":
        return None
    code = rest.removeprefix("abort/").rstrip("/")
    if rest.startswith("abort/") and code.isdigit() and int(code) in PROBE_CODES:
        return None
    return (f"is no probe view: they are {PROBE_PATH}abort/CODE/, CODE one that abort()"
            f" knows (400, 401, 403-406, 408-418, 421-424, 428, 429, 431, 451, 500-505),"
            f" and {PROBE_PATH}raise/")
