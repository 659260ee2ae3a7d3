"""``grade check-exercises``: proves an exercise is sound before a student
sees it. The spec loads; the reference earns full marks graded against
itself, twice (two independent processes each time, so anything compared
that differs between runs shows up as nondeterminism the spec must handle
with a mask or a shape); every correct variant earns full marks and every
wrong variant loses points on the checks its ``variant.yaml`` names.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import GraderError
from .grading import Options, grade
from .results import GradeResult
from .spec import Exercise, load_exercise

__all__ = ["VariantVerdict", "ExerciseVerdict", "check_exercise", "check_exercises"]

REFERENCE_RUNS = 2


@dataclass(frozen=True, slots=True)
class VariantVerdict:
    name: str
    expect: str
    #: what went against the label, or None when graded as labelled
    problem: str | None


@dataclass(frozen=True, slots=True)
class ExerciseVerdict:
    exercise: str
    checks: int = 0
    points: float = 0
    #: the spec did not load (the SpecError message)
    spec_error: str | None = None
    #: reference runs that fell short of full marks, as "check: finding"
    reference_problems: tuple[str, ...] = ()
    variants: tuple[VariantVerdict, ...] = ()

    @property
    def variants_ok(self) -> int:
        return sum(v.problem is None for v in self.variants)

    @property
    def sound(self) -> bool:
        return (self.spec_error is None and not self.reference_problems
                and self.variants_ok == len(self.variants))


def _problems(result: GradeResult) -> list[str]:
    from .messages import render
    from .report.common import describe_finding

    problems = []
    if result.load_error is not None:
        problems.append(f"did not load: {render(result.load_error.msg, 'en')}")
    for check in result.checks:
        if check.outcome == "error":
            problems.append(f"{check.name}: not graded: {render(check.error, 'en')}")
        for step in check.steps:
            problems += [f"{check.name}: step {step.index + 1}: {describe_finding(f, 'en')}"
                         for f in step.findings]
    return problems


def _check_variant(exercise: Exercise, folder: Path, options: Options) -> VariantVerdict:
    try:
        label = yaml.safe_load((folder / "variant.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return VariantVerdict(folder.name, "?", f"variant.yaml cannot be read: "
                              f"{' '.join(str(exc).split())}")
    if not isinstance(label, dict):
        return VariantVerdict(folder.name, "?", "variant.yaml must be a mapping")
    expect = label.get("expect")
    try:
        result = grade(exercise, folder, options)
    except GraderError as exc:
        return VariantVerdict(folder.name, str(expect), f"could not be graded: {exc}")
    outcomes = {c.name: c.outcome for c in result.checks}
    if expect == "full":
        problems = _problems(result)
        return VariantVerdict(folder.name, "full", "; ".join(problems) or None)
    if expect != "fail":
        return VariantVerdict(folder.name, str(expect), "variant.yaml: expect must be full or fail")
    named = list(label.get("fails") or [])
    unknown = [n for n in named if n not in outcomes]
    if not named or unknown:
        return VariantVerdict(folder.name, "fail", f"variant.yaml: 'fails' must name checks of "
                              f"the exercise (unknown: {', '.join(unknown) or 'none given'})")
    problems = [f"{n} was {outcomes[n]}, not failed" for n in named if outcomes[n] != "failed"]
    problems += [f"{n} could not be graded" for n, o in outcomes.items() if o == "error"]
    return VariantVerdict(folder.name, "fail", "; ".join(problems) or None)


def check_exercise(path: Path, variants_root: Path, options: Options | None = None
                   ) -> ExerciseVerdict:
    options = options or Options()
    try:
        exercise = load_exercise(path)
    except GraderError as exc:
        return ExerciseVerdict(path.stem, spec_error=str(exc))
    reference_problems: list[str] = []
    for run in range(1, REFERENCE_RUNS + 1):
        result = grade(exercise, exercise.reference, options)
        reference_problems += [f"run {run}: {p}" for p in _problems(result)]
    folders = sorted(f for f in (variants_root / exercise.id).glob("*")
                     if (f / "variant.yaml").is_file())
    variants = tuple(_check_variant(exercise, f, options) for f in folders)
    return ExerciseVerdict(exercise.id, len(exercise.checks), exercise.max_score,
                           reference_problems=tuple(reference_problems), variants=variants)


def check_exercises(paths: list[Path], variants_root: Path, options: Options | None = None,
                    jobs: int = 2) -> list[ExerciseVerdict]:
    """Check several exercises, ``jobs`` at a time (the work is in children)."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: check_exercise(p, variants_root, options), paths))


def render_table(verdicts: list[ExerciseVerdict]) -> str:
    rows = [("exercise", "checks", "points", "reference", "variants as labelled", "sound")]
    for v in verdicts:
        if v.spec_error:
            rows.append((v.exercise, "-", "-", "-", "-", "NO"))
            continue
        reference = "full x2" if not v.reference_problems else "PROBLEM"
        rows.append((v.exercise, str(v.checks), f"{v.points:g}", reference,
                     f"{v.variants_ok}/{len(v.variants)}", "yes" if v.sound else "NO"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    details = []
    for v in verdicts:
        if v.spec_error:
            details.append(f"{v.exercise}: {v.spec_error}")
        details += [f"{v.exercise}: reference {p}" for p in v.reference_problems]
        details += [f"{v.exercise}/{x.name} (expect {x.expect}): {x.problem}"
                    for x in v.variants if x.problem]
    if any("run " in d and "reference" in d for d in details):
        details.append("(a reference that loses points against itself differs between runs: "
                       "mark the varying part with compare.mask, or match it by 'shape')")
    return "\n".join(lines + ([""] + details if details else [])) + "\n"
