from flask import Blueprint, render_template_string, request, redirect, url_for, Response

blue = Blueprint('blue', __name__)

LOGIN = """<html><body>
<form method='post' action='{{ url_for("blue.login") }}'>
<input type='text' name='name'/><input type='submit'/>
</form></body></html>"""

WELCOME = """<html><body>
{% if name is not none %}欢迎{{ name }}光临 <a href='{{ url_for("blue.logout") }}'>退出</a>
{% else %}欢迎游客光临{% endif %}
</body></html>"""


@blue.route('/tologincookie/', methods=['GET'])
def to_login():
    return render_template_string(LOGIN)


@blue.route('/logincookie/', methods=['POST'])
def login():
    resp = Response(status=302)
    resp.headers['Location'] = url_for('blue.welcome')
    resp.set_cookie('name', request.form['name'])
    return resp


@blue.route('/welcomecookie/')
def welcome():
    return render_template_string(WELCOME, name=request.cookies.get('name'))


@blue.route('/logoutcookie/')
def logout():
    resp = redirect(url_for('blue.welcome'))
    resp.set_cookie('name', '', expires=0)
    return resp
