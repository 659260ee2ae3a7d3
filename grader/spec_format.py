"""Format version 1 of an exercise spec, declared once: the loader validates
with it and ``grade schema`` prints it as a JSON Schema."""

from __future__ import annotations

from typing import Any

from .schema import Anything, Bool, Int, ListOf, MapOf, Num, Obj, OneOf, Scalar, Str

__all__ = ["EXERCISE", "METHODS", "BODY_NORMALISERS", "json_schema"]

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
#: How a body is normalised before it is compared (see ``grader.normalize``).
BODY_NORMALISERS = ("exact", "whitespace", "text", "json")
KEBAB = r"[a-z0-9]+(-[a-z0-9]+)*"
#: value shapes a text can be matched by (see ``grader.compare.SHAPES``)
SHAPES = ("uuid", "uuid4", "integer", "number", "hex", "word", "nonempty")
IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"

TEXT = Obj({"zh": Str("Chinese"), "en": Str("English")},
           "The same text in Chinese and English.", required=("zh", "en"))

_some_text = OneOf(Str(), ListOf(Str(), min_items=1))
SAYS = Obj(TEXT.props, "What a report shows a student in place of the regex (which is for "
                       "the grader): the text expected, in words, in both languages. Only "
                       "with 'regex'.", required=("zh", "en"))
STRING_MATCH = OneOf(
    Str("Must equal this text."),
    Obj({
        "equals": Str("Must equal this text."),
        "contains": OneOf(Str(), ListOf(Str(), min_items=1),
                          description="Must contain each of these."),
        "not_contains": OneOf(Str(), ListOf(Str(), min_items=1),
                              description="Must contain none of these."),
        "regex": Str("Python regular expression that must match somewhere (re.search)."),
        "says": SAYS,
        "shape": Str("The whole text (white space stripped) has this shape, for values that "
                     "differ between runs (uuid4: as str(uuid.uuid4()) writes it, lower case "
                     "with hyphens; uuid: any case, hyphens optional).", enum=SHAPES),
    }, "Conditions on a text; all given must hold."),
)
APPROX = Obj({"approx": Num("The expected number."),
              "within": Num("Allowed difference either way.")},
             "A number give or take a tolerance.", required=("approx",))
NUMBER_MATCH = OneOf(Int("Must equal this."), APPROX)

_form_value = OneOf(Str(), Num(), ListOf(OneOf(Str(), Num()), description="repeated key"))

COMPARE = Obj({
    "status": Bool("Same status code as the reference (default true)."),
    "location": Bool("Same Location header, compared as a path."),
    "allow": Bool("Same Allow header, compared as a set of methods."),
    "headers": ListOf(Str(), "These headers must equal the reference's."),
    "cookies": ListOf(Str(), "These cookies must be set/deleted like the reference does, "
                             "with the same value and attributes."),
    "body": Str("Body must equal the reference's after this normaliser; 'contains' means "
                "the submission's text contains the reference's.",
                enum=BODY_NORMALISERS + ("contains",)),
    "store": Bool("The session store must hold (or not) the session like the reference's."),
    "mask": ListOf(Str(), "Regular expressions for parts of the body that differ between runs "
                          "(a uuid, a time); matches are blanked in both bodies before comparing."),
}, "What must match the reference's response.")

COOKIE_EXPECT = OneOf(
    Str("'set', 'deleted' or 'absent' (not touched by this response).",
        enum=("set", "deleted", "absent")),
    Obj({
        "value": STRING_MATCH,
        "path": Str("The cookie's Path attribute."),
        "max_age": NUMBER_MATCH,
        "expires_in": NUMBER_MATCH,
        "httponly": Bool(),
    }, "The cookie must be set, with these properties."),
)

EXPECT = Obj({
    "status": OneOf(Int("This status code.", minimum=100, maximum=599),
                    ListOf(Int(minimum=100, maximum=599), "Any of these status codes.",
                           min_items=1)),
    "headers": MapOf(STRING_MATCH, "Header name → condition on its value."),
    "location": STRING_MATCH,
    "allow": ListOf(Str(upper=True, enum=METHODS), "The Allow header as a set.", min_items=1),
    "body": Obj({
        "normalize": Str("How the body is read first (default 'text').", enum=BODY_NORMALISERS),
        "equals": Str(),
        "contains": _some_text,
        "not_contains": _some_text,
        "regex": Str(),
        "says": SAYS,
        "shape": Str("The whole body (after normalising) has this shape.", enum=SHAPES),
        "json": Anything("The body parsed as JSON must equal this."),
        "json_keys": MapOf(Anything(), "The body is a JSON object and these keys have these "
                                       "values (other keys may be there too)."),
        "differs_from_previous": Bool("The body differs from this app's body in the previous "
                                      "request step: for values that must be new every time."),
    }, "Conditions on the body."),
    "cookies": MapOf(COOKIE_EXPECT, "Cookie name → what this response does to it ('session': "
                                    "the app's session cookie, whatever its name)."),
    "store": Obj({
        "session": Str("The session's entry in the server-side store.",
                       enum=("present", "absent")),
        "prefix": Str("The entry's key starts with this prefix."),
        "ttl": NUMBER_MATCH,
    }, "The server-side session store, looked up by the session cookie's id."),
    "session": MapOf(Anything(), "Session key → the value it holds after this step, as the app "
                                 "reads the session on the next request (signed cookie or "
                                 "server-side store alike); null: the key is absent."),
}, "Explicit expectations, for what the reference should not dictate.")

STEP_PROPS: dict[str, Any] = {
    "name": OneOf(Str(), TEXT, description="A label for the step in reports: one text, or "
                                             "{zh, en}."),
    "action": Str("'restart': stop both apps and start them again on the same store.",
                  enum=("restart",)),
    "method": Str("HTTP method (default GET).", enum=METHODS, upper=True),
    "path": Str("Request path, with the trailing slash as the statement gives it.",
                pattern=r"/.*", pattern_help="a path starting with '/'"),
    "query": MapOf(_form_value, "Query string; a list repeats the key."),
    "form": MapOf(_form_value, "Form fields (sent as application/x-www-form-urlencoded)."),
    "json": Anything("A JSON body (sent as application/json, for request.get_json()); "
                     "not with 'form'."),
    "headers": MapOf(Str(), "Extra request headers."),
    "cookies": MapOf(Str(), "Cookies sent besides those the scenario collected."),
    "follow_redirects": Bool("Follow redirects and grade the final response (default false)."),
    "new_browser": Bool("Send this request, and the rest of the check, from another browser: "
                        "one that holds no cookie yet (default false)."),
    "host": Str("The Host the request is sent to, e.g. 'shop.example.com:8080' (default "
                "'localhost').", pattern=r"[A-Za-z0-9.-]+(:[0-9]+)?",
                pattern_help="a host name with an optional :port"),
    "remote_addr": Str("The client address the app sees (default 127.0.0.1).",
                       pattern=r"[0-9a-fA-F.:]+", pattern_help="an IP address"),
    "tamper": ListOf(Str(), "Cookies from the jar to send altered, as an attacker would "
                            "('session': the app's session cookie)."),
    "compare": COMPARE,
    "expect": EXPECT,
}
STEP = Obj(STEP_PROPS, "One request (or action) of a scenario.", one_of_keys=("path", "action"),
           one_of_help={"path": "; a restart step sends no request"})

CHECK = Obj({
    "name": Str("Unique kebab-case name.", pattern=KEBAB, pattern_help="kebab-case"),
    "points": Num("Points for passing.", positive=True),
    "title": TEXT,
    "hint": TEXT,
    "steps": ListOf(STEP, "The scenario; steps share one cookie jar.", min_items=1),
    **{k: v for k, v in STEP_PROPS.items() if k not in ("name", "action")},
}, "A graded check: a single request (keys inline) or a scenario of steps.",
    required=("name", "points", "hint"), one_of_keys=("steps", "path"),
    one_of_help={"steps": "; put the request in a step, or drop 'steps'"})

EXERCISE = Obj({
    "format": Int("Spec format version.", minimum=1, maximum=1),
    "id": Str("The exercise id, as in 'grade ID'.", pattern=KEBAB, pattern_help="kebab-case"),
    "title": TEXT,
    "topics": ListOf(Str(), "Course topics this exercise covers."),
    "statement": TEXT,
    "submission": Obj({
        "file": Str("The module file students hand in.", pattern=r"[A-Za-z_][\w]*\.py",
                    pattern_help="a Python file name such as 'views.py'"),
        "blueprint": Str("Module attribute holding the Blueprint.", pattern=IDENTIFIER,
                         pattern_help="a Python identifier"),
        "factory": Str("Optional app factory (no arguments, returns the Flask app), looked up "
                       "in the module, then in its package's __init__.py.",
                       pattern=IDENTIFIER, pattern_help="a Python identifier"),
        "configure": Str("Optional hook called with the app before the blueprint is "
                         "registered, looked up like 'factory'.",
                         pattern=IDENTIFIER, pattern_help="a Python identifier"),
    }, "What students hand in.", required=("file", "blueprint")),
    "app": Obj({
        "config": MapOf(Scalar(), "Flask config the grader sets before mounting."),
        "url_prefix": Str("Mount the blueprint under this prefix; step paths are relative to "
                          "it. 'random' picks a new prefix every run, so only url_for "
                          "finds the routes.", pattern=r"/.*|random",
                          pattern_help="a path starting with '/', or 'random'"),
        "session": Str("'server': the grader sets up Flask-Session itself (SESSION_TYPE from "
                       "'config', default cachelib) when the student's code does not; the "
                       "store is private to each app either way.", enum=("server",)),
        "timeout": Num("Seconds a request may take (default 5).", positive=True),
        "probes": Bool("The grader adds two routes of its own to the blueprint (the "
                       "submission's and the reference's alike): /_grader/abort/<code>/ "
                       "calls abort(code) and /_grader/raise/ raises an exception, so checks "
                       "reach the blueprint's error handlers whatever its own routes do. Not "
                       "with a factory, which registers the blueprint itself."),
    }, "How the grader builds the app around the blueprint."),
    "reference": Str("Folder of the reference solution (default reference/ID)."),
    "checks": ListOf(CHECK, "The graded checks.", min_items=1),
}, "A Flask exercise: statement, submission and graded checks.",
    required=("format", "id", "title", "statement", "submission", "checks"))


def json_schema() -> dict[str, Any]:
    """The spec format as a JSON Schema document."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://flask-grader.invalid/exercise-format-1.json",
        "title": "Flask grader exercise, format 1",
        **EXERCISE.json_schema(),
    }
