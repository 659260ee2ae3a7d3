from flask import Blueprint, session
blue = Blueprint('blue', __name__)
@blue.route('/set/')
def s():
    session['n'] = 'x'
    return 'ok'
