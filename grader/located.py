"""YAML → plain Python values that remember the line each came from.

Mappings become :class:`LDict` and sequences :class:`LList`; both are plain
``dict``/``list`` subclasses with a ``line`` and the lines of their keys or
items, so every later error can say ``file:line``.
"""

from __future__ import annotations

from typing import Any

import yaml

from .errors import SpecError

__all__ = ["LDict", "LList", "load_located", "line_of"]

try:  # the C composer is several times faster; the pure one is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class LDict(dict):
    """A mapping from YAML; ``key_lines[key]`` is the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    """A sequence from YAML; ``item_lines[i]`` is the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default)


def load_located(text: str, path: str) -> Any:
    """Parse one YAML document, keeping line numbers (1-based)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SpecError(f"not valid YAML: {exc.problem or exc}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"not valid YAML: {exc}", path=path) from None
    if node is None:
        raise SpecError("the file is empty", path=path, line=1)
    return _convert(node, path, yaml.constructor.SafeConstructor())


def _convert(node: yaml.Node, path: str, constructor: yaml.constructor.SafeConstructor) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = LDict()
        result.line, result.key_lines = line, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise SpecError("YAML merge keys ('<<') are not supported", path=path,
                                line=key_node.start_mark.line + 1)
            key = _convert(key_node, path, constructor)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise SpecError(f"keys must be text (got {key!r})", path=path, line=key_line)
            if key in result:
                raise SpecError(f"duplicate key {key!r}", path=path, line=key_line)
            result[key] = _convert(value_node, path, constructor)
            result.key_lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LList(_convert(child, path, constructor) for child in node.value)
        items.line = line
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise SpecError(f"cannot read this value: {exc.problem}", path=path, line=line) from None
