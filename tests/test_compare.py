"""The comparison is pure: transcripts in, verdicts out. These cases build
transcripts by hand, so they need no processes."""

from __future__ import annotations

import pytest

from grader.compare import body_diff, compare_check, route_hints
from grader.http import CookieJar, Request, Response, parse_set_cookie
from grader.normalize import html_text, normalize
from grader.results import Msg
from grader.runner import Exchange, SessionRead, StepRun, Transcript
from grader.spec import (Check, Compare, ExpectBody, ExpectCookie, ExpectLocation, ExpectSession,
                         ExpectStatus, NumMatch, RequestStep, StrMatch, Text, with_prefix)

HINT = Text("提示", "hint")


def _run(step: RequestStep, reference: Response, submission: Response, index: int = 0,
         ) -> StepRun:
    request = Request(step.method, step.path)
    return StepRun(index, step, Exchange(request, (reference,)), Exchange(request, (submission,)))


def _check(*runs: StepRun) -> Check:
    return Check("c", 1, HINT, tuple(r.step for r in runs))


def _verdict(*runs: StepRun):
    return compare_check(Transcript(_check(*runs), runs))


@pytest.mark.parametrize(
    ("path", "rules", "key"),
    [
        # the notes' own slip: a capital R
        ("/testroute3/5/", ["/testRoute3/<int:money>/"], "route_case"),
        # the trailing slash matters
        ("/welcomecookie/", ["/welcomecookie"], "route_slash"),
        ("/testroute3/5/", ["/testrout3/<int:money>/"], "route_close"),
        # the path fits the route: the converter refused it, or the view said 404
        ("/user/1/", ["/user/<uid>/"], "route_fits"),
        ("/testroute3/abc/", ["/testroute3/<int:money>/"], "route_fits"),
        ("/login/", ["/a/", "/b/"], "routes_listed"),
        # routes written on an app object leave the blueprint empty
        ("/index/", [], "routes_none"),
    ],
)
def test_route_hints(path, rules, key):
    hints = route_hints(path, tuple({"rule": r} for r in rules))
    assert [h.key for h in hints] == [key]


def test_werkzeug_quoted_cookie_values_are_read_back():
    event = parse_set_cookie(r'name="\345\260\217\346\230\216"; Path=/')
    assert event.value == "小明" and not event.deleted


@pytest.mark.parametrize(
    ("header", "lifetime"),
    [
        ("a=1; Max-Age=3600; Path=/", 3600),
        # an invalid Max-Age is ignored (RFC 6265 5.2.2): Expires decides
        ("a=1; Max-Age=604800.0; Expires=Thu, 01 Jan 2099 00:00:00 GMT", None),
        ("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/", 0),
        ("a=1; Path=/", None),
    ],
)
def test_cookie_lifetimes(header, lifetime):
    event = parse_set_cookie(header, now=0)
    if header.startswith("a=1; Max-Age=604800.0"):
        assert event.lifetime == pytest.approx(4070908800)
    else:
        assert event.lifetime == lifetime
    assert event.deleted == (lifetime == 0)


def test_the_jar_sends_only_live_cookies_for_the_path():
    jar = CookieJar()
    jar.update(Response(200, (("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/x")),))
    assert jar.header_for("/") == "a=1"
    assert jar.header_for("/x/y") == "b=2; a=1"  # the longer path first
    jar.update(Response(200, (("Set-Cookie", "a=; Max-Age=0; Path=/"),)))
    assert jar.header_for("/x") == "b=2"


@pytest.mark.parametrize(("set_cookie", "why"), [
    ("name=Tom; Path=/login/", "path"),
    ("name=Tom", "default_path"),  # no Path: the folder of /login/x, /login
    ("name=Tom; Path=login", "default_path"),  # not a path: ignored, as browsers do
    ("name=Tom; Path=/; Max-Age=0", None),  # deleted: not held, so not held back
])
def test_the_jar_says_why_it_held_a_cookie_back(set_cookie, why):
    jar = CookieJar()
    jar.update(Response(200, (("Set-Cookie", set_cookie),)), request_path="/login/x")
    assert [reason for _, _, reason in jar.withheld("/welcome/")] == ([why] if why else [])


def test_the_jar_deletes_a_cookie_only_at_its_own_path():
    jar = CookieJar()
    jar.update(Response(200, (("Set-Cookie", "name=Tom; Path=/"),)))
    # delete_cookie('name', path='/logout/') leaves the cookie at / alone, as a browser does
    jar.update(Response(200, (("Set-Cookie", "name=; Max-Age=0; Path=/logout/"),)))
    assert jar.header_for("/welcome/") == "name=Tom"
    jar.update(Response(200, (("Set-Cookie", "name=Ann; Path=/a/"),)))
    assert jar.header_for("/a/b") == "name=Ann; name=Tom"  # the longer path first
    assert jar.get("name") == "Ann"


@pytest.mark.parametrize(("reference", "submission", "same"), [
    # url_for writes the parameters in the order the view passed them
    ("/search/?q=flask&page=3", "http://localhost/search/?page=3&q=flask", True),
    ("/search/?q=flask+web", "/search/?q=flask%20web", True),
    ("/s/?a=1&a=2", "/s/?a=2&a=1", False),  # one name's values keep their order
    ("/search/?q=flask", "/search/?q=django", False),
    ("/search/", "/find/", False),
    # resolved from the request's URL, http://localhost/go/here/, as a browser does
    ("/go/search/", "../search/", True),
    ("/go/search/", "search/", False),  # /go/here/search/
    ("/search/", "/./search/", True),
    ("/search/", "/a/../search/", True),
    ("/search/", "//localhost/search/", True),
    ("/search/", "http://localhost:80/search/", True),
    # another site is no redirect within the app, whatever its path
    ("/search/", "http://127.0.0.1:5000/search/", False),
    ("/search/", "https://localhost/search/", False),
    ("/search/", "//evil.example.com/search/", False),
])
def test_redirect_targets_compare_by_where_they_lead(reference, submission, same):
    step = RequestStep("GET", "/go/here/", compare=Compare(location=True),
                       expect=(ExpectLocation(StrMatch(equals=reference)),))
    moved = Response(302, (("Location", reference),))
    verdict = _verdict(_run(step, moved, Response(302, (("Location", submission),))))
    assert (verdict.outcome == "passed") == same


@pytest.mark.parametrize("body", [
    "<![<![",  # HTMLParser raised AssertionError: a crash of the parent
    "<?" * 500_000,  # and took 107 s over this one
    "</" * 500_000, "<!" * 500_000, "<a " * 300_000, "<p title='" * 100_000,
    "<script>" * 100_000, "<!--" * 200_000, "<" * 1_000_000,
    "<p>&#" + "1" * 5000 + ";</p>",  # int() refuses 5,000 digits: it raised past the grader
])
def test_reading_a_page_as_text_takes_time_in_proportion_to_it(body):
    import time

    started = time.process_time()
    html_text(body)
    assert time.process_time() - started < 3


@pytest.mark.parametrize(("page", "text"), [
    ('<p title="a>b">x</p>y', "x y"),  # a ">" in a quoted value ends no tag
    ("<SCRIPT>if (a<b) {}</SCRIPT>z", "z"),
    ("5 < 6 &amp; 7 > 2", "5 < 6 & 7 > 2"),
    ("<p>open to the end", "open to the end"),
    ("<!-- left open <p>hidden", ""),
])
def test_visible_text_as_a_browser_shows_it(page, text):
    assert html_text(page) == text


def test_a_page_is_decoded_only_with_an_encoding_a_browser_knows():
    # punycode decodes in time the square of the body's length: 162 s for 1 MiB
    import time

    page = Response(200, (("Content-Type", "text/html; charset=punycode"),), b"-" + b"9" * 1_000_000)
    started = time.process_time()
    assert page.text.startswith("-999")
    assert time.process_time() - started < 1
    chinese = Response(200, (("Content-Type", "text/html; charset=GBK"),), "小明".encode("gbk"))
    assert chinese.text == "小明"


def test_visible_text_of_a_page():
    page = "<html><head><title>T</title><style>p{}</style></head><body><h1>Hi</h1><p>a&amp;b" \
           "</p><script>x()</script></body></html>"
    assert html_text(page) == "Hi a&b"


@pytest.mark.parametrize(("body", "text"), [
    # jsonify escapes all but ASCII: the text is there all the same
    (r'{"error":"\u9875\u9762"}', '{"error":"页面"}'),
    (r'["\ud83d\ude00"]', '["😀"]'),  # a pair of surrogates is one character
    (r'{"q":"\u0022","b":"\\u9875"}', r'{"q":"\u0022","b":"\\u9875"}'),  # quote; a backslash
    (r'not JSON \u9875', r'not JSON \u9875'),
])
def test_a_json_body_reads_as_the_text_it_escaped(body, text):
    assert normalize(body, "text") == text


def test_json_bodies_that_are_not_json_are_not_a_pass():
    step = RequestStep("GET", "/", compare=Compare(body="json"))
    verdict = _verdict(_run(step, Response(200, body=b"not json"), Response(200, body=b"x")))
    assert verdict.outcome == "error" and verdict.error.key == "reference_not_json"


def test_json_bodies_compare_as_data():
    step = RequestStep("GET", "/", compare=Compare(body="json"))
    same = _verdict(_run(step, Response(200, body=b'{"a": 1, "b": [2]}'),
                         Response(200, body=b'{"b":[2],"a":1}')))
    differ = _verdict(_run(step, Response(200, body=b'{"a": 1}'), Response(200, body=b'{"a": 2}')))
    assert (same.outcome, differ.outcome) == ("passed", "failed")


def test_a_reference_may_raise_where_the_author_expects_a_500():
    crash = Response(500, body=b"oops", traceback="ZeroDivisionError")
    declared = RequestStep("GET", "/crash/", expect=(ExpectStatus((500,)),))
    undeclared = RequestStep("GET", "/crash/")
    assert _verdict(_run(declared, crash, crash)).outcome == "passed"
    assert _verdict(_run(undeclared, crash, crash)).error.key == "reference_raised"


def test_a_wrong_status_is_reported_once_even_if_also_expected():
    step = RequestStep("GET", "/", expect=(ExpectStatus((200,)),))
    verdict = _verdict(_run(step, Response(200), Response(500)))
    findings = verdict.steps[0].findings
    assert [f.what.key for f in findings] == ["status"]


def test_a_value_that_must_be_new_each_time():
    step = RequestStep("GET", "/uuid/", compare=Compare(status=True),
                       expect=(ExpectBody("text", StrMatch(shape="uuid4"), differs=True),))
    first, second = "3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    fresh = _verdict(_run(step, Response(200, body=first.encode()), Response(200, body=first.encode())),
                     _run(step, Response(200, body=second.encode()), Response(200, body=second.encode()), 1))
    stuck = _verdict(_run(step, Response(200, body=first.encode()), Response(200, body=first.encode())),
                     _run(step, Response(200, body=second.encode()), Response(200, body=first.encode()), 1))
    assert fresh.outcome == "passed"
    assert stuck.outcome == "failed"
    assert stuck.steps[0].findings[0].expected.key == "differs_from_previous"


def test_prefix_is_bound_into_paths_and_expectations():
    step = RequestStep("GET", "/go/", expect=(ExpectLocation(StrMatch(equals="{prefix}/index/")),
                                              ExpectBody("exact", StrMatch(regex="{prefix}/x"))))
    bound = with_prefix(Check("c", 1, HINT, (step,)), "/p.1").steps[0]
    assert bound.path == "/p.1/go/"
    assert bound.expect[0].match.equals == "/p.1/index/"
    assert bound.expect[1].match.regex == r"/p\.1/x"


def test_json_keys_name_the_key_that_is_wrong():
    step = RequestStep("GET", "/", expect=(ExpectBody("json", StrMatch(contains=("",)),
                                                      json_keys=(("url", "http://a/?x=1"),
                                                                 ("path", "/"))),))
    good = b'{"url": "http://a/?x=1", "path": "/", "extra": 1}'
    bad = b'{"url": "http://a/", "extra": 1}'
    verdict = _verdict(_run(step, Response(200, body=good), Response(200, body=bad)))
    findings = verdict.steps[0].findings
    assert [(f.what.params["key"], f.expected) for f in findings] == [
        ("url", '"http://a/?x=1"'), ("path", '"/"')]
    assert findings[1].actual.key == "json_key_missing"


def test_a_body_diff_holds_hunks_only_and_no_words():
    # the reports' own label says which side is which, in the student's language
    diff = body_diff("a\nb\nc", "a\nB\nc").splitlines()
    assert diff == ["@@ -1,3 +1,3 @@", " a", "-b", "+B", " c"]
    long = body_diff("\n".join(f"a{n}" for n in range(50)), "\n".join(f"b{n}" for n in range(50)))
    assert long.splitlines()[-1] == "…" and len(long.splitlines()) == 21


def test_comparing_the_store_with_the_reference_asks_only_whether_it_holds_the_session():
    # a lifetime is a check of its own (expect: store: ttl); the reference's
    # entry has its own session id, so it is not shown as the one expected
    from grader.stores import StoreEntry

    step = RequestStep("POST", "/login/", compare=Compare(status=False, store=True))
    month = StoreEntry(True, "hlm:ref-id", 31 * 86400)

    def verdict(entry: StoreEntry):
        request = Request("POST", "/login/")
        return _verdict(StepRun(0, step, Exchange(request, (Response(302),), store=month),
                                Exchange(request, (Response(302),), store=entry)))

    assert verdict(StoreEntry(True, "hlm:my-id", 86400)).outcome == "passed"
    absent = verdict(StoreEntry(False))
    assert absent.outcome == "failed"
    (finding,) = absent.steps[0].findings
    assert (finding.expected.key, finding.actual.key) == ("store_any", "store_absent")


def test_a_regex_put_in_words_shows_the_words_in_the_students_language():
    from grader.messages import render

    said = Text(zh="一个用 POST 提交的表单", en="a form that POSTs")
    step = RequestStep("GET", "/", compare=Compare(status=True),
                       expect=(ExpectBody("exact", StrMatch(regex="(?i)<form[^>]*post", says=said)),))
    verdict = _verdict(_run(step, Response(200, body=b"<form method=post>"),
                            Response(200, body=b"<form>")))
    (finding,) = verdict.steps[0].findings
    assert [render(finding.expected, lang) for lang in ("en", "zh")] == [said.en, said.zh]


@pytest.mark.parametrize(("withheld", "note"), [
    ((("name", "/login/", "path"),), "cookie_not_sent_path"),
    ((("name", "/", "expired"),), "cookie_not_sent_expired"),
    ((("name", "/login", "default_path"),), "cookie_not_sent_default_path"),  # path=None
    ((), None),  # never set: nothing to say about sending it
])
def test_a_cookie_the_browser_held_back_is_named(withheld, note):
    step = RequestStep("GET", "/welcome/", expect=(ExpectBody("text", StrMatch(contains=("Tom",))),))
    sent = Request("GET", "/welcome/", headers=(("Cookie", "name=Tom; theme=dark"),))
    held_back = Request("GET", "/welcome/", headers=(("Cookie", "theme=dark"),))
    run = StepRun(0, step, Exchange(sent, (Response(200, body=b"Hi Tom"),)),
                  Exchange(held_back, (Response(200, body=b"Hi guest"),), withheld=withheld))
    notes = [n.key for n in _verdict(run).steps[0].findings[0].notes]
    assert notes == ([note] if note else [])


@pytest.mark.parametrize(("read", "keys"), [
    (SessionRead({"name": "Tom", "_permanent": True}), []),
    (SessionRead({"user": "Tom", "_permanent": True}), ["session_key_missing"]),  # another key
    (SessionRead({"name": "Ann"}), ['"Ann"']),
    (SessionRead({"name": "Tom", "token": 1}), ["1"]),  # a key that should be gone, and its value
    (SessionRead(error=Msg("session_cookie_not_flask")), ["session_cookie_not_flask"]),
])
def test_the_session_is_compared_key_by_key(read, keys):
    step = RequestStep("POST", "/login/",
                       expect=(ExpectSession((("name", "Tom"), ("token", None))),))
    good = SessionRead({"name": "Tom"})
    run = StepRun(0, step, Exchange(Request("POST", "/login/"), (Response(302),), session=good),
                  Exchange(Request("POST", "/login/"), (Response(302),), session=read))
    verdict = _verdict(run)
    found = [f.actual if isinstance(f.actual, str) else f.actual.key
             for s in verdict.steps for f in s.findings]
    assert found == keys
    if keys == ["session_key_missing"]:  # the key it used instead is named, not Flask's own
        note = verdict.steps[0].findings[0].notes[0]
        assert (note.key, note.params["keys"]) == ("session_holds", "user")


@pytest.mark.parametrize(("request_path", "folder"), [
    ("/logincookie/", "/logincookie"), ("/a/b/c", "/a/b"), ("/x", "/"), ("/", "/"), ("", "/"),
])
def test_a_cookie_without_a_path_lives_in_the_requests_folder(request_path, folder):
    from grader.http import default_path

    assert default_path(request_path) == folder
    assert parse_set_cookie("a=1", request_path=request_path).path == folder
    assert parse_set_cookie("a=1; Path=/", request_path=request_path).path == "/"


def test_a_deletion_at_another_path_than_the_browser_holds_is_no_deletion():
    step = RequestStep("GET", "/logout/",
                       expect=(ExpectCookie("name", "deleted"),))
    request = Request("GET", "/logout/")
    gone = Response(302, (("Set-Cookie", "name=; Max-Age=0; Path=/"),))
    elsewhere = Response(302, (("Set-Cookie", "name=; Max-Age=0"),))  # no Path: /logout
    ref = Exchange(request, (gone,))
    assert _verdict(StepRun(0, step, ref, Exchange(request, (gone,)))).outcome == "passed"
    # the browser held name at / before the step and still does after it
    missed = _verdict(StepRun(0, step, ref, Exchange(request, (elsewhere,),
                                                     kept=(("name", "/"),))))
    finding = missed.steps[0].findings[0]
    assert (finding.expected.params, finding.actual.params["path"]) == ({"path": "/"}, "/logout")


def test_max_age_is_whole_seconds():
    step = RequestStep("GET", "/set/", expect=(ExpectCookie("t", "set", max_age=NumMatch(3600)),))
    request = Request("GET", "/set/")
    ref = Exchange(request, (Response(200, (("Set-Cookie", "t=1; Max-Age=3600; Path=/"),)),))
    floaty = Exchange(request, (Response(200, (("Set-Cookie", "t=1; Max-Age=3600.0; Path=/"),)),))
    finding = _verdict(StepRun(0, step, ref, floaty)).steps[0].findings[0]
    assert finding.actual.key == "max_age_not_whole"


def test_a_missing_httponly_flag_reads_absent_not_false():
    step = RequestStep("GET", "/set/", expect=(ExpectCookie("t", "set", httponly=True),))
    request = Request("GET", "/set/")
    ref = Exchange(request, (Response(200, (("Set-Cookie", "t=1; HttpOnly; Path=/"),)),))
    bare = Exchange(request, (Response(200, (("Set-Cookie", "t=1; Path=/"),)),))
    finding = _verdict(StepRun(0, step, ref, bare)).steps[0].findings[0]
    assert (finding.expected.key, finding.actual.key) == ("flag_present", "flag_absent")


def test_one_status_asked_for_is_named_alone():
    # "expected one of 200 OK" reads as if a list were cut short
    own = Compare(status=False)  # the expectation's finding, not the reference's
    step = RequestStep("GET", "/", compare=own, expect=(ExpectStatus((200,)),))
    finding = _verdict(_run(step, Response(200), Response(404))).steps[0].findings[0]
    assert finding.expected == "200 OK"
    either = RequestStep("GET", "/", compare=own, expect=(ExpectStatus((200, 500)),))
    assert _verdict(_run(either, Response(200), Response(404))).steps[0].findings[0] \
        .expected.key == "one_of"


def test_a_location_that_is_no_redirect_is_called_a_header():
    # a 201 Created names what it made: calling it a redirect target misleads
    step = RequestStep("POST", "/books/", compare=Compare(location=True))
    made = _verdict(_run(step, Response(201, (("Location", "/books/4/"),)),
                         Response(201, (("Location", "/books/5/"),))))
    moved = _verdict(_run(step, Response(302, (("Location", "/a/"),)),
                          Response(302, (("Location", "/b/"),))))
    assert made.steps[0].findings[0].what.key == "location_header"
    assert moved.steps[0].findings[0].what.key == "location"


def test_the_parent_takes_so_much_of_a_responses_headers():
    # a 4 MB Set-Cookie was parsed again at every step (18 s for one grading)
    # and printed whole in every report (26 MB each)
    import base64

    from grader.protocol import MAX_HEADER_VALUE, MAX_HEADERS, response_from_wire

    flood = [["Set-Cookie", "z=1" + ";x" * 1_900_000]] + [["X-N", "1"]] * 5000
    response = response_from_wire({"status": 200, "headers": flood,
                                   "body": base64.b64encode(b"").decode()})
    assert len(response.headers) == MAX_HEADERS
    assert len(response.header("Set-Cookie")) == MAX_HEADER_VALUE


def test_a_submission_path_is_shown_on_one_line():
    # a folder named with a newline and a forged heading wrote lines of its own
    from pathlib import Path

    from grader.grading import shown_path

    assert shown_path(Path("mallory\n# Full marks\n/cookie_login.py")) == \
        "mallory\\n# Full marks\\n/cookie_login.py"
