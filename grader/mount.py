"""Builds a Flask app around one submission's blueprint, as the spec says.

Runs only inside a child process: it imports untrusted code.
"""

from __future__ import annotations

import errno
import importlib
import importlib.util
import keyword
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

__all__ = ["LoadFailure", "Mounted", "mount", "student_traceback"]


class LoadFailure(Exception):
    """The submission could not be loaded. ``kind`` and ``params`` name a
    message of :mod:`grader.messages` (``load_<kind>``), so the parent can
    say it in the student's language."""

    def __init__(self, kind: str, params: dict[str, Any] | None = None, file: str | None = None,
                 line: int | None = None, trace: str | None = None) -> None:
        super().__init__(kind)
        self.kind, self.params, self.file, self.line, self.trace = kind, params or {}, file, line, trace

    def to_wire(self) -> dict[str, Any]:
        return {"event": "load_error", "kind": self.kind, "params": self.params,
                "file": self.file, "line": self.line, "traceback": self.trace}


@dataclass(slots=True)
class Mounted:
    app: Flask
    module_name: str


def _module_name(root: Path, file: Path) -> tuple[str, Path, Path]:
    """``App/views.py`` inside a package → (``App.views``, sys.path entry, app root)."""
    parts = [] if file.stem == "__init__" else [file.stem]
    folder = file.parent
    while (folder / "__init__.py").is_file() and folder != root.parent:
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts:
        parts = [file.parent.name]
    app_root = folder / parts[0] if (folder / parts[0]).is_dir() else file.parent
    return ".".join(parts), folder, app_root


def student_traceback(exc: BaseException, root: Path) -> tuple[str, str | None, int | None]:
    """The frames of ``exc`` that lie in the student's files, formatted like
    Python does, plus the last such frame's file and line."""
    root_text = str(root.resolve())
    # "<frozen importlib._bootstrap>" is no file: resolved against the current
    # folder (the submission's) it would pass for one of the student's
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if os.path.isabs(f.filename)
              and str(Path(f.filename).resolve()).startswith(root_text)]
    if isinstance(exc, SyntaxError) and exc.filename:
        where = (exc.filename, exc.lineno)
    else:
        where = (frames[-1].filename, frames[-1].lineno) if frames else (None, None)
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(exc), exc)
    text = "".join(lines).replace(root_text + "/", "").replace(root_text + "\\", "")
    file = str(Path(where[0]).resolve()).replace(root_text, "").lstrip("/\\") if where[0] else None
    return text.rstrip(), file, where[1]


def _import(root: Path, file: Path, own_name: str | None = None) -> tuple[Any, Any, Path]:
    name, path_entry, app_root = _module_name(root, file)
    sys.path.insert(0, str(path_entry))
    try:
        name = _as_package(root, name, own_name)
        module = importlib.import_module(name)
    except SystemExit as exc:
        raise LoadFailure("exit", {"code": repr(exc.code)}, file.name) from None
    except SyntaxError as exc:
        text, where, line = student_traceback(exc, root)
        raise LoadFailure("syntax", {"error": exc.msg}, where, line, text) from None
    except ModuleNotFoundError as exc:
        text, where, line = student_traceback(exc, root)
        raise LoadFailure("import", {"name": exc.name or "?"}, where, line, text) from None
    except BaseException as exc:  # noqa: BLE001 - anything the student's module raises
        text, where, line = student_traceback(exc, root)
        # past the file size limit, a write (print, too: it goes to a log) fails with EFBIG
        kind = "too_large" if isinstance(exc, OSError) and exc.errno == errno.EFBIG \
            else "exception"
        raise LoadFailure(kind, {"error": f"{type(exc).__name__}: {exc}"},
                          where, line, text) from None
    package = sys.modules.get(name.partition(".")[0]) if "." in name else None
    return module, package, app_root


def _as_package(root: Path, name: str, own_name: str | None) -> str:
    """``name`` with the submission's folder imported under ``own_name``,
    when that is not the name the folder has here: graded from inside
    ``App/``, the notes' ``App/__init__.py`` says ``from App.views import
    blue``, while the sandbox holds the folder as ``app``."""
    first, dot, rest = name.partition(".")
    # a library's name not imported yet is the student's to take, as when their
    # app runs from its own folder (which comes first on sys.path); one already
    # imported here is not, as there
    if not own_name or own_name == first or first != root.name or not own_name.isidentifier() \
            or keyword.iskeyword(own_name) or own_name in sys.modules:
        return name
    spec = importlib.util.spec_from_file_location(own_name, root / "__init__.py",
                                                  submodule_search_locations=[str(root)])
    if spec is None or spec.loader is None:
        return name
    module = importlib.util.module_from_spec(spec)
    sys.modules[own_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(own_name, None)
        raise
    return own_name + dot + rest


def _hook(module: Any, package: Any, name: str | None) -> Any:
    if not name:
        return None
    for place in (module, package):
        if place is not None and callable(getattr(place, name, None)):
            return getattr(place, name)
    raise LoadFailure("no_hook", {"name": name, "module": module.__name__})


def _call(hook: Any, root: Path, *args: Any) -> Any:
    try:
        return hook(*args)
    except SystemExit as exc:
        raise LoadFailure("exit", {"code": repr(exc.code)}) from None
    except BaseException as exc:  # noqa: BLE001
        text, where, line = student_traceback(exc, root)
        raise LoadFailure("hook_raised", {"name": hook.__name__,
                                          "error": f"{type(exc).__name__}: {exc}"},
                          where, line, text) from None


def mount(config: dict[str, Any]) -> Mounted:
    """Import the submission and build its app; raises :class:`LoadFailure`."""
    root = Path(config["root"])
    file = root / config["file"]
    module, package, app_root = _import(root, file, config.get("package"))
    blueprint = getattr(module, config["blueprint"], None)
    shown = config["file"]
    if blueprint is None:
        found = [n for n, v in vars(module).items() if isinstance(v, Blueprint)]
        kind = "blueprint_elsewhere" if found else "no_blueprint"
        raise LoadFailure(kind, {"file": shown, "name": config["blueprint"],
                                 "found": found[0] if found else ""}, shown)
    if not isinstance(blueprint, Blueprint):
        raise LoadFailure("not_blueprint", {"file": shown, "name": config["blueprint"],
                                            "type": type(blueprint).__name__}, shown)
    factory = _hook(module, package, config.get("factory"))
    configure = _hook(module, package, config.get("configure"))
    prefix = config.get("url_prefix")
    if factory:
        app = _call(factory, root)
        if not isinstance(app, Flask):
            raise LoadFailure("bad_factory", {"name": factory.__name__,
                                              "type": type(app).__name__}, shown)
        for key, value in config["app_config"]:
            if app.config.get(key) is None:
                app.config[key] = value
    else:
        app = Flask(module.__name__.partition(".")[0], root_path=str(app_root))
        app.config.update(dict(config["app_config"]))
    if configure:
        _call(configure, root, app)
    if blueprint.name not in app.blueprints:
        try:
            app.register_blueprint(blueprint, url_prefix=prefix)
        except Exception as exc:  # noqa: BLE001 - e.g. a name clash in the student's app
            text, where, line = student_traceback(exc, root)
            raise LoadFailure("register_failed", {"error": str(exc)}, where, line, text) from None
    if config.get("probes"):
        from .probes import add_probes

        add_probes(app, blueprint.name, prefix)
    if config.get("session") == "server":
        _server_side_sessions(app)
    # Errors must become 500 responses we can report, never escape the test client.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.testing = False
    return Mounted(app=app, module_name=module.__name__)


def _server_side_sessions(app: Flask) -> None:
    """The exercise (not the student) asks for Flask-Session: set it up unless
    the student's code already did. The real store is attached later."""
    if type(app.session_interface).__module__.startswith("flask_session"):
        return
    from cachelib import NullCache
    from flask_session import Session

    app.config.setdefault("SESSION_TYPE", "cachelib")
    if app.config["SESSION_TYPE"] == "cachelib":
        app.config.setdefault("SESSION_CACHELIB", NullCache())  # replaced by attach_store
    Session(app)


def routes(app: Flask) -> list[dict[str, Any]]:
    """The app's URL rules, for "did you mean this route?" feedback."""
    return [{"rule": r.rule, "methods": sorted((r.methods or set()) - {"HEAD", "OPTIONS"}),
             "endpoint": r.endpoint}
            for r in app.url_map.iter_rules() if r.endpoint != "static"]


def session_info(app: Flask) -> dict[str, Any]:
    interface = app.session_interface
    server_side = type(interface).__module__.startswith("flask_session")
    return {"server_side": server_side,
            "type": str(app.config.get("SESSION_TYPE") or "") if server_side else "",
            "key_prefix": getattr(interface, "key_prefix", None),
            "cookie_name": app.config.get("SESSION_COOKIE_NAME", "session")}


def attach_store(app: Flask, store: dict[str, Any]) -> None:
    """Point the app's Flask-Session at the store the grader made for it.

    Only the storage client is swapped: the prefix, signer and lifetime stay
    as the student configured them, mistakes included (re-running
    ``Session(app)`` would quietly fix a prefix set after ``Session(app)``).
    """
    interface = app.session_interface
    if store["type"] == "redis":
        import redis

        interface.client = redis.Redis.from_url(store["url"])
    else:
        from cachelib import FileSystemCache

        interface.cache = FileSystemCache(store["dir"])
