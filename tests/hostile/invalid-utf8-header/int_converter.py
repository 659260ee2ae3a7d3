"""Hostile: in the answer for 41, headers the report shows (Content-Type,
Set-Cookie, Location) holding bytes that are not UTF-8 (on the wire a header is
Latin-1, so "\xe9" and "\xff" are the single bytes 0xE9 and 0xFF), terminal
escapes and a NUL, plus a header whose name is such bytes too."""

from flask import Blueprint, Response

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    response = Response(f"money={money} next={money + 1}")
    if money == 41:
        response.status_code = 302
        response.headers["Content-Type"] = "text/plain; name=caf\xe9\x1b]0;pwned\x07"
        response.headers["Location"] = "/caf\xe9/\xff\x1b[2J"
        response.headers.add("Set-Cookie", "name=caf\xe9\xff\x1b[31m; Path=/")
        response.headers.add("Set-Cookie", "\xff\xfe=\x00\x7f; Max-Age=\xff")
        response.headers["X-\xff\xfe"] = "\xff\xfe\x00"
    return response
