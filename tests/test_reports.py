"""Reports render one result model: the student's text report (golden files,
both languages), Gradescope's results.json, and every message in both
languages."""

from __future__ import annotations

import json
import os
import re
import string

import pytest

from conftest import ROOT
from grader.grading import grade
from grader.child import SPAWNED_MISSING
from grader.confine import NAMESPACES
from grader.messages import CATALOG, language_from_env, protections, render
from grader.report.gradescope import to_gradescope
from grader.report.text import render_text
from grader.results import Msg
from grader.spec import find_exercise
from grader.spec_format import BODY_NORMALISERS

EXAMPLE = ROOT / "examples" / "cookie-login"


@pytest.fixture(scope="module")
def example_result():
    return grade(find_exercise("cookie-login"), EXAMPLE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_report_matches_golden(example_result, golden, lang):
    golden(f"cookie-login-example.{lang}.txt", render_text(example_result, lang))


def test_text_report_says_what_was_sent_expected_and_received(example_result):
    text = render_text(example_result, "en")
    failed = text[text.index("✗ login-redirects-302"):]
    assert "POST /logincookie/  form: name=Tom" in failed
    assert "expected 302 Found, got 301 Moved Permanently" in failed
    assert "reference answered: 302 Found" in failed and "yours answered: 301" in failed
    assert "hint: " in failed
    assert "Total: 9 / 10" in text


def test_gradescope_results(example_result):
    document = to_gradescope(example_result, "en")
    json.dumps(document)  # serialisable
    assert (document["score"], document["max_score"]) == (9, 10)
    assert all(set(t) == {"name", "score", "max_score", "status", "output"}
               for t in document["tests"])
    failed = [t for t in document["tests"] if t["status"] == "failed"]
    assert [t["name"].split(" — ")[0] for t in failed] == ["login-redirects-302"]
    assert "301 Moved Permanently" in failed[0]["output"]
    assert sum(t["score"] for t in document["tests"]) == document["score"]


def test_every_message_exists_in_both_languages_with_the_same_fields():
    fields = string.Formatter()
    for key, texts in CATALOG.items():
        assert set(texts) == {"en", "zh"}, key
        names = [{f for _, f, _, _ in fields.parse(texts[lang]) if f} for lang in ("en", "zh")]
        assert names[0] == names[1], key


def test_messages_used_in_the_code_are_in_the_catalogue():
    used = set()
    for path in (ROOT / "grader").rglob("*.py"):
        used |= set(re.findall(r'Msg\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert used - set(CATALOG) == set()


def test_a_message_with_missing_or_hostile_parameters_still_renders():
    # load errors come from the (untrusted) child
    assert "?" in render(Msg("load_syntax", {}), "en")
    assert render(Msg("load_syntax", {"error": "{0.__class__}"}), "en").endswith("{0.__class__}")


def test_every_way_of_reading_a_body_has_words_in_both_languages():
    # the "body" finding names how the body was read: the spec's normaliser,
    # or 'contains' for a comparison with the reference
    for how in BODY_NORMALISERS + ("contains",):
        assert f"body_{how}" in CATALOG, how


def test_missing_protections_are_named_in_the_students_language(monkeypatch):
    monkeypatch.setenv("GRADER_START", "spawn")  # a spawned child goes without namespaces
    result = grade(find_exercise("cookie-login"), EXAMPLE)
    said = {lang: next(line for line in render_text(result, lang).splitlines()
                       if marker in line)
            for lang, marker in (("en", "ran without"), ("zh", "缺少这些防护"))}
    # as root, a forked child would also have run as a user of its own, in a memory cgroup
    more = (", an unprivileged user, total memory cap", "、以无特权用户运行、内存总量上限") \
        if os.geteuid() == 0 else ("", "")
    assert "ran without: network isolation, process namespace, private filesystem, " \
           f"process cap{more[0]} (" in said["en"]
    assert f"缺少这些防护：网络隔离、进程命名空间、私有文件系统、进程数上限{more[1]}（" in said["zh"]


def test_every_protection_the_grader_names_has_words_in_both_languages():
    named = [name for _, name in NAMESPACES] + list(SPAWNED_MISSING) + [
        "disk quota", "confinement (turned off)", "CPU time", "memory", "file size",
        "unprivileged user", "total memory cap"]
    for name, said in zip(named, protections(named)):
        assert isinstance(said, Msg), name
        assert render(said, "en").removeprefix("an ") == name
        assert not re.search("[a-z]", render(said, "zh").replace("CPU", "")), name
    # a name the grader has no words for (from a newer child, say) is shown as it is
    assert render(protections(["seccomp filter", "memory"]), "zh") == "seccomp filter、内存"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"),
     ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh")],
)
def test_language_from_environment(environ, lang):
    assert language_from_env(environ) == lang


def test_blank_edges_and_empty_values_are_shown_in_quotes():
    # "got you are using:" hid the space that made the difference
    from grader.http import Request
    from grader.report.common import describe_finding, describe_request
    from grader.results import Finding, Msg

    said = describe_finding(Finding(Msg("body", {"how": "text"}), "x", "you are using: "), "en")
    assert said.endswith("got “you are using: ”")
    request = Request("POST", "/b/", form=(("title", "   "),), headers=(("User-Agent", ""),))
    assert describe_request(request, "en") == "POST /b/  form: title=“   ”  User-Agent: “”"
    assert describe_finding(Finding(Msg("status"), "200 OK", "404 Not Found"), "en") == \
        "status code: expected 200 OK, got 404 Not Found"


def test_a_json_answer_shows_its_text_as_text():
    # jsonify writes 小明 as \u5c0f\u660e, which a student cannot read
    from grader.http import Response
    from grader.report.common import describe_answer

    answer = Response(200, (("Content-Type", "application/json"),),
                      b'{"name":"\\u5c0f\\u660e","n":1.5}\n')
    assert describe_answer(answer, "zh")[-1] == '{"name":"小明","n":1.5}'
    broken = Response(200, (("Content-Type", "application/json"),), b'{"name":"\\u5c0f')
    assert describe_answer(broken, "en")[-1] == '{"name":"\\u5c0f'  # as it came


def test_the_probe_views_exception_is_the_graders_not_the_students():
    # app.probes: the view the grader adds raises to reach the student's 500
    # handler; its exception is no traceback of the student's ("your traceback"
    # showed it, in English, in a Chinese report)
    result = grade(find_exercise("abort-errors"), ROOT / "variants" / "abort-errors" /
                   "500-handler-200")
    text = render_text(result, "zh")
    probe = text[text.index("/_grader/raise/"):]
    probe = probe[:probe.index("提示")]
    assert "评分程序自己的视图故意抛出了一个异常，好交给你的 500 处理函数；回答它的是 200 OK" in probe
    assert "traceback" not in probe and "GraderProbeError" not in text


@pytest.mark.parametrize("name", [
    "www.evil-phish.example/int_converter.py",  # GitHub makes a link of it
    "a@evil.example", "_x_/int_converter.py", "~~graded~~", "javascript:alert(1)",
    "\u202eyp.retrevnoc_tni",  # shown reversed: "int_converter.py"
])
def test_names_in_markdown_feedback_are_code_not_markup(name):
    from grader.classroom import Entry, ExerciseInfo
    from grader.report.markdown import render_feedback
    from grader.results import CheckResult, GradeResult
    from grader.spec import Text

    hint = Text(zh="提示", en="hint")
    result = GradeResult("x", hint, "x.py", (CheckResult("c", 1, "passed", hint),),
                         warnings=(Msg("other_candidates", {"graded": "x.py", "others": name}),))
    entry = Entry("ann", "x", "graded", result)
    text = render_feedback(entry, ExerciseInfo("x", hint, 1, "x.py", ()), "en")
    shown = name.replace("\u202e", "\\u202e")
    assert f"`{shown}`" in text and "\u202e" not in text
    plain = Msg("limits_missing", {"limits": "memory, CPU time"})
    entry = Entry("ann", "x", "graded", GradeResult("x", hint, "x.py", (), warnings=(plain,)))
    assert "memory, CPU time" in render_feedback(entry, ExerciseInfo("x", hint, 1, "x.py", ()),
                                                 "en")  # plain words stay as they are


@pytest.mark.parametrize(("name", "shown"), [
    ("x\nno grade changed", "x\\x0ano grade changed"),
    ("ali\u200bce", "ali\\u200bce"),  # passed for alice
    ("\ufeffbob", "\\ufeffbob"),
    ("a\tb", "a\\x09b"),  # threw the table's columns off
    ("\u202eecila", "\\u202eecila"),
    ("张三 O'Neil", "张三 O'Neil"),
])
def test_a_name_printed_by_the_batch_stays_on_its_line_and_in_its_column(name, shown):
    from grader.report.text import one_line

    assert one_line(name) == shown
