import time
from flask import Blueprint, make_response

blue = Blueprint('blue', __name__)


@blue.route('/setcookie/')
def setcookie():
    r = make_response('ok', 200)
    r.set_cookie('token', 'flask', max_age=3600, httponly=True)
    return r


@blue.route('/remember/')
def remember():
    r = make_response('ok')
    r.set_cookie('remember', 'yes', expires=int(time.time()) + 7 * 24 * 3600)
    return r


@blue.route('/forget/')
def forget():
    r = make_response('ok')
    r.set_cookie('remember', '', expires=0)
    return r
