"""Reference for responses: the five kinds of view return value."""

from flask import Blueprint, Response, make_response, redirect, render_template, url_for

blue = Blueprint("blue", __name__)


@blue.route("/index/")
def index():
    return "welcome to BeiJing"


# A plain string becomes a 200 response with Content-Type text/html.
@blue.route("/testresponse1/")
def testresponse1():
    return "hello world"


@blue.route("/testresponse2/")
def testresponse2():
    return render_template("testresponse2.html", name="Flask")


# make_response builds the Response object, so status and headers can be set.
@blue.route("/testresponse3/")
def testresponse3():
    response = make_response("<h1>hahahaha</h1>", 201)
    response.headers["X-Course"] = "flask"
    return response


# redirect() answers 302 (temporary) unless told otherwise.
@blue.route("/testresponse4/")
def testresponse4():
    return redirect(url_for("blue.index"))


@blue.route("/testresponse5/")
def testresponse5():
    return Response("阿丑", mimetype="text/plain")
