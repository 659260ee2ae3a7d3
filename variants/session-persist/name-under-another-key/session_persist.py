from flask import Blueprint, render_template_string, request, redirect, url_for, session
from flask_session import Session
import redis
blue = Blueprint('blue', __name__)
def configure(app):
    app.config.update(SECRET_KEY='110', SESSION_TYPE='redis', SESSION_KEY_PREFIX='hlm:',
                      SESSION_REDIS=redis.Redis(host='127.0.0.1', port=6379))
    Session(app)
@blue.get('/tologinsession/')
def tologin():
    return render_template_string('<form action="{{ url_for(\'blue.login\') }}" method="post"><input name="name"></form>')
@blue.post('/loginsession/')
def login():
    session['username'] = request.form['name']
    return redirect(url_for('blue.welcome'), code=302)
@blue.get('/welcomesession/')
def welcome():
    n = session.get('username')
    if n:
        return render_template_string('欢迎{{ n }}光临 <a href="{{ url_for(\'blue.logout\') }}">退出</a>', n=n)
    return '欢迎游客光临'
@blue.get('/logoutsession/')
def logout():
    session.pop('username', None)
    return redirect(url_for('blue.welcome'), 302)
