"""Grading one submission against one exercise: find the files, start both
apps, play every check, compare, and collect the results.

spec → scenario → run against both apps → compare → result. Reports are
someone else's job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from . import sessions
from .compare import compare_check
from .errors import StoreUnavailable, SubmissionNotFound
from .http import Request, Response, cookie_value
from .messages import protections
from .replay import ReplayedReference, Tape, Tapes
from .results import CheckResult, GradeResult, Msg
from .runner import AppHandle, SessionRead, play
from .sandbox import (ChildApp, Fault, FromLoaded, Launch, Limits, Loaded, LoadError,
                      limits_unavailable)
from .spec import Exercise, under_cwd, with_prefix
from .staging import (MAX_FILES, NOT_COPIED, is_environment, staged_folder_link, staged_link,
                      staged_tree)
from .stores import StoreEntry, Stores

__all__ = ["Options", "Grading", "grade", "locate_submission", "candidates", "not_found",
           "near_misses", "shown_path"]


@dataclass(frozen=True, slots=True)
class Options:
    #: seconds per request; ``None`` takes the spec's
    timeout: float | None = None
    redis_url: str | None = None
    #: grade a running server instead of importing the submission
    live_url: str | None = None
    limits: Limits = field(default_factory=Limits)
    #: the references' recorded answers, shared by the gradings of one batch
    #: (None: every grading runs its own reference)
    tapes: Tapes | None = field(default=None, compare=False)


def locate_submission(exercise: Exercise, path: Path | None) -> tuple[Path, str]:
    """Find the module to grade: (root folder, file relative to it).

    A file is taken as it is; a folder (default: the current one) must hold
    the spec's file, directly or in a package folder such as ``App/``.
    """
    root, found = _located(exercise, path)
    return root, found[0]


def _located(exercise: Exercise, path: Path | None) -> tuple[Path, list[str]]:
    """The root folder, and every candidate in it, the one graded first."""
    wanted = exercise.submission.file
    if path is not None and path.is_file():
        return path.parent, [path.name] + [c for c in candidates(path.parent, wanted)
                                           if c != path.name]
    folder = path if path is not None else Path.cwd()
    if not folder.is_dir():
        raise SubmissionNotFound(f"{folder} does not exist")
    found = candidates(folder, wanted)
    if found:
        return folder, found
    near = near_misses(folder, wanted)
    hint = f"; found {', '.join(near)}, but the file must be named {wanted} exactly and be " \
           f"at the top of the folder, or in a package folder (one with __init__.py) directly " \
           f"inside it" \
        if near else ""
    raise SubmissionNotFound(
        f"no {wanted} in {os.path.relpath(folder)} (nor in a package folder inside it){hint}; "
        f"write your solution in {wanted}, or pass --submission PATH")


def candidates(folder: Path, wanted: str) -> list[str]:
    """Every place in ``folder`` the module may be, the one graded first: at
    the top, then in package folders (with ``__init__.py``) in name order."""
    top = [wanted] if (folder / wanted).is_file() else []
    # scandir, not Path.glob: a batch asks this of every student and exercise,
    # and glob's stat per name was a tenth of the parent's CPU time in one
    real = os.path.realpath(folder)
    try:
        with os.scandir(folder) as entries:
            # no further than a submission may hold: a stat per folder, for each
            # exercise, made 100,000 empty folders a batch's 12 s before grading;
            # a link to a folder counts only where staged_tree copies it
            inside = [entry.path for entry in islice(entries, 2 * MAX_FILES + 1)
                      if (entry.is_dir(follow_symlinks=False)
                          or entry.is_symlink() and staged_folder_link(entry.path, real))
                      and entry.name not in NOT_COPIED and not is_environment(entry.path)]
    except OSError:
        return top
    return top + sorted(f"{os.path.basename(path)}/{wanted}" for path in inside
                        if os.path.isfile(os.path.join(path, wanted))
                        and os.path.isfile(os.path.join(path, "__init__.py")))


def not_found(folder: Path, wanted: str, key: str) -> Msg:
    """Message ``key`` saying ``wanted`` is not in ``folder``, or ``key_near``
    also naming the files there that look meant to be it (see near_misses)."""
    near = near_misses(folder, wanted) if folder.is_dir() else []
    if near:
        return Msg(f"{key}_near", {"file": wanted, "found": ", ".join(near)})
    return Msg(key, {"file": wanted})


def near_misses(folder: Path, wanted: str, limit: int = 3) -> list[str]:
    """Files in ``folder`` (three levels down at most) that look meant to be
    ``wanted``: the same name but for case or '-' for '_' (``Int_Converter.py``,
    ``int-converter.py``), or the right name in a folder that is no package."""
    def plain(name: str) -> str:
        return name.lower().replace("-", "_")

    found = []
    for name in staged_tree(folder, depth=2)[1]:
        relative = Path(name)
        if relative.suffix == ".py" and not any(p.startswith(".") for p in relative.parts) \
                and plain(relative.name) == plain(wanted) and relative.as_posix() != wanted:
            found.append(relative.as_posix())
    return found[:limit]


class EmbeddedApp(FromLoaded):
    """An app in a child process, with the store the grader gave it."""

    can_set_remote_addr = True
    has_probes = True

    def __init__(self, role: str, launch: Launch, timeout: float, stores: Stores,
                 limits: Limits) -> None:
        self.role = role
        self.stores = stores
        self.child = ChildApp(launch, timeout, lambda s, w: stores.store_for(role, s, w), limits)
        self.loaded: Loaded | None = None

    def spawn(self) -> None:
        self.child.spawn()

    def wait_loaded(self) -> Loaded | LoadError:
        result = self.child.wait_loaded()
        if isinstance(result, Loaded):
            self.loaded = result
        return result

    def begin_check(self) -> None:
        """A check starts: a child that died in the last one starts again."""
        if not self.child.alive:
            self.restart()

    def end_check(self, complete: bool) -> None:
        pass

    def submit(self, request: Request) -> Fault | None:
        return self.child.submit(request)

    def collect(self) -> Response | Fault:
        return self.child.collect()

    def restart(self) -> Fault | None:
        self.child.stop()
        result = self.child.start()
        if isinstance(result, LoadError):
            return Fault("crashed", Msg("fault_no_restart", {"error": result.msg}))
        self.loaded = result
        return None

    def store_entry(self, session_id: str, prefix: str) -> StoreEntry:
        return self.stores.lookup(self.role, session_id, prefix)

    def session(self, cookie: str | None) -> SessionRead:
        """The session a request carrying ``cookie`` would open, read by the
        parent from the cookie or the store: never by asking the app."""
        info = self.loaded.session if self.loaded else {}
        if not info.get("server_side"):
            read = sessions.from_cookie_header(cookie, self.session_cookie)
        else:
            session_id = cookie_value(cookie, self.session_cookie)
            read = {} if session_id is None else self._stored_session(session_id, info)
        return SessionRead(error=read) if isinstance(read, Msg) else SessionRead(read)

    def _stored_session(self, session_id: str, info: dict[str, Any]) -> dict[str, Any] | Msg:
        entry = self.stores.lookup(self.role, session_id, self.key_prefix or "")
        key = entry.key or entry.other_key
        if key is None:  # no entry: the app's session starts empty
            return {} if self.stores.has_store(self.role) \
                else Msg("session_store_unknown", {"type": info.get("type") or "?"})
        stored = self.stores.stored(self.role, key)
        return sessions.from_stored(*stored) if stored else Msg("session_stored_not_readable")

    def close(self) -> None:
        self.child.close()


def _launch(exercise: Exercise, root: Path, file: str, prefix: str | None) -> Launch:
    spec = exercise.submission
    return Launch(root=root, file=file, blueprint=spec.blueprint, factory=spec.factory,
                  configure=spec.configure, app_config=exercise.app.config, url_prefix=prefix,
                  session=exercise.app.session, probes=exercise.app.probes)


def url_prefix(exercise: Exercise) -> str | None:
    """The spec's prefix; 'random' is new every run, so nobody can hard-code it."""
    if exercise.app.url_prefix == "random":
        import secrets

        return f"/{secrets.choice('abcdefghjkmnpqrstuvwxyz')}{secrets.token_hex(3)}"
    return exercise.app.url_prefix


def shown_path(path: Path) -> str:
    """``path`` relative to the current folder, on one line: a student's
    folder may be named with a newline and a forged heading after it, which
    a report would print as lines of its own."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in os.path.relpath(path))


def _reference_not_loaded(exercise: Exercise, error: LoadError) -> Msg:
    """Why the reference did not load, and where: the author's to fix."""
    if not error.file:
        return Msg("reference_not_loaded", {"message": error.msg})
    where = str(under_cwd(Path(exercise.reference, error.file))) \
        + (f":{error.line}" if error.line else "")
    return Msg("reference_not_loaded_at", {"message": error.msg, "where": where})


def _all(exercise: Exercise, error: Msg) -> tuple[CheckResult, ...]:
    return tuple(CheckResult(c.name, c.points, "error", c.hint, c.title, error=error)
                 for c in exercise.checks)


def _prefix(exercise: Exercise, options: Options) -> tuple[str | None, Tape | None,
                                                             tuple[Msg, ...]]:
    """The URL prefix both apps are mounted under, the tape that fixes it (in a
    batch), and what the report must say about it."""
    if options.live_url and exercise.app.url_prefix == "random":
        # a running server cannot know a prefix made up now: grade both at the root
        return None, None, (Msg("live_no_random_prefix"),)
    if options.tapes is not None and not options.live_url:
        # the recorded reference answered under the prefix it was recorded with
        tape = options.tapes.tape_for(exercise.id, lambda: url_prefix(exercise))
        return tape.prefix, tape, ()
    return url_prefix(exercise), None, ()


class Grading:
    """One grading under way. Making it starts both children, so that they
    load while the caller does something else (a batch worker finishes its
    previous grading meanwhile); :meth:`result` plays every check, compares,
    and closes the children."""

    def __init__(self, exercise: Exercise, submission: Path | None = None,
                 options: Options | None = None) -> None:
        options = options or Options()
        self.exercise = exercise
        timeout = options.timeout or exercise.app.timeout
        self.shown = options.live_url or ""
        self.live = bool(options.live_url)
        others: list[str] = []
        named: tuple[Msg, ...] = ()
        if not options.live_url:
            root, (file, *others) = _located(exercise, submission)
            self.shown = shown_path(root / file)
            if Path(file).name != exercise.submission.file:  # a file given by its path
                named = (Msg("other_file_name", {"given": Path(file).name,
                                                 "wanted": exercise.submission.file}),)
            if not staged_link(str(root / file), os.path.realpath(root)):
                # its child is not given it: "No module named ..." would say nothing of why
                named += (Msg("linked_outside", {"file": file}),)
        unavailable = [] if options.live_url else limits_unavailable()
        self.warnings = named + ((Msg("limits_missing", {"limits": protections(unavailable)}),)
                                 if unavailable else ())
        if others:  # a stub at the top, say, and the real work in App/: say which counts
            self.warnings += (Msg("other_candidates", {"graded": file,
                                                       "others": ", ".join(others)}),)
        self.stores = stores = Stores(options.redis_url)
        self.prefix, tape, said = _prefix(exercise, options)
        self.warnings += said
        prefix = self.prefix

        def live_reference() -> EmbeddedApp:
            return EmbeddedApp("reference", _launch(exercise, exercise.reference,
                                                    exercise.submission.file, prefix),
                               timeout, stores, options.limits)

        self.reference = live_reference() if tape is None \
            else ReplayedReference(tape, live_reference)
        self.apps: list = [self.reference]
        try:
            if options.live_url:
                from .live import LiveApp

                self.student: AppHandle = LiveApp(options.live_url, timeout)
            else:
                self.student = EmbeddedApp("submission", _launch(exercise, root, file, prefix),
                                           timeout, stores, options.limits)
                self.apps.append(self.student)
            for app in self.apps:  # start both children before waiting for either
                app.spawn()
        except BaseException:
            self.close()
            raise

    def result(self) -> GradeResult:
        """Grade: every student mistake ends up in the result."""
        try:
            return self._play()
        finally:
            self.close()

    def close(self) -> None:
        for app in self.apps:
            app.close()
        self.stores.close()

    def _play(self) -> GradeResult:
        exercise, shown, warnings = self.exercise, self.shown, self.warnings
        reference, student = self.reference, self.student
        try:
            loads = [app.wait_loaded() for app in self.apps]
        except StoreUnavailable as exc:
            return GradeResult(exercise.id, exercise.title, shown,
                               _all(exercise, Msg("redis_needed", {"message": str(exc)})),
                               warnings=warnings)
        # the student's code ran (or began to) however it ended: say how it was confined
        missing = isinstance(student, EmbeddedApp) and student.child.confinement.get("missing")
        if missing:
            warnings += (Msg("confinement_missing", {"what": protections(missing)}),)
        if isinstance(loads[0], LoadError):
            error = _reference_not_loaded(exercise, loads[0])
            return GradeResult(exercise.id, exercise.title, shown, _all(exercise, error),
                               warnings=warnings)
        if len(loads) > 1 and isinstance(loads[1], LoadError):
            failed = tuple(CheckResult(c.name, c.points, "failed", c.hint, c.title)
                           for c in exercise.checks)
            return GradeResult(exercise.id, exercise.title, shown, failed,
                               load_error=loads[1], warnings=warnings)
        results = []
        for check in exercise.checks:
            for app in self.apps:
                app.begin_check()
            transcript = play(with_prefix(check, self.prefix or ""), reference, student)
            reference.end_check(transcript.complete)
            results.append(compare_check(transcript, student.routes))
        if self.live and _server_errors(results):
            warnings += (Msg("live_server_error"),)
        return GradeResult(exercise.id, exercise.title, shown, tuple(results), warnings=warnings)


def _server_errors(results: list[CheckResult]) -> bool:
    """Whether a failed step's answer was a 500: a running server keeps its
    traceback on its own console, where the report must send the student."""
    return any(isinstance(step.submission, Response) and step.submission.status == 500
               for check in results for step in check.steps)


def grade(exercise: Exercise, submission: Path | None = None,
          options: Options | None = None) -> GradeResult:
    """Grade one submission; every student mistake ends up in the result."""
    return Grading(exercise, submission, options).result()
