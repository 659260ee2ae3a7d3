import time
from datetime import datetime, timezone, timedelta
from flask import Blueprint, make_response, Response
blue = Blueprint('blue', __name__)

@blue.route('/setcookie/')
def setcookie():
    response = make_response('ok')
    response.set_cookie('token', 'flask', max_age=3600, httponly=True)
    return response

@blue.route('/remember/')
def remember():
    response = make_response('ok')
    response.set_cookie('remember', 'yes', max_age=604800)
    return response

@blue.route('/forget/')
def forget():
    response = make_response('ok')
    response.delete_cookie('remember', path=None)
    return response
