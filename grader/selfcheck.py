"""``grade check-exercises``: proves an exercise is sound before a student
sees it. The spec loads; the reference earns full marks graded against
itself, twice (two independent processes each time, so anything compared
that differs between runs shows up as nondeterminism the spec must handle
with a mask or a shape); it has at least two correct variants and three
wrong ones; every correct variant earns full marks and every wrong variant
loses points on the checks its ``variant.yaml`` names.
"""

from __future__ import annotations

import difflib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import GraderError
from .grading import Options, grade
from .results import GradeResult
from .spec import Exercise, load_exercise, under_cwd

__all__ = ["VariantVerdict", "ExerciseVerdict", "check_exercise", "check_exercises"]

REFERENCE_RUNS = 2
#: what every exercise carries: correct solutions in other styles, realistic wrong ones
LEAST_VARIANTS = {"full": 2, "fail": 3}
LABEL_KEYS = ("expect", "fails", "why")


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
    #: some reference problem is a difference from itself (not a failed expectation)
    reference_varies: bool = False
    variants: tuple[VariantVerdict, ...] = ()
    #: what the spec does that works but serves students less well
    notes: tuple[str, ...] = ()

    @property
    def variants_ok(self) -> int:
        return sum(v.problem is None for v in self.variants)

    @property
    def too_few_variants(self) -> str | None:
        counts = {kind: sum(v.expect == kind for v in self.variants) for kind in LEAST_VARIANTS}
        if all(counts[kind] >= least for kind, least in LEAST_VARIANTS.items()):
            return None
        return (f"needs at least {LEAST_VARIANTS['full']} correct variants (expect: full) and "
                f"{LEAST_VARIANTS['fail']} wrong ones (expect: fail) in variants/{self.exercise}/; "
                f"has {counts['full']} and {counts['fail']}")

    @property
    def sound(self) -> bool:
        return (self.spec_error is None and not self.reference_problems
                and self.variants_ok == len(self.variants) and self.too_few_variants is None)


def _problems(result: GradeResult) -> list[str]:
    from .messages import render
    from .report.common import describe_finding

    problems = []
    if result.load_error is not None:
        problems.append(f"did not load: {render(result.load_error.msg, 'en')}")
    errors = {render(c.error, "en") for c in result.checks if c.outcome == "error"}
    if len(errors) == 1 and all(c.outcome == "error" for c in result.checks):
        return problems + [f"every check: {errors.pop()}"]  # one cause, said once
    for check in result.checks:
        if check.outcome == "error":
            said = render(check.error, "en")
            problems.append(f"{check.name}: "
                            f"{said if said.startswith('not graded') else 'not graded: ' + said}")
        for step in check.steps:
            problems += [f"{check.name}: step {step.index + 1}: {describe_finding(f, 'en')}"
                         for f in step.findings]
    return problems


def _differs_from_itself(result: GradeResult) -> bool:
    return any(f.from_reference for c in result.checks for s in c.steps for f in s.findings)


def _read_label(folder: Path, checks: list[str]) -> dict[str, Any] | str:
    """The variant's label, or what is wrong with it (naming the file)."""
    where = under_cwd(folder / "variant.yaml")
    try:
        label = yaml.safe_load(where.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return f"{where} cannot be read: {' '.join(str(exc).split())}"
    if not isinstance(label, dict):
        return f"{where} must be a mapping (expect, fails, why)"
    for key in label:
        if key not in LABEL_KEYS:
            return f"{where}: unknown key {key!r}{_did_you_mean(str(key), LABEL_KEYS)}; " \
                   f"allowed: {', '.join(LABEL_KEYS)}"
    if label.get("expect") not in ("full", "fail"):
        return f"{where}: 'expect' must be full or fail (got {label.get('expect')!r})"
    fails = label.get("fails")
    if label["expect"] == "full":
        return f"{where}: 'fails' is for expect: fail" if fails is not None else label
    if not isinstance(fails, list) or not fails or not all(isinstance(n, str) for n in fails):
        return f"{where}: 'fails' must be a list of the checks it fails, such as " \
               f"[{checks[0] if checks else 'check-name'}] (got {fails!r})"
    for name in fails:
        if name not in checks:
            return f"{where}: 'fails' names no check of the exercise: {name!r}" \
                   f"{_did_you_mean(name, checks)}"
    return label


def _did_you_mean(name: str, choices: Any) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_variant(exercise: Exercise, folder: Path, options: Options) -> VariantVerdict:
    label = _read_label(folder, [c.name for c in exercise.checks])
    if isinstance(label, str):
        return VariantVerdict(folder.name, "?", label)
    expect = label["expect"]
    try:
        result = grade(exercise, folder, options)
    except GraderError as exc:
        return VariantVerdict(folder.name, expect, f"could not be graded: {exc}")
    if expect == "full":
        problems = _problems(result)
        return VariantVerdict(folder.name, "full", "; ".join(problems) or None)
    outcomes = {c.name: c.outcome for c in result.checks}
    problems = [f"{n} was {outcomes[n]}, not failed" for n in label["fails"]
                if outcomes[n] != "failed"]
    problems += [f"{n} could not be graded" for n, o in outcomes.items() if o == "error"]
    return VariantVerdict(folder.name, "fail", "; ".join(problems) or None)


def _notes(exercise: Exercise) -> tuple[str, ...]:
    """Regexes students would see as patterns: a check's words serve them better."""
    from .spec import ExpectBody, ExpectHeader, ExpectLocation, RequestStep

    notes = []
    for check in exercise.checks:
        for index, step in enumerate(check.steps):
            if not isinstance(step, RequestStep):
                continue
            for expectation in step.expect:
                if isinstance(expectation, (ExpectBody, ExpectHeader, ExpectLocation)) \
                        and expectation.match.regex is not None and expectation.match.says is None:
                    notes.append(f"{check.name}: step {index + 1}: a regex without 'says': "
                                 f"students will see the pattern itself; say it in words "
                                 f"with says: {{zh: ..., en: ...}}")
    return tuple(notes)


def check_exercise(path: Path, variants_root: Path, options: Options | None = None
                   ) -> ExerciseVerdict:
    options = options or Options()
    try:
        exercise = load_exercise(path)
    except GraderError as exc:
        return ExerciseVerdict(path.stem, spec_error=str(exc))
    reference_problems: list[str] = []
    varies = False
    for run in range(1, REFERENCE_RUNS + 1):
        result = grade(exercise, exercise.reference, options)
        reference_problems += [f"run {run}: {p}" for p in _problems(result)]
        varies = varies or _differs_from_itself(result)
    folders = sorted(f for f in (variants_root / exercise.id).glob("*")
                     if (f / "variant.yaml").is_file())
    variants = tuple(_check_variant(exercise, f, options) for f in folders)
    return ExerciseVerdict(exercise.id, len(exercise.checks), exercise.max_score,
                           reference_problems=tuple(reference_problems), reference_varies=varies,
                           variants=variants, notes=_notes(exercise))


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
        if not v.spec_error and v.too_few_variants:
            details.append(f"{v.exercise}: {v.too_few_variants}")
        details += [f"{v.exercise}: note: {n}" for n in v.notes]
    if any(v.reference_varies for v in verdicts):
        details.append("(a reference that differs from itself differs between runs: "
                       "mark the varying part with compare.mask, or match it by 'shape')")
    return "\n".join(lines + ([""] + details if details else [])) + "\n"
