from flask import Blueprint, render_template, request, redirect, url_for, session
from flask_session import Session
blue = Blueprint('blue', __name__)

def configure(app):
    app.config['SECRET_KEY'] = '110'
    app.config['SESSION_TYPE'] = 'redis'
    app.config['SESSION_KEY_PREFIX'] = 'hlm:'
    Session(app)

@blue.route('/tologinsession/')
def tologinsession():
    return render_template('login.html')

@blue.route('/loginsession/', methods=['POST'])
def loginsession():
    session['name'] = request.form.get('name')
    return redirect(url_for('blue.welcomesession'))

@blue.route('/welcomesession/')
def welcomesession():
    return render_template('welcome.html', name=session.get('name'))

@blue.route('/logoutsession/')
def logoutsession():
    session.pop('name')
    return redirect(url_for('blue.welcomesession'))
