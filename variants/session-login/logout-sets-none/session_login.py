from flask import Blueprint, render_template, request, redirect, url_for, session
blue = Blueprint('blue', __name__)

@blue.route('/signin/')
def signin():
    return render_template('login.html')

@blue.route('/home/')
def home():
    return render_template('home.html', name=session.get('name'))

@blue.route('/dologin/', methods=['POST'])
def dologin():
    session['name'] = request.form.get('name')
    session.permanent = True
    return redirect(url_for('blue.home'))

@blue.route('/logout/')
def logout():
    session['name'] = None
    return redirect(url_for('blue.home'))
