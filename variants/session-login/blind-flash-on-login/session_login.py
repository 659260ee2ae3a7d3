from flask import Blueprint, render_template, request, redirect, url_for, session, flash, make_response
blue = Blueprint('blue', __name__, template_folder='templates')

@blue.route('/signin/', methods=['GET'])
def signin():
    return make_response(render_template('sl_signin.html'))

@blue.route('/dologin/', methods=['POST'])
def dologin():
    name = request.form.get('name')
    session.permanent = True
    session['name'] = name
    flash('Logged in as ' + name)
    return make_response(redirect(url_for('blue.home'), 302))

@blue.route('/home/')
def home():
    return render_template('sl_home.html', user=session.get('name'))

@blue.route('/logout/')
def logout():
    session.pop('name', None)
    flash('Logged out')
    return redirect(url_for('blue.home'))
