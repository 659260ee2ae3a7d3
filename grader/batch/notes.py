"""The few sentences ``grade batch`` adds for students, in both languages.

They belong in :mod:`grader.messages` one day; until then :func:`say` renders
these keys and hands every other one to :func:`grader.messages.render`.
"""

from __future__ import annotations

from ..classroom import NOTE_NOT_GRADED, NOTE_NOT_SUBMITTED
from ..messages import render
from ..results import Msg

__all__ = ["NOTES", "say"]

NOTES: dict[str, dict[str, str]] = {
    NOTE_NOT_SUBMITTED: {
        "en": "Not submitted: there is no {file} in your folder (nor in a package folder "
              "inside it).",
        "zh": "未提交：你的文件夹里没有 {file}（包文件夹里也没有）。"},
    NOTE_NOT_GRADED: {
        "en": "Not graded: the grader failed on this submission through no fault of yours; "
              "your instructor will look into it.",
        "zh": "无法评分：评分器在处理这份提交时出了问题，这不是你的错；老师会处理。"},
}


def say(message: Msg | None, lang: str) -> str:
    if message is None:
        return ""
    entry = NOTES.get(message.key)
    if entry is None:
        return render(message, lang)
    params = _Params({k: render(v, lang) for k, v in message.params.items()})
    return entry["zh" if lang == "zh" else "en"].format_map(params)


class _Params(dict):
    """A missing parameter reads as '?': a note must never crash a report."""

    def __missing__(self, key: str) -> str:
        return "?"
