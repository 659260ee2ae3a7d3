"""Hostile: bodies that are not UTF-8, though the header says they are."""

from flask import Blueprint, Response

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    body = b"\xff\xfe money=\xc3\x28 next=\xed\xa0\x80 \xf8\x88\x80\x80\x80" + bytes(range(256))
    return Response(body, content_type="text/plain; charset=utf-8")
