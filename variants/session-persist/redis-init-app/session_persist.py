import redis
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_session import Session

blue = Blueprint('blue', __name__)

se = Session()


def configure(app):
    app.config['SECRET_KEY'] = '110'
    app.config['SESSION_TYPE'] = 'redis'
    app.config['SESSION_KEY_PREFIX'] = 'hlm:'
    app.config['SESSION_REDIS'] = redis.Redis(host='127.0.0.1', port=6379)
    se.init_app(app=app)


@blue.route('/tologinsession/')
def to_login():
    return render_template('loginsession.html')


@blue.route('/loginsession/', methods=['post'])
def login():
    name = request.form.get('name')
    session['name'] = name
    return redirect(url_for('blue.welcome'))


@blue.route('/welcomesession/')
def welcome():
    name = session.get('name', '游客')
    return render_template('welcomesession.html', name=name)


@blue.route('/logoutsession/')
def logout():
    session.clear()
    return redirect(url_for('blue.welcome'))
