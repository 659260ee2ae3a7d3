"""Every exercise is sound: ``grade check-exercises`` proves the spec loads,
the reference earns full marks against itself twice, every correct variant
earns full marks and every wrong variant fails the checks it names."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from conftest import DATA, ROOT
from grader.selfcheck import check_exercise, render_table
from grader.spec import list_exercises

VARIANTS = ROOT / "variants"
EXERCISES = list_exercises(ROOT / "exercises")


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_exercise_is_sound(path):
    verdict = check_exercise(path, VARIANTS)
    assert verdict.sound, render_table([verdict])


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_exercise_has_enough_variants(path):
    labels = [yaml.safe_load((f / "variant.yaml").read_text(encoding="utf-8"))["expect"]
              for f in (VARIANTS / path.stem).glob("*") if (f / "variant.yaml").is_file()]
    assert labels.count("full") >= 2
    assert labels.count("fail") >= 3


def test_a_mislabelled_variant_and_a_varying_reference_are_reported(tmp_path):
    # the 'selfcheck' exercise's reference prints a fresh uuid that the spec compares
    # exactly; one variant claims a failure that does not happen, another's label is
    # not valid YAML
    verdict = check_exercise(DATA / "selfcheck" / "exercises" / "selfcheck.yaml",
                             DATA / "selfcheck" / "variants")
    assert not verdict.sound
    assert any("uuid-compared-exactly" in p for p in verdict.reference_problems)
    problems = {v.name: v.problem for v in verdict.variants if v.problem}
    assert sorted(problems) == ["broken-label", "mislabelled"]
    assert "variant.yaml cannot be read" in problems["broken-label"]
    table = render_table([verdict])
    assert "compare.mask" in table and "mislabelled" in table


def test_check_exercises_command_prints_the_table():
    done = subprocess.run([sys.executable, "-m", "grader", "check-exercises", "int-converter"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    header, rule, row = done.stdout.splitlines()[:3]
    assert header.split() == ["exercise", "checks", "points", "reference", "variants", "as",
                              "labelled", "sound"]
    assert row.split()[0] == "int-converter" and row.split()[-1] == "yes"
