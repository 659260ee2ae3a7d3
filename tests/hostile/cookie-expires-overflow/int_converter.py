from flask import Blueprint, make_response
blue = Blueprint("blue", __name__)

@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    r = make_response(f"money={money} next={money + 1}")
    r.headers["Set-Cookie"] = "a=b; Expires=Mon, 99999999999999999999 Jan 2020 00:00:00 GMT"
    return r
