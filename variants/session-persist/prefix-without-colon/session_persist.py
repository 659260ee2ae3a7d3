from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_session import Session

blue = Blueprint('blue', __name__)


def configure(app):
    app.config['SECRET_KEY'] = 'red-romance'
    app.config['SESSION_TYPE'] = 'filesystem'
    app.config['SESSION_KEY_PREFIX'] = 'hlm'
    Session(app=app)


@blue.route('/tologinsession/')
def tologinsession():
    return render_template('loginsession.html')


@blue.route('/loginsession/', methods=['POST'])
def loginsession():
    session['name'] = request.form.get('name')
    return redirect(url_for('blue.welcomesession'))


@blue.route('/welcomesession/')
def welcomesession():
    name = session.get('name')
    return render_template('welcomesession.html', name=name)


@blue.route('/logoutsession/')
def logoutsession():
    session.pop('name')
    return redirect(url_for('blue.welcomesession'))
