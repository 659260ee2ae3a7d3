import time

from flask import Blueprint, make_response

blue = Blueprint('blue', __name__)

ONE_HOUR = 60 * 60
SEVEN_DAYS = 7 * 24 * ONE_HOUR


@blue.get('/setcookie/')
def setcookie():
    resp = make_response('<p>token set</p>', 200)
    resp.set_cookie('token', 'flask', ONE_HOUR, httponly=True)
    return resp


@blue.get('/remember/')
def remember():
    resp = make_response('<p>I will remember you</p>')
    resp.set_cookie('remember', 'yes', expires=time.time() + SEVEN_DAYS)
    return resp


@blue.get('/forget/')
def forget():
    resp = make_response('<p>bye</p>')
    resp.delete_cookie('remember', path='/')
    return resp
