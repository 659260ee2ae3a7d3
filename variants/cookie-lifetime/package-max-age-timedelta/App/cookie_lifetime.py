from datetime import timedelta

from flask import Blueprint, Response

blue = Blueprint('blue', __name__)


@blue.route('/setcookie/', methods=['get'])
def set_token():
    response = Response('ok')
    response.set_cookie(key='token', value='flask', max_age=timedelta(hours=1), httponly=True)
    return response


@blue.route('/remember/', methods=['get'])
def remember_me():
    response = Response('记住你 7 天')
    response.set_cookie('remember', 'yes', max_age=7 * 24 * 60 * 60, path='/')
    return response


@blue.route('/forget/', methods=['get'])
def forget_me():
    response = Response('已忘记')
    response.set_cookie('remember', '', max_age=0)
    return response
