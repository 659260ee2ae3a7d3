from flask import Blueprint, redirect, render_template, request, session, url_for

blue = Blueprint('blue', __name__)


@blue.before_request
def make_session_permanent():
    session.permanent = True


@blue.route('/signin/')
def to_login():
    return render_template('login.html')


@blue.route('/dologin/', methods=['post'])
def do_login():
    name = request.form.get('name')
    session['name'] = name
    return redirect(url_for('blue.index'), code=302)


@blue.route('/home/')
def index():
    return render_template('index.html', name=session.get('name', 'guest'),
                           logged_in='name' in session)


@blue.route('/logout/')
def quit():
    session.clear()
    return redirect(url_for('blue.index'))
