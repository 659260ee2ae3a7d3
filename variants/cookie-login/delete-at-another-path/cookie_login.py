from flask import Blueprint, render_template, request, redirect, url_for, make_response
blue = Blueprint('blue', __name__)
@blue.get('/tologincookie/')
def tologin(): return render_template('login.html')
@blue.post('/logincookie/')
def login():
    name = request.form['name']
    resp = redirect(url_for('blue.welcome'), code=302)
    resp.set_cookie('name', name)
    return resp
@blue.get('/welcomecookie/')
def welcome():
    name = request.cookies.get('name')
    return render_template('welcome.html', name=name)
@blue.get('/logoutcookie/')
def logout():
    resp = redirect(url_for('blue.welcome'), 302)
    resp.delete_cookie('name', path='/logoutcookie/')
    return resp
