from flask import Blueprint, render_template, request, redirect, url_for, session
blue = Blueprint('blue', __name__)

@blue.route('/signin/')
def signin():
    return render_template('login.html')

@blue.route('/home/')
def home():
    return render_template('home.html', name=session.get('name'))

from flask_session import Session
import tempfile, os
@blue.record_once
def setup(state):
    state.app.config['SESSION_TYPE'] = 'cachelib'
    from cachelib.file import FileSystemCache
    state.app.config['SESSION_CACHELIB'] = FileSystemCache(os.path.join(tempfile.gettempdir(), 'probe_sl_fs'))
    Session(state.app)

@blue.route('/dologin/', methods=['POST'])
def dologin():
    session['name'] = request.form.get('name')
    session.permanent = True
    return redirect(url_for('blue.home'))

@blue.route('/logout/')
def logout():
    session.pop('name', None)
    return redirect(url_for('blue.home'))
