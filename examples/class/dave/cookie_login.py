from flask import Blueprint, redirect, render_template, request, url_for
from flask_script import Manager

blue = Blueprint('blue', __name__)


@blue.route('/logincookie/', methods=['get', 'post'])
def logincookie():
    if request.method == 'GET':
        return render_template('logincookie.html')
    response = redirect(url_for('blue.welcomecookie'))
    response.set_cookie('name', request.form.get('name'))
    return response


@blue.route('/welcomecookie/')
def welcomecookie():
    name = request.cookies.get('name', '游客')
    return render_template('welcomecookie.html', name=name)


@blue.route('/logoutcookie/')
def logoutcookie():
    response = redirect(url_for('blue.welcomecookie'))
    response.delete_cookie('name')
    return response
