from flask import Blueprint, render_template, request, redirect, url_for, make_response
blue = Blueprint('blue', __name__)

@blue.route('/tologincookie/')
def tologincookie():
    return render_template('login.html')

@blue.route('/logincookie/', methods=['POST'])
def logincookie():
    name = request.form.get('name')
    resp = make_response(redirect(url_for('blue.welcomecookie')))
    resp.set_cookie('name', name)
    return resp

@blue.route('/welcomecookie/')
def welcomecookie():
    name = request.cookies.get('name')
    return render_template('welcome.html', name=name)

@blue.route('/logoutcookie/')
def logoutcookie():
    resp = redirect(url_for('blue.welcomecookie'))
    resp.delete_cookie('name')
    return resp
