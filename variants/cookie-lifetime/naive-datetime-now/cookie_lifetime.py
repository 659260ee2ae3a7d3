from datetime import datetime, timedelta, timezone
from flask import Blueprint, make_response
blue = Blueprint('blue', __name__)

@blue.route('/setcookie/')
def setcookie():
    response = make_response('ok')
    response.set_cookie('token', 'flask', max_age=3600, httponly=True)
    return response

@blue.route('/remember/')
def remember():
    response = make_response('ok')
    response.set_cookie('remember', 'yes', expires=datetime.now() + timedelta(days=7))
    return response

@blue.route('/forget/')
def forget():
    response = make_response('ok')
    response.delete_cookie('remember')
    return response
