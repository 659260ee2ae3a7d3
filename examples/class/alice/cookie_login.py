from flask import Blueprint, make_response, redirect, request, url_for
from markupsafe import escape

blue = Blueprint('blue', __name__)


@blue.route('/tologincookie/')
def login_page():
    return '''
    <form method="POST" action="/logincookie/">
        <input type="text" name="name">
        <input type="submit" value="登录">
    </form>
    '''


@blue.route('/logincookie/', methods=['post'])
def do_login():
    name = request.form.get('name')
    response = make_response(redirect(url_for('blue.welcome')))
    response.set_cookie('name', name, max_age=3600)
    return response


@blue.route('/welcomecookie/')
def welcome():
    name = request.cookies.get('name', '游客')
    html = f'<h1>欢迎{escape(name)}光临red romance</h1>'
    if 'name' in request.cookies:
        html += f'<a href="{url_for("blue.logout")}">退出</a>'
    return html


@blue.route('/logoutcookie/')
def logout():
    response = make_response(redirect(url_for('blue.welcome')))
    response.set_cookie('name', '', expires=0)
    return response
