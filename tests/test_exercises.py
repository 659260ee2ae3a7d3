"""Every exercise: the reference earns full marks, every correct variant
earns full marks, and every wrong variant loses points on the checks its
``variant.yaml`` names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from grader.grading import Options, grade
from grader.spec import find_exercise, list_exercises

VARIANTS = ROOT / "variants"
EXERCISES = [p.stem for p in list_exercises(ROOT / "exercises")]


def _variants() -> list[tuple[str, Path]]:
    return [(folder.parent.name, folder)
            for folder in sorted(VARIANTS.glob("*/*")) if (folder / "variant.yaml").is_file()]


def _explain(result) -> str:
    from grader.report.text import render_text

    return render_text(result, "en")


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_reference_earns_full_marks(exercise_id):
    exercise = find_exercise(exercise_id, ROOT / "exercises")
    result = grade(exercise, exercise.reference)
    assert result.score == result.max_score, _explain(result)
    assert result.exit_code == 0


@pytest.mark.parametrize(("exercise_id", "folder"), _variants(),
                         ids=[f"{e}/{f.name}" for e, f in _variants()])
def test_variant_is_graded_as_labelled(exercise_id, folder):
    label = yaml.safe_load((folder / "variant.yaml").read_text(encoding="utf-8"))
    exercise = find_exercise(exercise_id, ROOT / "exercises")
    result = grade(exercise, folder)
    outcomes = {c.name: c.outcome for c in result.checks}
    if label["expect"] == "full":
        assert result.score == result.max_score, _explain(result)
        return
    named = label["fails"]
    assert set(named) <= set(outcomes), f"variant.yaml names unknown checks: {named}"
    assert {n: outcomes[n] for n in named} == {n: "failed" for n in named}, _explain(result)
    assert result.score < result.max_score
    assert "error" not in outcomes.values(), _explain(result)


def test_every_exercise_has_enough_variants():
    for exercise_id in EXERCISES:
        labels = [yaml.safe_load((f / "variant.yaml").read_text(encoding="utf-8"))["expect"]
                  for f in (VARIANTS / exercise_id).glob("*") if (f / "variant.yaml").is_file()]
        assert labels.count("full") >= 2, exercise_id
        assert labels.count("fail") >= 3, exercise_id
