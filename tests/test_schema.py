"""The published JSON Schema: it is current, and it agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.spec_format import json_schema

ROOT = Path(__file__).parent.parent
SCHEMA_FILE = ROOT / "schema" / "exercise.schema.json"
SPECS = Path(__file__).parent / "data" / "specs"

#: Defects the JSON Schema can see (key names, types, enums, patterns, ranges,
#: required keys); the rest need the loader (lines, files, names across checks).
SCHEMA_LEVEL_DEFECTS = [
    "empty.yaml",  # type: object (YAML reads nothing as null)
    "top-level-list.yaml",  # type: object
    "unknown-top-level-key.yaml",  # additionalProperties
    "unknown-step-key.yaml",  # additionalProperties, inside steps[]
    "missing-points.yaml",  # required
    "title-missing-en.yaml",  # required, inside a nested object
    "points-not-number.yaml",  # type: number
    "points-zero.yaml",  # exclusiveMinimum
    "format-2.yaml",  # maximum
    "status-out-of-range.yaml",  # minimum, under anyOf
    "empty-checks.yaml",  # minItems
    "bad-method.yaml",  # enum
    "bad-body-normaliser.yaml",  # enum
    "path-without-slash.yaml",  # pattern
    "id_not_kebab.yaml",  # pattern
    "steps-and-inline-path.yaml",  # oneOf required
    "restart-step-with-path.yaml",  # oneOf required, inside steps[]
]
#: Files plain YAML cannot read at all, so there is nothing to hand the schema.
UNREADABLE = ["bad-yaml-syntax.yaml", "not-utf8.yaml"]


def rendered() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def test_checked_in_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == rendered(), (
        "schema/exercise.schema.json is stale; regenerate it with"
        " `grade schema > schema/exercise.schema.json` and commit it")


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def plain(path: Path) -> Any:
    """The spec as plain data, as an editor's schema check would see it."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_valid_spec_matches_schema(validator: Any) -> None:
    errors = [e.message for e in validator.iter_errors(plain(SPECS / "valid" / "tiny.yaml"))]
    assert errors == []


@pytest.mark.parametrize("name", SCHEMA_LEVEL_DEFECTS)
def test_schema_rejects_schema_level_defect(validator: Any, name: str) -> None:
    # The loader rejects every file in invalid/ (see test_spec.py); these the schema must too.
    assert not validator.is_valid(plain(SPECS / "invalid" / name))


def loader_only_defects() -> list[str]:
    names = sorted(p.name for p in (SPECS / "invalid").glob("*.yaml"))
    return [n for n in names if n not in SCHEMA_LEVEL_DEFECTS and n not in UNREADABLE]


@pytest.mark.parametrize("name", loader_only_defects())
def test_schema_accepts_loader_only_defect(validator: Any, name: str) -> None:
    # Keeps SCHEMA_LEVEL_DEFECTS complete: a defect the schema can see belongs there.
    errors = [e.message for e in validator.iter_errors(plain(SPECS / "invalid" / name))]
    assert errors == [], "the schema rejects this file: move it to SCHEMA_LEVEL_DEFECTS"
