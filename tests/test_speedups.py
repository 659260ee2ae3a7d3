"""Children defer Werkzeug's URL builders (grader.speedups): the URLs built
must be the very ones Werkzeug builds, and a rule Werkzeug refuses while
compiling must still be refused then."""

from __future__ import annotations

import uuid

import pytest
from flask import Blueprint, Flask, url_for
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.routing.exceptions import BuildError

from grader.speedups import lazy_url_builders


@pytest.fixture(autouse=True)
def lazy() -> None:
    assert lazy_url_builders()
    assert lazy_url_builders()  # a second call changes nothing


class Refusing(BaseConverter):
    def to_url(self, value: object) -> str:
        raise ValueError(f"no URL for {value!r}")


# (rule, rule options, values to build with)
RULES = [
    ("/", {}, {}),
    ("/static/<path:filename>", {}, {"filename": "css/a b.css"}),
    ("/user/<int:id>", {}, {"id": 7}),
    ("/user/<int:id>", {}, {"id": 7, "tab": "posts", "q": ["a", "b"]}),  # unknown: a query
    ("/page/<int:n>", {"defaults": {"n": 1}}, {}),  # a converted default, compiled at once
    ("/page", {"defaults": {"n": 1}}, {"n": 1}),
    ("/item/<uuid:key>", {}, {"key": uuid.UUID(int=5)}),
    ("/pick/<any(a, b):choice>", {}, {"choice": "b"}),
    ("/float/<float:x>/<name>", {}, {"x": 1.5, "name": "名字 & co"}),
    ("/double//slash/", {"merge_slashes": False}, {}),
    ("/sub", {"subdomain": "<tenant>"}, {"tenant": "acme"}),
]


@pytest.mark.parametrize(("path", "options", "values"), RULES)
def test_builds_what_werkzeug_builds(path: str, options: dict, values: dict) -> None:
    rule = Rule(path, endpoint="e", **options)
    Map([rule])
    for append_unknown in (False, True):
        expected = Rule._compile_builder(rule, append_unknown).__get__(rule)(**values)
        assert rule.build(values, append_unknown) == expected


def test_builders_compile_only_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    original = Rule._compile_builder

    def counting(self: Rule, append_unknown: bool = True):
        compiled.append(self.rule)
        return original(self, append_unknown)

    monkeypatch.setattr(Rule, "_compile_builder", counting)
    app = Flask(__name__)
    blue = Blueprint("blue", __name__)

    @blue.route("/a/<int:n>")
    def a(n: int) -> str:
        return url_for("blue.b", name="x")

    @blue.route("/b/<name>")
    def b(name: str) -> str:
        return name

    app.register_blueprint(blue, url_prefix="/p")
    assert compiled == []  # three rules added (static too), nothing compiled
    assert app.test_client().get("/p/a/1").text == "/p/b/x"
    assert compiled == ["/p/b/<name>"]  # the one url_for built, once
    assert app.test_client().get("/p/a/2").text == "/p/b/x"
    assert compiled == ["/p/b/<name>"]


def test_a_refused_default_fails_when_the_rule_is_added() -> None:
    routes = Map([], converters={"refusing": Refusing})
    with pytest.raises(ValueError, match="no URL for 3"):
        routes.add(Rule("/x/<refusing:v>", endpoint="x", defaults={"v": 3}))


def test_a_rule_that_cannot_build_still_says_so() -> None:
    app = Flask(__name__)
    app.add_url_rule("/user/<int:id>", "user", lambda id: "")
    with app.test_request_context(), pytest.raises(BuildError):
        url_for("user")  # no id: no rule fits
