from flask import flash, Blueprint, render_template, request, redirect, url_for, session
blue = Blueprint('blue', __name__)

@blue.route('/signin/')
def signin():
    return render_template('signin.html')

@blue.route('/dologin/', methods=['POST'])
def dologin():
    session['name'] = request.form.get('name')
    session.permanent = True
    return redirect(url_for('blue.home'))

@blue.route('/home/')
def home():
    return render_template('home.html', name=session.get('name'))

@blue.route('/logout/')
def logout():
    name = session.pop('name', None)
    if name:
        flash('Goodbye, %s' % name)
    return redirect(url_for('blue.home'))
