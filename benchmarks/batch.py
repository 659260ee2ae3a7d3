"""How long does ``grade batch`` take for a class, next to what instructors do
today and next to the floor?

It generates a class of N students (default 20) in a temporary folder: every
student hands in every exercise of exercises/ that has variants, each in a
package folder of its own (so templates never clash), picked from the
reference and the variants so the class is a mix of right and wrong. Then,
on the same machine, with the same parallelism, each in a fresh process
working in the class's folder, and all but pytest in interleaved rounds (the
speed of a shared machine drifts within minutes):

- **batch**: ``grade batch`` as instructors run it (every submission in a
  confined child of its own, the reference recorded once per exercise and
  replayed, every output written), with an empty cache;
- **pytest per student**: one ``pytest`` process per student per exercise,
  running a Flask test-client suite generated mechanically from the spec
  (the same requests in order, a client keeping cookies per check, asserting
  the reference's status codes), as a hand-written suite would;
- **floor**: the same requests through Flask's test client in one process
  with no isolation: import each submission, mount it, send;
- **fork floor**: the floor's work with a process forked for each submission
  (as many at once as jobs) from a parent that imported and rehearsed what
  the grader's zygote does, and nothing more: what a process per submission
  costs by itself, which principle 1 makes the least isolation can cost;
- **fork per student**: the same with one process per student running all of
  that student's exercises in turn: the floor of a design the grader does
  not use (a student's exercises would share a process, so one could spoil
  another), printed so that what a process per submission costs is seen.

It prints the times, the ratios (targets: batch at least 5x faster than
pytest per student, and within 2x of the floor), the CPU time of all the
processes of each approach (steadier than the wall time on a shared machine)
and the peak RSS of the largest one, each the median of the rounds. It is a
benchmark: it asserts nothing.

    python benchmarks/batch.py [--students 20] [--jobs N] [--rounds 3] [--keep DIR]

Exercises whose variants keep sessions in Redis leave those variants out
(the in-process floor has no Redis to offer them).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PREFIX = "/p7q2"  # stands for a random url_prefix, for the approaches without one


# -- the class --------------------------------------------------------------------------

def _package(exercise_id: str) -> str:
    return "ex_" + exercise_id.replace("-", "_")


def _candidates(exercise: Any) -> list[Path]:
    """The reference and every variant in a single folder (not the App/ layout, which
    would clash between exercises), except those that need Redis."""
    folders = [exercise.reference]
    for folder in sorted((ROOT / "variants" / exercise.id).iterdir()):
        module = folder / exercise.submission.file
        if module.is_file() and "redis" not in module.read_text(encoding="utf-8"):
            folders.append(folder)
    return folders


def make_class(target: Path, exercises: list[Any], students: int, seed: int = 7) -> None:
    chooser = random.Random(seed)
    for n in range(students):
        for exercise in exercises:
            source = chooser.choice(_candidates(exercise))
            package = target / f"student{n:03d}" / _package(exercise.id)
            shutil.copytree(source, package, ignore=shutil.ignore_patterns(
                "variant.yaml", "__pycache__"))
            (package / "__init__.py").touch()


# -- the requests, as data ----------------------------------------------------------------

def scripts(exercise: Any) -> list[dict[str, Any]]:
    """Every check as the requests it sends, in order (restarts are left out: in one
    process there is nothing to restart)."""
    from grader.spec import RequestStep, with_prefix

    prefix = PREFIX if exercise.app.url_prefix == "random" else (exercise.app.url_prefix or "")
    checks = []
    for check in exercise.checks:
        steps = [{"method": s.method, "path": s.path, "query": list(map(list, s.query)),
                  "form": list(map(list, s.form)), "headers": list(map(list, s.headers)),
                  "cookies": list(map(list, s.cookies)), "host": s.host,
                  "remote_addr": s.remote_addr, "follow_redirects": s.follow_redirects,
                  "json": s.json}
                 for s in with_prefix(check, prefix).steps if isinstance(s, RequestStep)]
        checks.append({"name": check.name, "steps": steps})
    return checks


def mount_config(exercise: Any) -> dict[str, Any]:
    spec = exercise.submission
    prefix = PREFIX if exercise.app.url_prefix == "random" else exercise.app.url_prefix
    return {"package": _package(exercise.id), "module": Path(spec.file).stem,
            "blueprint": spec.blueprint, "factory": spec.factory, "configure": spec.configure,
            "app_config": dict(exercise.app.config), "prefix": prefix,
            "server_session": exercise.app.session == "server"}


# -- in one process: what the floor and every generated test suite do --------------------

def mount_app(root: Path, config: dict[str, Any], store: Path) -> Any:
    """Import a submission's module and build its app, as a hand-written suite would."""
    from flask import Flask

    sys.path.insert(0, str(root))
    module = importlib.import_module(f"{config['package']}.{config['module']}")
    if config["factory"]:
        app = getattr(module, config["factory"])()
    else:
        app = Flask(config["package"], root_path=str(root / config["package"]))
        app.config.update(config["app_config"])
    if config["configure"]:
        getattr(module, config["configure"])(app)
    blueprint = getattr(module, config["blueprint"])
    if blueprint.name not in app.blueprints:
        app.register_blueprint(blueprint, url_prefix=config["prefix"])
    if config["server_session"] and not _flask_session(app):
        from flask_session import Session

        app.config.setdefault("SESSION_TYPE", "cachelib")
        Session(app)
    if _flask_session(app) and hasattr(app.session_interface, "cache"):
        from cachelib import FileSystemCache  # a private store, as the grader gives

        app.session_interface.cache = FileSystemCache(str(store))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True  # a view's traceback is not worth printing here
    return app


def _flask_session(app: Any) -> bool:
    return type(app.session_interface).__module__.startswith("flask_session")


def unload(root: Path, package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    if str(root) in sys.path:
        sys.path.remove(str(root))


def send(client: Any, step: dict[str, Any]) -> Any:
    for name, value in step["cookies"]:
        client.set_cookie(name, value)
    body = step["json"].encode() if step.get("json") is not None \
        else dict(step["form"]) if step["form"] else None
    return client.open(step["path"], method=step["method"], query_string=step["query"] or None,
                       data=body, content_type="application/json" if step.get("json") else None,
                       headers=step["headers"], base_url=f"http://{step['host']}/",
                       environ_base={"REMOTE_ADDR": step["remote_addr"]},
                       follow_redirects=step["follow_redirects"])


def play(app: Any, checks: list[dict[str, Any]]) -> list[list[int]]:
    """Status codes per check and step; a fresh client (cookie jar) per check."""
    statuses = []
    for check in checks:
        client = app.test_client()
        statuses.append([send(client, step).status_code for step in check["steps"]])
    return statuses


def floor(class_dir: Path, plan: dict[str, Any], store: Path) -> int:
    """Every student's every exercise in this one process; returns the requests sent."""
    return sum(play_all(student, plan["exercises"], store / student.name)
               for student in sorted(p for p in class_dir.iterdir() if p.is_dir()))


def play_all(student: Path, items: list[dict[str, Any]], store: Path) -> int:
    """One student's exercises of the plan, one after another, each unloaded
    after; returns the requests sent."""
    sent = 0
    for item in items:
        config = item["config"]
        try:
            app = mount_app(student, config, store)
            sent += sum(map(len, play(app, item["checks"])))
        except Exception:  # noqa: BLE001 - a broken submission costs its import only
            pass
        finally:
            unload(student, config["package"])
    return sent


# -- the suites instructors write ----------------------------------------------------------

SUITE_HEAD = '''\
"""Generated from exercises/{id}.yaml: the spec's requests in order, a test per
check with a client that keeps cookies, asserting the reference's status codes."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, {bench!r})
from batch import mount_app  # noqa: E402

CONFIG = {config!r}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return mount_app(Path(os.environ["SUBMISSION"]), CONFIG, tmp_path_factory.mktemp("store"))
'''


def suite(exercise: Any, checks: list[dict[str, Any]], expected: list[list[int]]) -> str:
    lines = [SUITE_HEAD.format(id=exercise.id, bench=str(HERE),
                               config=mount_config(exercise))]
    for check, statuses in zip(checks, expected):
        name = check["name"].replace("-", "_")
        lines += ["", "", f"def test_{name}(app):", "    client = app.test_client()"]
        for step, status in zip(check["steps"], statuses):
            for cookie in step["cookies"]:
                lines.append(f"    client.set_cookie({cookie[0]!r}, {cookie[1]!r})")
            form = f"data={dict(step['form'])!r}, " if step["form"] else ""
            lines.append(
                f"    response = client.open({step['path']!r}, method={step['method']!r}, "
                f"query_string={step['query']!r} or None, {form}headers={step['headers']!r}, "
                f"base_url={'http://' + step['host'] + '/'!r}, "
                f"environ_base={{'REMOTE_ADDR': {step['remote_addr']!r}}}, "
                f"follow_redirects={step['follow_redirects']!r})")
            lines.append(f"    assert response.status_code == {status}")
    return "\n".join(lines) + "\n"


def build(work: Path, students: int) -> dict[str, Any]:
    """The class, the suites, and the plan (requests and mount config per exercise)."""
    from grader.spec import list_exercises, load_exercise

    exercises = [x for x in map(load_exercise, list_exercises())
                 if (ROOT / "variants" / x.id).is_dir()]
    make_class(work / "class", exercises, students)
    references = work / "references"
    plan: dict[str, Any] = {"exercises": []}
    for exercise in exercises:
        package = references / _package(exercise.id)
        shutil.copytree(exercise.reference, package,
                        ignore=shutil.ignore_patterns("__pycache__"))
        (package / "__init__.py").touch()
        config, checks = mount_config(exercise), scripts(exercise)
        app = mount_app(references, config, work / "store" / "reference")
        expected = play(app, checks)
        unload(references, config["package"])
        (work / "suites").mkdir(exist_ok=True)
        (work / "suites" / f"test_{config['package']}.py").write_text(
            suite(exercise, checks, expected), encoding="utf-8")
        plan["exercises"].append({"id": exercise.id, "config": config, "checks": checks})
    (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    return plan


# -- measuring ------------------------------------------------------------------------------

def _run_batch(work: Path, jobs: int) -> None:
    grade = shutil.which("grade") or str(Path(sys.executable).parent / "grade")
    done = subprocess.run([grade, "batch", str(work / "class"), "--out", str(work / "out"),
                           "--jobs", str(jobs), "--regrade"], cwd=work,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 4):
        sys.exit(f"grade batch failed ({done.returncode}): {done.stderr[-2000:]}")


def _run_pytest(work: Path, jobs: int) -> None:
    suites = sorted((work / "suites").glob("test_*.py"))
    students = sorted(p for p in (work / "class").iterdir() if p.is_dir())

    def one(job: tuple[Path, Path]) -> int:
        student, suite_file = job
        env = dict(os.environ, SUBMISSION=str(student))
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "--basetemp", str(work / "pytest-tmp" / f"{student.name}-"
                                                 f"{suite_file.stem}"),
                               str(suite_file)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        codes = list(pool.map(one, [(s, f) for s in students for f in suites]))
    if any(code not in (0, 1) for code in codes):
        sys.exit(f"some pytest runs did not run their tests: exit codes {sorted(set(codes))}")


def _run_floor(work: Path, jobs: int) -> None:
    plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
    floor(work / "class", plan, work / "store" / "floor")


def _run_fork_floor(work: Path, jobs: int) -> None:
    """The floor's work, each submission in a process forked for it (``jobs`` at
    once) from a parent as warm as the grader's zygote, and nothing else: no
    confinement, no reference, no comparing. What a process per submission
    costs by itself, before any of the grader's work."""
    _fork_floor(work, jobs, per_student=False)


def _run_fork_floor_per_student(work: Path, jobs: int) -> None:
    """The same with a process per student, which runs all of the student's
    exercises one after another: what the grader could cost if a student's
    exercises shared a process (they do not: one could then spoil another's)."""
    _fork_floor(work, jobs, per_student=True)


def _fork_floor(work: Path, jobs: int, per_student: bool) -> None:
    import gc

    from grader.processes import _preload
    from grader.rehearsal import rehearse

    _preload()  # what the zygote imports, and its rehearsal: children start as warm as ours
    rehearse(tempfile.gettempdir())
    plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
    gc.freeze()
    students = sorted(p for p in (work / "class").iterdir() if p.is_dir())
    items = plan["exercises"]
    units = [(s, items) for s in students] if per_student else \
        [(s, [item]) for s in students for item in items]
    running = 0
    for student, unit in units:
        if running == jobs:
            os.wait()
            running -= 1
        if os.fork() == 0:
            try:  # whatever a submission raises or prints, this process only ends
                sys.stdout = sys.stderr = open(os.devnull, "w")
                play_all(student, unit, work / "store" / "fork-floor" / student.name)
            finally:
                os._exit(0)
        running += 1
    while running:
        os.wait()
        running -= 1


APPROACHES = {"batch": _run_batch, "pytest": _run_pytest, "floor": _run_floor,
              "fork-floor": _run_fork_floor, "fork-per-student": _run_fork_floor_per_student}


#: measured in interleaved rounds: a shared machine's speed drifts by 10-20%
#: within minutes, which one run after another would read as a difference
ROUNDS_OF = ("batch", "floor", "fork-floor", "fork-per-student")


def measure_all(work: Path, jobs: int, rounds: int) -> dict[str, dict[str, float]]:
    """Every approach: pytest once (it takes minutes, and its ratio is large),
    the others ``rounds`` times in turn, each figure their median."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in ROUNDS_OF}
    for _ in range(max(1, rounds)):
        for name in ROUNDS_OF:
            runs[name].append(measure(name, work, jobs))
    results = {name: {key: statistics.median(run[key] for run in runs[name])
                      for key in runs[name][0]} for name in ROUNDS_OF}
    results["pytest"] = measure("pytest", work, jobs)
    return results


def measure(approach: str, work: Path, jobs: int) -> dict[str, float]:
    """Run one approach in a fresh process; its wall time and the peak RSS of its
    largest process (itself for the floor, else its largest descendant)."""
    started = time.perf_counter()
    # in the class's folder: what a submission writes to its working folder stays there
    done = subprocess.run([sys.executable, str(HERE / "batch.py"), "--measure", approach,
                           "--work", str(work), "--jobs", str(jobs)],
                          capture_output=True, text=True, cwd=work)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{approach} failed: {done.stderr[-3000:]}")
    return {"seconds": seconds, **json.loads(done.stdout.strip().splitlines()[-1])}


def _measured(approach: str, work: Path, jobs: int) -> None:
    APPROACHES[approach](work, jobs)
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    # CPU of every process of the approach (children that were waited for): on a
    # shared machine it varies less than the wall time does
    cpu = sum(u.ru_utime + u.ru_stime for u in (own, children))
    print(json.dumps({"self_mb": own.ru_maxrss * scale / 2**20,
                      "children_mb": children.ru_maxrss * scale / 2**20, "cpu": cpu}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="build the class here and keep it")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved runs of each approach but pytest (medians shown)")
    parser.add_argument("--measure", choices=sorted(APPROACHES), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return _measured(args.measure, args.work, args.jobs)
    work = (args.keep or Path(tempfile.mkdtemp(prefix="grade-batch-bench-"))).resolve()
    try:
        plan = build(work, args.students)
        exercises = len(plan["exercises"])
        submissions = args.students * exercises
        requests = sum(len(s["steps"]) for x in plan["exercises"] for s in x["checks"])
        print(f"class: {args.students} students x {exercises} exercises = {submissions} "
              f"submissions ({requests} requests each student); jobs: {args.jobs}; "
              f"cores: {os.cpu_count()}")
        _compile_grader()
        measure("floor", work, args.jobs)  # warm the file cache
        results = measure_all(work, args.jobs, args.rounds)
        _report(results, submissions, args.jobs, args.rounds)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _compile_grader() -> None:
    """Compile the grader's modules, as pip does when it installs them and a
    user's first run does in a checkout. Where bytecode may not be written
    (PYTHONDONTWRITEBYTECODE, as on our CI machines), every process of a
    batch would otherwise compile them anew, which no user's run does (about
    0.08 s of CPU per batch here, the parent's imports mostly)."""
    import compileall

    import grader

    compileall.compile_dir(str(Path(grader.__file__).parent), quiet=1)


def _report(results: dict[str, dict[str, float]], submissions: int, jobs: int,
            rounds: int) -> None:
    labels = {"batch": "grade batch (isolated, cold cache)",
              "pytest": f"pytest per student per exercise (-j {jobs})",
              "floor": "floor: test client, one process",
              "fork-floor": f"floor, a fork per submission ({jobs} at once)",  # warm parent
              "fork-per-student": f"floor, a fork per student ({jobs} at once)"}
    print(f"{'approach':<44} {'wall':>8} {'per submission':>15} {'CPU':>8} {'peak RSS':>10}")
    for name in ("batch", "pytest", "floor", "fork-floor", "fork-per-student"):
        result = results[name]
        peak = result["self_mb"] if "floor" in name else result["children_mb"]
        print(f"{labels[name]:<44} {result['seconds']:7.1f}s "
              f"{result['seconds'] / submissions * 1000:12.0f} ms {result['cpu']:7.1f}s "
              f"{peak:8.0f} MB")
    batch, pytest_, floor_ = (results[n]["seconds"] for n in ("batch", "pytest", "floor"))
    print(f"pytest per student / batch : {pytest_ / batch:5.1f}x   (target >= 5x)")
    print(f"batch / floor              : {batch / floor_:5.1f}x   (target <= 2x; the floor runs "
          f"in one process, without isolation or a reference)")
    print(f"batch / (floor / {jobs} jobs)   : {batch / (floor_ / jobs):5.1f}x   "
          f"(the floor if it could use every job)")
    forked = results["fork-floor"]["seconds"]
    print(f"fork floor / floor         : {forked / floor_:5.1f}x   (a process per submission "
          f"alone, with {jobs} jobs: the least isolation costs)")
    print(f"batch / fork floor         : {batch / forked:5.1f}x   (confinement, the grader's "
          f"protocol, comparing, scoring and every output)")
    shared = results["fork-per-student"]["seconds"]
    print(f"fork per student / floor   : {shared / floor_:5.1f}x   (were a student's exercises "
          f"to share a process: what a process per submission costs is the difference)")
    print(f"medians of {rounds} interleaved runs (pytest: one run)")
    print("CPU: user and system time of all the approach's processes, on all cores")
    print("peak RSS: of the largest process (batch: its parent or any child; pytest: the "
          "largest pytest; floors: the parent process)")


if __name__ == "__main__":
    main()
