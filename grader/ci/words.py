"""The sentences the CI reports add to :mod:`grader.messages`, in both
languages (a test checks both have every key). Kept here so ``grade ci``
does not have to touch the shared catalogue."""

from __future__ import annotations

from typing import Any

__all__ = ["WORDS", "say"]

WORDS: dict[str, dict[str, str]] = {
    "heading": {"en": "Grading results", "zh": "评分结果"},
    "col_exercise": {"en": "exercise", "zh": "练习"},
    "col_score": {"en": "score", "zh": "得分"},
    "col_checks": {"en": "checks passed", "zh": "通过的检查"},
    "total": {"en": "Total", "zh": "总分"},
    "cell_not_loaded": {"en": "not loaded", "zh": "无法加载"},
    "cell_missing": {"en": "file missing", "zh": "缺少文件"},
    "failed_heading": {"en": "What to fix", "zh": "需要修正的地方"},
    "not_graded_heading": {"en": "Not graded", "zh": "无法评分"},
    "not_graded_note": {"en": "These checks could not be graded. This is not your fault: "
                              "tell your instructor.",
                        "zh": "这些检查无法评分。这不是你的问题，请告诉老师。"},
    "all_full": {"en": "Every check passed.", "zh": "所有检查都通过了。"},
    "truncated": {"en": "{count} more failed checks are not shown here: see the job log or "
                        "the JUnit report.",
                  "zh": "还有 {count} 项未通过的检查没有显示在这里：请查看任务日志或 JUnit 报告。"},
    "check_failed": {"en": "{exercise} › {check}: {title}", "zh": "{exercise} › {check}：{title}"},
    "not_loaded_title": {"en": "{exercise}: your submission could not be loaded",
                         "zh": "{exercise}：你的提交无法加载"},
    "missing_title": {"en": "{exercise}: no submission", "zh": "{exercise}：没有提交"},
    "not_graded_title": {"en": "{exercise} › {check}: not graded",
                         "zh": "{exercise} › {check}：无法评分"},
    "none_present": {"en": "no exercise's file in {root} (nor in a package folder inside it); "
                           "expected one of: {files}",
                     "zh": "{root} 中（及其中的包文件夹中）没有任何练习的文件；"
                           "应当是其中之一：{files}"},
    "log_total": {"en": "grade ci: {count} exercises, {score} / {max} points, exit code {code}",
                  "zh": "grade ci：{count} 个练习，{score} / {max} 分，退出码 {code}"},
}


def say(key: str, lang: str, **params: Any) -> str:
    """The sentence ``key`` in ``lang`` ('zh' or 'en') with ``params`` filled in."""
    return WORDS[key]["zh" if lang == "zh" else "en"].format(**params)
