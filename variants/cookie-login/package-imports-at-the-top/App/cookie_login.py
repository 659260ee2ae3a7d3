from flask import Blueprint, redirect, render_template, request, url_for

blue = Blueprint('blue', __name__)


@blue.route('/tologincookie/')
def tologincookie():
    return render_template('logincookie.html')


@blue.route('/logincookie/', methods=['POST'])
def logincookie():
    # 'name' is the name attribute of the input tag
    name = request.form.get('name')
    response = redirect(url_for('blue.welcomecookie'), code=302)
    response.set_cookie('name', name)
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
