"""A small declarative schema language that both validates located YAML
(with ``file:line`` messages and "did you mean") and renders itself as a JSON
Schema, so the validator and the published schema cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from .errors import SpecError, did_you_mean
from .located import LDict, LList, line_of

__all__ = ["Ctx", "Schema", "Str", "Int", "Num", "Bool", "Scalar", "Anything",
           "ListOf", "MapOf", "Obj", "OneOf"]


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where a value sits: the file, a readable path into it and its line."""

    path: str
    where: str
    line: int

    def key(self, key: str, line: int) -> Ctx:
        where = f"{self.where}.{key}" if self.where else key
        return Ctx(self.path, where, line or self.line)

    def index(self, index: int, line: int) -> Ctx:
        return Ctx(self.path, f"{self.where}[{index}]", line or self.line)

    def fail(self, message: str) -> NoReturn:
        subject = f"{self.where!r} " if self.where else ""
        raise SpecError(f"{subject}{message}", path=self.path, line=self.line)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Schema:
    """Base: ``validate`` returns the value (possibly normalised) or fails."""

    kind = "a value"
    description = ""

    def accepts(self, value: Any) -> bool:
        return True

    def validate(self, value: Any, ctx: Ctx) -> Any:
        if not self.accepts(value):
            ctx.fail(f"must be {self.kind} (got {_show(value)})")
        return self._check(value, ctx)

    def _check(self, value: Any, ctx: Ctx) -> Any:
        return value

    def json_schema(self) -> dict[str, Any]:
        schema = self._json()
        if self.description:
            schema["description"] = self.description
        return schema

    def _json(self) -> dict[str, Any]:
        return {}


class Str(Schema):
    kind = "text"

    def __init__(self, description: str = "", *, enum: tuple[str, ...] = (),
                 pattern: str | None = None, pattern_help: str = "",
                 upper: bool = False) -> None:
        self.description = description
        self.enum = enum
        self.pattern = pattern
        self.pattern_help = pattern_help
        self.upper = upper

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)

    def _check(self, value: str, ctx: Ctx) -> str:
        if self.upper and value.upper() in self.enum:
            if value not in (value.upper(), value.lower()):  # as the JSON Schema allows
                ctx.fail(f"must be written {value.upper()!r} or {value.lower()!r}"
                         f" (got {value!r})")
            value = value.upper()
        if self.enum and value not in self.enum:
            ctx.fail(f"must be one of {', '.join(self.enum)} (got {_show(value)})"
                     f"{did_you_mean(value, self.enum)}")
        if self.pattern and not re.fullmatch(self.pattern, value):
            ctx.fail(f"must be {self.pattern_help or 'text matching ' + self.pattern}"
                     f" (got {_show(value)})")
        return value

    def _json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.enum:
            # Methods are accepted in any case, as Flask accepts methods=['post'].
            values = self.enum + tuple(v.lower() for v in self.enum) if self.upper else self.enum
            schema["enum"] = list(values)
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern})$"
        return schema


class Int(Schema):
    kind = "a whole number"

    def __init__(self, description: str = "", *, minimum: int | None = None,
                 maximum: int | None = None) -> None:
        self.description = description
        self.minimum = minimum
        self.maximum = maximum

    def accepts(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def _check(self, value: int, ctx: Ctx) -> int:
        if self.minimum is not None and value < self.minimum:
            ctx.fail(f"must be at least {self.minimum} (got {value})")
        if self.maximum is not None and value > self.maximum:
            ctx.fail(f"must be at most {self.maximum} (got {value})")
        return value

    def _json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


class Num(Schema):
    kind = "a number"

    def __init__(self, description: str = "", *, positive: bool = False) -> None:
        self.description = description
        self.positive = positive

    def accepts(self, value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    def _check(self, value: float, ctx: Ctx) -> float:
        if self.positive and not value > 0:
            ctx.fail(f"must be greater than 0 (got {value})")
        return value

    def _json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "number"}
        if self.positive:
            schema["exclusiveMinimum"] = 0
        return schema


class Bool(Schema):
    kind = "true or false"

    def __init__(self, description: str = "") -> None:
        self.description = description

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)

    def _json(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Scalar(Schema):
    """Text, a number, true/false or null: what a Flask config value may be."""

    kind = "text, a number, true/false or null"

    def __init__(self, description: str = "") -> None:
        self.description = description

    def accepts(self, value: Any) -> bool:
        return value is None or isinstance(value, (str, int, float, bool))

    def _json(self) -> dict[str, Any]:
        return {"type": ["string", "number", "boolean", "null"]}


class Anything(Schema):
    def __init__(self, description: str = "") -> None:
        self.description = description


class ListOf(Schema):
    kind = "a list"

    def __init__(self, item: Schema, description: str = "", *, min_items: int = 0) -> None:
        self.item = item
        self.description = description
        self.min_items = min_items

    def accepts(self, value: Any) -> bool:
        return isinstance(value, list)

    def _check(self, value: list, ctx: Ctx) -> list:
        if len(value) < self.min_items:
            ctx.fail(f"must have at least {self.min_items} item(s)")
        result = LList(self.item.validate(v, ctx.index(i, _item_line(value, i)))
                       for i, v in enumerate(value))
        result.line = line_of(value, ctx.line)
        result.item_lines = [_item_line(value, i) or ctx.line for i in range(len(value))]
        return result

    def _json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


class MapOf(Schema):
    """A mapping with free keys (form fields, headers, config)."""

    kind = "a mapping"

    def __init__(self, value: Schema, description: str = "") -> None:
        self.value = value
        self.description = description

    def accepts(self, value: Any) -> bool:
        return isinstance(value, Mapping)

    def _check(self, value: Mapping, ctx: Ctx) -> LDict:
        result = _ldict_like(value, ctx)
        for key, item in value.items():
            result[key] = self.value.validate(item, ctx.key(key, _key_line(value, key)))
        return result

    def _json(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.value.json_schema()}


class Obj(Schema):
    """A mapping with known keys; unknown keys are errors with a suggestion."""

    kind = "a mapping"

    def __init__(self, props: dict[str, Schema], description: str = "", *,
                 required: tuple[str, ...] = (),
                 one_of_keys: tuple[str, ...] = (),
                 one_of_help: dict[str, str] | None = None) -> None:
        self.props = props
        self.description = description
        self.required = required
        #: exactly one of these keys must be present (e.g. ``steps`` or ``path``)
        self.one_of_keys = one_of_keys
        #: advice when both are given, by the first of them
        self.one_of_help = one_of_help or {}

    def accepts(self, value: Any) -> bool:
        return isinstance(value, Mapping)

    def _check(self, value: Mapping, ctx: Ctx) -> LDict:
        for key in value:
            if key not in self.props:
                where = f" in {ctx.where!r}" if ctx.where else ""
                Ctx(ctx.path, "", _key_line(value, key) or ctx.line).fail(
                    f"unknown key {key!r}{where}{did_you_mean(key, self.props)};"
                    f" allowed: {', '.join(self.props)}")
        for key in self.required:
            if key not in value:
                ctx.fail(f"is missing the required key {key!r}")
        if self.one_of_keys:
            present = [k for k in self.one_of_keys if k in value]
            if not present:
                ctx.fail(f"needs {' or '.join(map(repr, self.one_of_keys))}")
            if len(present) > 1:
                Ctx(ctx.path, ctx.where, _key_line(value, present[1]) or ctx.line).fail(
                    f"cannot have both {present[0]!r} and {present[1]!r}"
                    f"{self.one_of_help.get(present[0], '')}")
        result = _ldict_like(value, ctx)
        for key, item in value.items():
            result[key] = self.props[key].validate(item, ctx.key(key, _key_line(value, key)))
        return result

    def _json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {k: v.json_schema() for k, v in self.props.items()},
            "additionalProperties": False,
        }
        if self.required:
            schema["required"] = list(self.required)
        if self.one_of_keys:
            schema["oneOf"] = [{"required": [k]} for k in self.one_of_keys]
        return schema


class OneOf(Schema):
    """The first alternative whose type accepts the value validates it."""

    def __init__(self, *alternatives: Schema, description: str = "") -> None:
        self.alternatives = alternatives
        self.description = description
        self.kind = " or ".join(dict.fromkeys(a.kind for a in alternatives))

    def accepts(self, value: Any) -> bool:
        return any(a.accepts(value) for a in self.alternatives)

    def _check(self, value: Any, ctx: Ctx) -> Any:
        chosen = next(a for a in self.alternatives if a.accepts(value))
        return chosen.validate(value, ctx)

    def _json(self) -> dict[str, Any]:
        return {"anyOf": [a.json_schema() for a in self.alternatives]}


def _key_line(value: Any, key: str) -> int:
    return value.line_of(key) if isinstance(value, LDict) else 0


def _item_line(value: Any, index: int) -> int:
    return value.line_of(index) if isinstance(value, LList) else 0


def _ldict_like(value: Mapping, ctx: Ctx) -> LDict:
    result = LDict()
    result.line = line_of(value, ctx.line)
    result.key_lines = dict(getattr(value, "key_lines", {}))
    return result
