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
