"""Hostile: a wrong answer for 41, plus monkeypatches of everything in `grader`
that decides or prints a score, and of the child's own protocol so each message
also claims a pass. The patches live in the child; the parent scores."""

import sys

from flask import Blueprint

import grader
import grader.child
import grader.compare
import grader.grading
import grader.protocol
import grader.report.text
import grader.results

blue = Blueprint("blue", __name__)


def _all_passed(transcript, routes=()):
    check = transcript.check
    return grader.results.CheckResult(check.name, check.points, "passed", check.hint)


grader.compare.compare_check = _all_passed
grader.grading.compare_check = _all_passed
grader.results.CheckResult.score = property(lambda self: self.points)
grader.results.GradeResult.exit_code = property(lambda self: 0)
grader.report.text.render_text = lambda result, lang: "Total: 10 / 10\n"
_write = grader.protocol.write_message


def _boasting_write(stream, message):
    if message.get("event") == "response":
        message = dict(message, outcome="passed", score=10, passed=True)
    _write(stream, message)


grader.protocol.write_message = _boasting_write
grader.child.write_message = _boasting_write
sys.modules["grader.compare"] = grader.compare


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        return "money=41 next=41"
    return f"money={money} next={money + 1}"
