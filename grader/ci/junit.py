"""JUnit XML, the schema Jenkins, GitLab and GitHub test reporters read:
``<testsuites>``, a ``<testsuite>`` per exercise, a ``<testcase>`` per check.

A failed check is a ``<failure>`` whose text is the check's report; a check
that could not be graded is an ``<error>``; a submission that could not be
loaded (or is missing) fails every check with a failure naming why.
"""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET

from ..messages import render
from ..report.common import describe_finding, points
from ..report.text import check_lines, load_error_lines
from ..results import CheckResult
from .run import CiRun, Graded
from .words import say

__all__ = ["render_junit"]

#: characters XML 1.0 cannot hold, even escaped (a student's body may carry them)
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(run: CiRun, lang: str) -> str:
    suites = [_suite(g, lang) for g in run.graded] if run.nothing is None \
        else [_nothing(run, lang)]
    root = ET.Element("testsuites", _counts(suites, "grade ci"))
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _counts(children: list[ET.Element], name: str) -> dict[str, str]:
    def total(key: str) -> int:
        return sum(int(c.get(key, "0")) for c in children)

    return {"name": name, "tests": str(total("tests")), "failures": str(total("failures")),
            "errors": str(total("errors")), "skipped": "0",
            "time": f"{sum(float(c.get('time', '0')) for c in children):.3f}"}


def _suite(graded: Graded, lang: str) -> ET.Element:
    result = graded.result
    cases = [_case(graded, check, lang) for check in result.checks]
    suite = ET.Element("testsuite", {
        "name": result.exercise, "tests": str(len(cases)),
        "failures": str(sum(c.find("failure") is not None for c in cases)),
        "errors": str(sum(c.find("error") is not None for c in cases)),
        "skipped": "0", "time": f"{graded.seconds:.3f}"})
    properties = ET.SubElement(suite, "properties")
    for key, value in (("score", points(result.score)), ("max_score", points(result.max_score)),
                       ("submission", graded.file or "")):
        ET.SubElement(properties, "property", {"name": key, "value": _clean(value)})
    suite.extend(cases)
    if result.warnings:
        ET.SubElement(suite, "system-out").text = _clean(
            "\n".join(render(w, lang) for w in result.warnings))
    return suite


def _nothing(run: CiRun, lang: str) -> ET.Element:
    """No exercise's file: one failing case says which files were looked for."""
    case = ET.Element("testcase", {"classname": "grade ci", "name": say("none_title", lang)})
    message = render(run.nothing, lang)
    _child(case, "failure", "missing", message, message)
    suite = ET.Element("testsuite", {"name": "grade ci", "tests": "1", "failures": "1",
                                     "errors": "0", "skipped": "0", "time": "0.000"})
    suite.append(case)
    return suite


def _case(graded: Graded, check: CheckResult, lang: str) -> ET.Element:
    title = f" — {check.title.get(lang)}" if check.title else ""
    case = ET.Element("testcase", {"classname": graded.result.exercise,
                                   "name": _clean(check.name + title)})
    if graded.missing is not None:
        missing = render(graded.missing, lang)
        _child(case, "failure", "missing", missing, missing)
    elif graded.result.load_error is not None:
        lines = load_error_lines(graded.result, lang)
        _child(case, "failure", "not-loaded", lines[0].lstrip("✗ "), "\n".join(lines))
    elif check.outcome == "failed":
        _child(case, "failure", "failed", _headline(check, lang), _body(check, lang))
    elif check.outcome == "error":
        message = render(check.error, lang)
        _child(case, "error", "not-graded", message.splitlines()[0] if message else "",
               _body(check, lang))
    return case


def _child(case: ET.Element, tag: str, kind: str, message: str, text: str) -> None:
    ET.SubElement(case, tag, {"type": kind, "message": _clean(message)}).text = _clean(text)


def _headline(check: CheckResult, lang: str) -> str:
    """The first finding, the one-line answer to "what went wrong"."""
    for step in check.steps:
        for finding in step.findings:
            return describe_finding(finding, lang).splitlines()[0]
    return f"{points(check.score)}/{points(check.points)}"


def _body(check: CheckResult, lang: str) -> str:
    return textwrap.dedent("\n".join(check_lines(check, lang)[1:]))


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
