"""The ``grade`` command: argument parsing and exit codes only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import GraderError

__all__ = ["main", "cli"]


class _ExerciseGroup(click.Group):
    """``grade ID ...`` grades; ``grade list|show|schema`` are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["exercise", *args]
        return super().parse_args(ctx, args)


def _lang(value: str | None) -> str:
    from .messages import language_from_env

    return value or language_from_env()


def _seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A request's timeout: more than 0 and at most an hour (not nan, not inf)."""
    if value is not None and not 0 < value <= 3600:  # nan fails every comparison
        raise click.BadParameter(f"must be more than 0 and at most 3600 seconds (got {value:g})",
                                 ctx, param)
    return value


#: the option of every command that grades
_timeout = click.option("--timeout", type=float, callback=_seconds,
                        help="Seconds a request may take (default: the spec's).")


@click.group(cls=_ExerciseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flask-grader")
def cli() -> None:
    """Grade a Flask exercise: grade ID [--submission PATH].

    \b
    grade ID        grade your solution of exercise ID (see 'grade ID --help')
    grade list      the exercises
    grade show ID   the statement of exercise ID
    grade schema    the JSON Schema of the exercise format
    """


@cli.command("exercise", hidden=True)
@click.argument("exercise_id", metavar="EXERCISE")
@click.option("--submission", "-s", type=click.Path(path_type=Path),
              help="Your file or folder (default: the spec's file in the current folder).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Report language (default: $LANG).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: Gradescope results.json.")
@click.option("--url", help="Grade a running app at this URL instead of importing your code.")
@click.option("--redis-url", envvar="GRADER_REDIS_URL",
              help="Redis for SESSION_TYPE='redis' (default: start a private redis-server).")
@_timeout
def exercise_command(exercise_id: str, submission: Path | None, lang: str | None, fmt: str,
                     url: str | None, redis_url: str | None, timeout: float | None) -> None:
    """Grade your solution of EXERCISE."""
    from .grading import Options, grade
    from .spec import find_exercise

    language = _lang(lang)
    exercise = find_exercise(exercise_id)
    result = grade(exercise, submission,
                   Options(timeout=timeout, redis_url=redis_url, live_url=url))
    if fmt == "json":
        from .report.gradescope import render_gradescope

        click.echo(render_gradescope(result, language), nl=False)
    else:
        from .report.text import render_text

        click.echo(render_text(result, language), nl=False)
    sys.exit(result.exit_code)


@cli.command("list")
@click.option("--lang", type=click.Choice(["zh", "en"]))
def list_command(lang: str | None) -> None:
    """List the exercises: id and title."""
    from .spec import list_exercises, load_exercise

    language = _lang(lang)
    for path in list_exercises():
        exercise = load_exercise(path)
        click.echo(f"{exercise.id:<20} {exercise.title.get(language)}")


@cli.command("show")
@click.argument("exercise_id", metavar="EXERCISE")
@click.option("--lang", type=click.Choice(["zh", "en"]))
def show_command(exercise_id: str, lang: str | None) -> None:
    """Print the statement of EXERCISE."""
    from .messages import render
    from .results import Msg
    from .spec import find_exercise

    language = _lang(lang)
    exercise = find_exercise(exercise_id)
    title = exercise.title.get(language)
    click.echo(f"{title}\n{'=' * len(title.encode('gbk', 'replace'))}\n")
    click.echo(exercise.statement.get(language).rstrip())
    click.echo("\n" + render(Msg("show_footer", {"checks": len(exercise.checks),
                                                  "points": f"{exercise.max_score:g}"}), language))


@cli.command("check-exercises")
@click.argument("exercise_ids", nargs=-1, metavar="[EXERCISE]...")
@click.option("--jobs", "-j", type=int, default=2, show_default=True,
              help="Exercises checked at the same time.")
def check_exercises_command(exercise_ids: tuple[str, ...], jobs: int) -> None:
    """Prove exercises sound: spec, reference (twice) and every variant."""
    from .selfcheck import check_exercises, render_table
    from .errors import ExerciseNotFound
    from .spec import exercises_dir, list_exercises

    known = {p.stem: p for p in list_exercises()}
    missing = [i for i in exercise_ids if i not in known]
    if missing:
        raise ExerciseNotFound(missing[0], known)
    paths = [known[i] for i in exercise_ids] or list(known.values())
    verdicts = check_exercises(paths, exercises_dir().parent / "variants", jobs=jobs)
    click.echo(render_table(verdicts), nl=False)
    sys.exit(0 if all(v.sound for v in verdicts) else 1)


@cli.command("ci")
@click.argument("exercise_ids", nargs=-1, metavar="[EXERCISE]...")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=".", show_default=True, help="The repository checkout to grade.")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False),
              help="Write JUnit XML here (a testsuite per exercise).")
@click.option("--summary", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the Markdown summary here (it is also appended to "
                   "$GITHUB_STEP_SUMMARY when that is set).")
@click.option("--annotations/--no-annotations", default=None,
              help="Print GitHub Actions annotations (default: when GITHUB_ACTIONS=true).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Report language (default: $LANG).")
@click.option("--redis-url", envvar="GRADER_REDIS_URL",
              help="Redis for SESSION_TYPE='redis' (default: start a private redis-server).")
@_timeout
@click.option("--jobs", "-j", type=int, default=2, show_default=True,
              help="Exercises graded at the same time.")
def ci_command(exercise_ids: tuple[str, ...], root: Path, junit: Path | None,
               summary: Path | None, annotations: bool | None, lang: str | None,
               redis_url: str | None, timeout: float | None, jobs: int) -> None:
    """Grade every exercise whose file is in the checkout (or those named) for CI:
    exit 0 all full marks, 1 points lost, 3 a submission did not load, 4 not graded."""
    from .ci.command import CiSettings, run_ci
    from .grading import Options

    settings = CiSettings(root=root, lang=_lang(lang), ids=exercise_ids, junit=junit,
                          summary=summary, annotations=annotations,
                          options=Options(timeout=timeout, redis_url=redis_url), jobs=jobs)
    sys.exit(run_ci(settings, lambda text: click.echo(text, nl=False)))


@cli.command("batch")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--exercise", "-e", "exercise_ids", multiple=True, metavar="ID",
              help="Grade this exercise (repeatable; default: every exercise some student "
                   "has a file for).")
@click.option("--out", "-o", type=click.Path(path_type=Path, file_okay=False),
              default="grade-results", show_default=True, help="Where the outputs go.")
@click.option("--jobs", "-j", type=int, help="Submissions graded at the same time "
                                               "(default: the number of cores).")
@click.option("--regrade", is_flag=True,
              help="Grade everything again, ignoring the cache (after a spec fix), and say "
                   "whose grades changed.")
@click.option("--lang", type=click.Choice(["zh", "en"]),
              help="Language of the feedback and reports (default: $LANG).")
@click.option("--redis-url", envvar="GRADER_REDIS_URL",
              help="Redis for SESSION_TYPE='redis' (default: start a private redis-server).")
@_timeout
def batch_command(folder: Path, exercise_ids: tuple[str, ...], out: Path, jobs: int | None,
                  regrade: bool, lang: str | None, redis_url: str | None,
                  timeout: float | None) -> None:
    """Grade a class: FOLDER holds one subfolder per student. Exit 0 when every
    submission was graded (whatever the scores), 2 bad usage, 4 some could not be."""
    import os

    from .batch.command import BatchSettings, batch
    from .grading import Options

    settings = BatchSettings(folder=folder, out=out, exercise_ids=exercise_ids,
                             jobs=(os.cpu_count() or 1) if jobs is None else jobs,
                             regrade=regrade, lang=_lang(lang),
                             options=Options(timeout=timeout, redis_url=redis_url))
    from .report.text import printable

    # student folder names are in it: shown, not sent (ESC[2K would erase lines)
    sys.exit(batch(settings, lambda text: click.echo(printable(text))))


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the exercise format."""
    from .spec_format import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def main(argv: list[str] | None = None) -> None:
    _tolerant_output()
    try:
        cli.main(args=argv, prog_name="grade", standalone_mode=False)
    except GraderError as exc:
        click.echo(f"grade: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)


def _tolerant_output() -> None:
    """A file name that is not UTF-8 (a zip from another system) must not
    end a run where the terminal's encoding is strict, as a desktop's is."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
