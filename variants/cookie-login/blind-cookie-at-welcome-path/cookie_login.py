from datetime import datetime, timezone, timedelta
from flask import Blueprint, render_template, request, redirect, url_for, make_response, Response
blue = Blueprint('blue', __name__)

@blue.route('/tologincookie/')
def tologincookie():
    return render_template('login.html')

@blue.route('/welcomecookie/')
def welcomecookie():
    return render_template('welcome.html', name=request.cookies.get('name'))

@blue.route('/logincookie/', methods=['POST'])
def logincookie():
    name = request.form.get('name')
    resp = redirect(url_for('blue.welcomecookie'))
    resp.set_cookie('name', name, path='/welcomecookie/')
    return resp

@blue.route('/logoutcookie/')
def logoutcookie():
    resp = redirect(url_for('blue.welcomecookie'))
    resp.delete_cookie('name', path='/welcomecookie/')
    return resp
