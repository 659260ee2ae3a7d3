"""Hostile (request-object): the answer is JSON nested 100,000 deep, 200 kB,
well under the 1 MiB cap on a body: valid JSON that Python's parser refuses."""

from flask import Blueprint, Response

blue = Blueprint("blue", __name__)


@blue.route("/testrequest/", methods=["GET", "POST"])
def testrequest():
    return Response("[" * 100_000 + "]" * 100_000, content_type="application/json")
