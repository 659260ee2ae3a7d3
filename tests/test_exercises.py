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
from grader.spec import StrMatch, list_exercises, load_exercise

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
    # exactly; one variant claims a failure that does not happen, the labels of the
    # others are wrong in the ways authors get them wrong
    verdict = check_exercise(DATA / "selfcheck" / "exercises" / "selfcheck.yaml",
                             DATA / "selfcheck" / "variants")
    assert not verdict.sound
    assert any("uuid-compared-exactly" in p for p in verdict.reference_problems)
    assert verdict.reference_varies
    problems = {v.name: v.problem for v in verdict.variants if v.problem}
    assert sorted(problems) == ["broken-label", "fails-a-string", "mislabelled", "misspelt-key",
                                "unknown-check"]
    assert "selfcheck/broken-label/variant.yaml cannot be read" in problems["broken-label"]
    assert problems["fails-a-string"].endswith(
        "variant.yaml: 'fails' must be a list of the checks it fails, such as "
        "[uuid-compared-exactly] (got 'uuid-masked')")
    assert problems["misspelt-key"].endswith(
        "variant.yaml: unknown key 'fials' (did you mean 'fails'?); allowed: expect, fails, why")
    assert problems["unknown-check"].endswith(
        "variant.yaml: 'fails' names no check of the exercise: 'uuid-maskd' "
        "(did you mean 'uuid-masked'?)")
    # one wrong variant labelled well is not enough (a label that cannot be read counts as none)
    assert verdict.too_few_variants == (
        "needs at least 2 correct variants (expect: full) and 3 wrong ones (expect: fail) "
        "in variants/selfcheck/; has 0 and 1")
    table = render_table([verdict])
    assert "compare.mask" in table and "mislabelled" in table and "has 0 and 1" in table


def test_a_reference_that_does_not_load_is_said_once_with_its_line(tmp_path):
    import shutil

    from grader.spec import find_exercise

    exercise = find_exercise("int-converter")
    root = tmp_path / "course"
    shutil.copytree(exercise.reference, root / "reference" / "int-converter")
    (root / "exercises").mkdir()
    shutil.copy(exercise.path, root / "exercises" / "int-converter.yaml")
    module = root / "reference" / "int-converter" / "int_converter.py"
    module.write_text(module.read_text(encoding="utf-8").replace("def ", "def def ", 1),
                      encoding="utf-8")
    verdict = check_exercise(root / "exercises" / "int-converter.yaml", root / "variants")
    assert not verdict.reference_varies
    run_1 = [p for p in verdict.reference_problems if p.startswith("run 1")]
    assert len(run_1) == 1, run_1
    assert run_1[0].startswith("run 1: every check: not graded: the reference solution did not "
                               "load (syntax error")
    assert "reference/int-converter/int_converter.py:" in run_1[0]
    assert "compare.mask" not in render_table([verdict])


def test_a_regex_without_words_is_noted(tmp_path):
    from grader.selfcheck import _notes
    from grader.spec import find_exercise

    assert _notes(find_exercise("cookie-login")) == ()
    text = find_exercise("cookie-login").path.read_text(encoding="utf-8")
    start = text.index("        says: {zh: '一个 method")
    bare = tmp_path / "cookie-login.yaml"
    bare.write_text(text[:start] + text[text.index("\n", start) + 1:], encoding="utf-8")
    assert _notes(load_exercise(bare, ROOT)) == (
        "login-form-page: step 1: a regex without 'says': students will see the pattern "
        "itself; say it in words with says: {zh: ..., en: ...}",)


def test_check_exercises_command_prints_the_table():
    done = subprocess.run([sys.executable, "-m", "grader", "check-exercises", "int-converter"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    header, rule, row = done.stdout.splitlines()[:3]
    assert header.split() == ["exercise", "checks", "points", "reference", "variants", "as",
                              "labelled", "sound"]
    assert row.split()[0] == "int-converter" and row.split()[-1] == "yes"


def _regexes(value) -> list[str]:
    """Every regex a spec holds, at any depth of its checks."""
    if isinstance(value, StrMatch):
        return [value.regex] if value.regex else []
    if isinstance(value, (list, tuple)):
        return [r for item in value for r in _regexes(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [r for name in value.__dataclass_fields__ for r in _regexes(getattr(value, name))]
    return []


#: a megabyte of what makes a pattern try again and again: tags never closed,
#: attributes repeated, one rule with no end
HOSTILE_BODIES = ["<a " * (1 << 18), "<form action=/login/ method=post>" * (1 << 15),
                  "href=" * (1 << 18), "h1{color:red" + " " * (1 << 20),
                  "<ul><li>apple " * (1 << 16), "<link rel=stylesheet " * (1 << 16), "<" * (1 << 20)]


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_every_regex_reads_a_hostile_megabyte_in_bounded_time(path):
    # the grader searches a student's page (up to 1 MiB) with the spec's
    # regexes in its own process: one that backtracks over such a page took
    # minutes, and held up a whole batch
    import re
    import time

    for pattern in set(_regexes(load_exercise(path).checks)):
        compiled = re.compile(pattern.replace("{prefix}", "/k123456"))
        for body in HOSTILE_BODIES:
            started = time.process_time()
            compiled.search(body)
            assert time.process_time() - started < 2, (pattern, body[:30])
