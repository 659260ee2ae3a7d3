"""Every malformed spec in ``tests/data/specs/invalid/`` run through the real
``grade`` command: exit code 2, exactly one line on stderr naming ``file:line``
(or ``file:`` where no line applies), nothing on stdout, and no traceback.

``test_spec.py`` checks the loader's messages; this checks what a user sees.
Each spec is run from a copy laid out as the loader expects (``invalid/`` beside
``reference/``), so every file meets its own defect rather than a missing
reference folder; where ``test_spec.INVALID_CASES`` knows the file, the line
must be exactly its message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import DATA, ROOT

INVALID = DATA / "specs" / "invalid"
SPECS = sorted(p.name for p in INVALID.iterdir() if p.is_file())
#: "grade: FILE:LINE: message" or "grade: FILE: message"
LINE = re.compile(r"grade: (?P<file>[^:\n]+\.yaml)(?::(?P<line>[1-9][0-9]*))?: (?P<message>.+)")

try:  # the loader's own table of expected messages, when it is there
    from test_spec import INVALID_CASES
except ImportError:  # pragma: no cover
    INVALID_CASES = []
KNOWN = {name: (line, message) for name, line, message in INVALID_CASES}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory,
         ) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Run the CLI on every spec, four at a time (each run is a fresh Python)."""
    layout = tmp_path_factory.mktemp("specs")
    shutil.copytree(INVALID, layout / "invalid")
    shutil.copytree(DATA / "reference", layout / "reference")

    def run(name: str) -> tuple[Path, subprocess.CompletedProcess]:
        spec = layout / "invalid" / name
        done = subprocess.run(
            [sys.executable, "-m", "grader", str(spec), "--submission",
             str(ROOT / "reference" / "int-converter")],
            cwd=ROOT, capture_output=True, timeout=120)
        return spec, done

    with ThreadPoolExecutor(4) as pool:
        return dict(zip(SPECS, pool.map(run, SPECS)))


def test_the_folder_is_not_empty() -> None:
    assert len(SPECS) >= 7


@pytest.mark.parametrize("name", SPECS)
def test_a_malformed_spec_gives_one_line_and_exit_code_2(name: str, runs) -> None:
    spec, done = runs[name]
    stderr = done.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in stderr, stderr
    assert done.returncode == 2, stderr
    assert done.stdout == b""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    match = LINE.fullmatch(lines[0])
    assert match, f"not 'grade: FILE:LINE: message': {lines[0]!r}"
    assert os.path.samefile(ROOT / match["file"], spec)
    if name in KNOWN:
        line, message = KNOWN[name]
        message = message.replace("{refs}", os.path.relpath(spec.parent.parent / "reference",
                                                            ROOT))
        assert (int(match["line"] or 0), match["message"]) == (line, message)
