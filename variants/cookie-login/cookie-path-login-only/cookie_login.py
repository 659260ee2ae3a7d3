from flask import Blueprint, request, redirect, url_for, make_response
blue = Blueprint('blue', __name__)
@blue.route('/tologincookie/')
def tologin(): return '<form action="/logincookie/" method="post"><input name="name"></form>'
@blue.route('/logincookie/', methods=['POST'])
def login():
    resp = redirect(url_for('blue.welcome'))
    resp.set_cookie('name', request.form.get('name'), path='/logincookie/')
    return resp
@blue.route('/welcomecookie/')
def welcome():
    n = request.cookies.get('name')
    return f'欢迎{n}光临 <a href="/logoutcookie/">logout</a>' if n else '欢迎游客光临'
@blue.route('/logoutcookie/')
def logout():
    resp = redirect(url_for('blue.welcome'))
    resp.delete_cookie('name')
    return resp
