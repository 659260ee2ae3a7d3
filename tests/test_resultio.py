"""A GradeResult survives the trip to JSON and back unchanged: the cache of
``grade batch`` and its results.json rely on it."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from grader.grading import grade
from grader.http import Request, Response
from grader.resultio import dumps, from_data, loads, to_data
from grader.results import CheckResult, Finding, GradeResult, Msg, StepReport
from grader.sandbox import Fault, LoadError
from grader.spec import Text, find_exercise

HINT = Text(zh="提示", en="a hint")


def _synthetic() -> GradeResult:
    """Every kind of value the model holds, including the awkward ones."""
    request = Request("POST", "/login/", query=(("a", "1"), ("a", "2")), form=(("name", "小明"),),
                      headers=(("Cookie", "name=x"),), host="example.test", remote_addr="10.0.0.7")
    finding = Finding(Msg("finding", {"what": Msg("status"), "expected": "302 Found",
                                      "actual": Msg("none")}),
                      expected=Msg("one_of", {"items": "302 Found / 303 See Other"}),
                      actual="301 Moved Permanently", from_reference=False,
                      diff="--- reference\n+++ yours\n-a\n+b", notes=(Msg("view_raised"),))
    steps = (
        StepReport(0, Text(zh="登录", en="log in"), request,
                   Response(302, (("Location", "/x/"), ("Set-Cookie", "a=1"),
                                  ("Set-Cookie", "b=2")), "好".encode()),
                   Response(500, (), b"\xff\xfe\x00binary", truncated=True,
                            traceback="Traceback ...\nKeyError: 'name'"), (finding,)),
        StepReport(1, None, Request("RESTART", ""), None, Fault("timeout", "no response", "log"),
                   ()),
    )
    checks = (CheckResult("a", 2.5, "failed", HINT, Text(zh="甲", en="A"), steps),
              CheckResult("b", 1, "passed", HINT),
              CheckResult("c", 0.5, "error", HINT, error=Msg("reference_fault",
                                                              {"message": "boom", "log": ""})))
    return GradeResult("demo", Text(zh="演示", en="Demo"), "alice/demo.py", checks,
                       warnings=(Msg("limits_missing", {"limits": "memory"}),))


def test_every_kind_of_value_round_trips():
    result = _synthetic()
    assert loads(dumps(result)) == result
    back = loads(dumps(result))
    assert back.checks[0].points == 2.5 and back.checks[1].points == 1
    assert isinstance(back.checks[1].points, int)  # an int stays an int
    assert back.checks[0].steps[0].submission.body == b"\xff\xfe\x00binary"


def test_a_dict_holding_the_encodings_own_keys_round_trips():
    # a message's parameters may come from a student's data: a key "$type" in it
    # came back as a type of the model, "$utf8" as bytes
    for odd in ({"$type": "GradeResult", "x": 1}, {"$utf8": "a"}, {"$list": [1]},
                {"$dict": {"$type": 1}}, {"plain": {"$base64": "AA=="}}):
        result = GradeResult("demo", HINT, "x.py", (CheckResult("a", 1, "failed", HINT,
                                                                error=Msg("e", {"p": odd})),))
        assert loads(dumps(result)) == result


def test_a_load_error_round_trips():
    result = GradeResult("demo", HINT, "x.py", (CheckResult("a", 1, "failed", HINT),),
                         load_error=LoadError("syntax", {"error": "expected ':'"}, "x.py", 7,
                                              "  File x.py\nSyntaxError"))
    assert loads(dumps(result)) == result


@pytest.mark.parametrize("exercise, folder", [
    ("cookie-login", "examples/cookie-login"),                   # a finding with both answers
    ("int-converter", "variants/int-converter/missing-parameter"),  # the student's traceback
    ("int-converter", "reference/int-converter"),                # full marks
])
def test_real_results_round_trip(exercise, folder):
    result = grade(find_exercise(exercise), ROOT / folder)
    assert loads(dumps(result)) == result


def test_text_bodies_are_stored_readably():
    data = to_data(_synthetic())
    text = json.dumps(data, ensure_ascii=False)
    assert '"$utf8": "好"' in text and "$base64" in text
    assert data["checks"][0]["$type"] == "CheckResult"


def test_fields_of_another_grader_version_are_ignored():
    data = to_data(_synthetic())
    data["checks"][1]["added_later"] = 1
    assert from_data(data) == _synthetic()


@pytest.mark.parametrize("text", [
    "not json",
    json.dumps({"format": 999, "result": None}),             # another format
    json.dumps({"format": 1, "result": {"$type": "os.system"}}),  # not a model class
    json.dumps({"format": 1, "result": {"$type": "Msg"}}),   # not a GradeResult
    json.dumps({"format": 1, "result": {"$type": "GradeResult", "exercise": "x"}}),  # incomplete
    json.dumps({"format": 1}),
])
def test_data_it_did_not_write_is_a_value_error(text):
    with pytest.raises(ValueError):
        loads(text)


def test_a_value_outside_the_model_is_refused():
    with pytest.raises(TypeError):
        to_data(Msg("status", {"what": object()}))
