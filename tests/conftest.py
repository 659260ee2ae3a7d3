"""Shared fixtures: the repository's folders and a helper to grade a folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages print paths relative to the current folder: make it the repo."""
    monkeypatch.chdir(ROOT)


def redis_url() -> str | None:
    return os.environ.get("GRADER_TEST_REDIS_URL")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME; --update-golden rewrites it."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        if update:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.is_file(), f"no golden file {path.name}: run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8"), \
            f"{path.name} differs; if the change is intended, run pytest --update-golden"

    return check
