from flask import Blueprint, make_response

blue = Blueprint("blue", __name__)


@blue.route("/setcookie/")
def setcookie():
    response = make_response("token set")
    response.set_cookie("token", "flask", max_age=3600, httponly=True)
    return response


@blue.route("/remember/")
def remember():
    response = make_response("remembered for 7 days")
    response.set_cookie("remember", "yes", expires=7)
    return response


@blue.route("/forget/")
def forget():
    response = make_response("forgotten")
    response.delete_cookie("remember")
    return response
