"""Results on disk, one file per content key (see :mod:`grader.batch.keys`).

Each result is written the moment it is graded, atomically, so a run that is
interrupted (Ctrl-C, ``kill -9``) loses nothing already graded and the next
run resumes. A file that cannot be read back is a miss, never an error.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..resultio import loads
from ..results import GradeResult
from .atomic import read_regular, remove_temporaries, write_atomic

__all__ = ["ResultCache", "MAX_ENTRY_BYTES"]

#: a result is some kilobytes: one of more than this is damage, and a miss
MAX_ENTRY_BYTES = 64 << 20


class ResultCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def clean(self) -> None:
        remove_temporaries(self.folder)

    def get(self, key: str, submission: str) -> GradeResult | None:
        """The stored result, shown as ``submission`` (identical files of two
        students share one key; the result is the same but the path is theirs)."""
        try:
            result = loads(read_regular(self._path(key), MAX_ENTRY_BYTES))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        return replace(result, submission=submission)

    def put(self, key: str, text: str) -> None:
        """Store a result as :func:`grader.resultio.dumps` wrote it."""
        # not durable: after a power cut an entry may be lost or unreadable,
        # which is a miss; a killed run loses nothing either way
        write_atomic(self._path(key), text, durable=False)

    def __len__(self) -> int:
        return sum(1 for _ in self.folder.glob("*.json")) if self.folder.is_dir() else 0
