"""A :class:`~grader.results.GradeResult` as JSON data and back.

``grade batch`` caches every result on disk and renders every output from
the result model, fresh or cached alike, so a result must survive the trip
to JSON unchanged: ``from_data(to_data(r)) == r``.

The encoding follows the dataclasses, so a field added to the result model
travels without a change here::

    dataclass  → {"$type": "CheckResult", <field>: <value>, ...}
    tuple      → [...]                  (every sequence in the model is a tuple)
    list       → {"$list": [...]}       (rare: only inside message parameters)
    bytes      → {"$utf8": "..."} when the bytes are UTF-8 text, else {"$base64": "..."}
    dict       → {...} with string keys, or {"$dict": {...}} when a key begins with "$";
                 str, int, float, bool and None as they are

Only the classes of the result model are ever built from data (a cache file
is data, not code).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import types
import typing
from typing import Any, Callable

from .http import Request, Response
from .results import CheckResult, Finding, GradeResult, Msg, StepReport
from .sandbox import Fault, LoadError
from .spec import Text

__all__ = ["FORMAT", "to_data", "from_data", "dumps", "loads", "conforms"]

#: bumped when the encoding changes; a cache holding another format is ignored
FORMAT = 1

_TYPES: dict[str, type] = {cls.__name__: cls for cls in (
    GradeResult, CheckResult, StepReport, Finding, Msg, Text, Request, Response, Fault,
    LoadError)}
#: each class's fields, worked out once: dataclasses.fields() was most of the
#: time a batch spent storing and reading results
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _TYPES.values()}


def to_data(value: Any) -> Any:
    """Plain JSON data for a result (or any part of one)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    names = _FIELDS.get(type(value))
    if names is not None:
        data = {"$type": type(value).__name__}
        data.update({name: to_data(getattr(value, name)) for name in names})
        return data
    if isinstance(value, tuple):
        return [to_data(v) for v in value]
    if isinstance(value, list):
        return {"$list": [to_data(v) for v in value]}
    if isinstance(value, bytes):
        try:
            return {"$utf8": value.decode("utf-8")}
        except UnicodeDecodeError:
            return {"$base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        encoded = {k: to_data(v) for k, v in value.items()}
        # a key of the encoding's own ("$type" in a student's data) would be read as one
        return {"$dict": encoded} if any(k.startswith("$") for k in value) else encoded
    raise TypeError(f"cannot store a {type(value).__name__} in a result: {value!r:.80}")


def from_data(data: Any) -> Any:
    """The inverse of :func:`to_data`; raises ``ValueError`` on data it did not write."""
    if data is None or isinstance(data, (str, bool, int, float)):
        return data
    if isinstance(data, list):
        return tuple(from_data(v) for v in data)
    if not isinstance(data, dict):
        raise ValueError(f"not result data: {data!r:.80}")
    if "$dict" in data:
        return {k: from_data(v) for k, v in data["$dict"].items()}
    if "$type" in data:
        return _build(data)
    if "$list" in data:
        return [from_data(v) for v in data["$list"]]
    if "$utf8" in data:
        return data["$utf8"].encode("utf-8")
    if "$base64" in data:
        return base64.b64decode(data["$base64"])
    return {k: from_data(v) for k, v in data.items()}


def _build(data: dict[str, Any]) -> Any:
    cls = _TYPES.get(data["$type"])
    if cls is None:
        raise ValueError(f"unknown type in result data: {data['$type']!r:.40}")
    names = _FIELDS[cls]
    # fields a newer or older grader wrote are left out; missing ones take defaults
    try:
        built = cls(**{k: from_data(v) for k, v in data.items() if k in names})
    except TypeError as exc:
        raise ValueError(f"{data['$type']} data does not fit the model: {exc}") from None
    conforms(built)
    return built


def conforms(instance: Any) -> None:
    """Raise ``ValueError`` unless each field of the dataclass ``instance``
    holds what its annotation says: a damaged file whose outcome is "bogus"
    or whose checks are 5 must be a miss here, not a traceback in a report."""
    for name, fits in _checks(type(instance)):
        value = getattr(instance, name)
        if not fits(value):
            raise ValueError(f"{type(instance).__name__}.{name} does not fit the model: "
                             f"{type(value).__name__} {value!r:.60}")


#: larger than any number a result holds (points, indexes, lines, times)
_MAX_NUMBER = 10 ** 15


@functools.cache
def _checks(cls: type) -> tuple[tuple[str, Callable[[Any], bool]], ...]:
    return tuple((name, _check(hint)) for name, hint in typing.get_type_hints(cls).items())


@functools.cache
def _check(hint: Any) -> Callable[[Any], bool]:
    """Whether a value fits ``hint``, worked out once per annotation: every
    result read back is checked, a batch's own among them."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return lambda value: True
    if origin is typing.Literal:
        return lambda value: value in args
    if origin in (typing.Union, types.UnionType):
        arms = tuple(map(_check, args))
        return lambda value: any(arm(value) for arm in arms)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _check(args[0])
        return lambda value: isinstance(value, tuple) and all(map(item, value))
    if origin is tuple:
        items = tuple(map(_check, args))
        return lambda value: isinstance(value, tuple) and len(value) == len(items) \
            and all(check(v) for check, v in zip(items, value))
    if origin is dict:
        key, item = _check(args[0]), _check(args[1])
        return lambda value: isinstance(value, dict) \
            and all(key(k) and item(v) for k, v in value.items())
    if hint is type(None):
        return lambda value: value is None
    # a float field may hold an int, as JSON writes 2.0; a bool is no number here,
    # nor NaN, nor one past any count or time (401 digits overflowed format_points)
    number = {int: int, float: (int, float)}.get(hint)
    if number is not None:
        return lambda value: isinstance(value, number) and not isinstance(value, bool) \
            and -_MAX_NUMBER <= value <= _MAX_NUMBER
    return lambda value: isinstance(value, hint)


def dumps(result: GradeResult) -> str:
    return json.dumps({"format": FORMAT, "result": to_data(result)}, ensure_ascii=False)


def loads(text: str) -> GradeResult:
    """Raises ``ValueError`` for text :func:`dumps` did not write (of this format)."""
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not a result of this format")
        result = from_data(document.get("result"))
    except (TypeError, KeyError, AttributeError, RecursionError) as exc:
        # RecursionError: data nested deeper than any result is, in a damaged file
        raise ValueError(f"malformed result data: {exc!r:.200}") from None
    if not isinstance(result, GradeResult):
        raise ValueError("the data holds no GradeResult")
    return result
