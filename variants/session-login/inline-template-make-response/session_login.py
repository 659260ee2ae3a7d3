from flask import Blueprint, make_response, redirect, render_template_string, request, session, url_for

blue = Blueprint('blue', __name__)

LOGIN = '''<!doctype html>
<form action="{{ url_for('blue.login') }}" method='post'>
  <input name='name'><input type='submit'>
</form>'''

HOME = '''<!doctype html>
{% if 'name' in session %}
<p>Welcome, {{ session['name'] }}</p>
<a href='{{ url_for("blue.logout") }}'>Log out</a>
{% else %}
<p>Welcome, guest</p>
{% endif %}'''


@blue.route('/signin/', methods=['GET'])
def signin_page():
    return render_template_string(LOGIN)


@blue.route('/dologin/', methods=['POST'])
def login():
    session.permanent = True
    session['name'] = request.form['name']
    response = make_response(redirect(url_for('blue.home_page')))
    return response


@blue.route('/home/')
def home_page():
    return make_response(render_template_string(HOME))


@blue.route('/logout/')
def logout():
    session.pop('name')
    return redirect(url_for('blue.home_page'))
