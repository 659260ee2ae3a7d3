"""What children change in the libraries they run: for speed, never for
behaviour.

Werkzeug compiles two URL builders for every rule an app adds: Python code
made through :mod:`ast` and :func:`compile`, about a fifth of a millisecond
each. Only ``url_for`` ever calls them, and a child mounts one app, adds each
rule once and sends a dozen requests, so it builds the URLs of a few rules at
most: compiling every builder up front was most of what mounting a blueprint
cost a child. :func:`lazy_url_builders` has Werkzeug compile a rule's builder
when it is first called instead: the same code, from the same rule, later.
"""

from __future__ import annotations

from typing import Any

__all__ = ["lazy_url_builders"]


def lazy_url_builders() -> bool:
    """Defer the compiling of Werkzeug's URL builders to their first call.
    Idempotent; False where this Werkzeug does not build URLs the way we
    know (then nothing changes)."""
    try:
        from werkzeug.routing.rules import Rule
    except ImportError:  # pragma: no cover - Flask depends on Werkzeug
        return False
    if getattr(Rule, "_grader_lazy_builders", False):
        return True
    if not callable(getattr(Rule, "_compile_builder", None)):
        return False
    eager = Rule.compile

    def compile(self: Any) -> None:
        # Werkzeug's compile calls self._compile_builder(...).__get__(self, None)
        # for both builders; an attribute of the instance answers that call first
        self._compile_builder = _Deferred(self, type(self)._compile_builder)
        try:
            eager(self)
        finally:
            del self._compile_builder

    compile.__doc__ = eager.__doc__
    compile.__wrapped__ = eager  # type: ignore[attr-defined]
    Rule.compile = compile
    Rule._grader_lazy_builders = True
    return True


class _Deferred:
    """Stands for ``Rule._compile_builder`` on one rule while it compiles."""

    __slots__ = ("compile_builder", "rule")

    def __init__(self, rule: Any, compile_builder: Any) -> None:
        self.rule, self.compile_builder = rule, compile_builder

    def __call__(self, append_unknown: bool = True) -> Any:
        defaults = self.rule.defaults or {}
        if any(dynamic and name in defaults for dynamic, name in self.rule._trace):
            # a default of a converted part is converted while compiling, and a
            # converter may refuse it: that must fail now, as it would unpatched
            return self.compile_builder(self.rule, append_unknown)
        return _LazyBuilder(self.rule, self.compile_builder, append_unknown)


class _LazyBuilder:
    """A rule's builder, compiled by Werkzeug on the first call."""

    __slots__ = ("append_unknown", "built", "compile_builder", "rule")

    def __init__(self, rule: Any, compile_builder: Any, append_unknown: bool) -> None:
        self.rule, self.compile_builder = rule, compile_builder
        self.append_unknown = append_unknown
        self.built: Any = None

    def __get__(self, instance: Any, owner: Any = None) -> _LazyBuilder:
        return self  # Werkzeug binds the builder to its rule: this one already is

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.built is None:
            self.built = self.compile_builder(self.rule, self.append_unknown).__get__(self.rule)
        return self.built(*args, **kwargs)
