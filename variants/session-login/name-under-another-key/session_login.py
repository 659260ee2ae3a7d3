from flask import Blueprint, render_template_string, request, redirect, url_for, session
blue = Blueprint('blue', __name__)
@blue.get('/signin/')
def signin():
    return render_template_string('<form action="{{ url_for(\'blue.dologin\') }}" method="post"><input name="name"><button>go</button></form>')
@blue.post('/dologin/')
def dologin():
    session['user'] = request.form['name']
    session.permanent = True
    return redirect(url_for('blue.home'), code=302)
@blue.get('/home/')
def home():
    name = session.get('user')
    return render_template_string('{% if n %}Welcome, {{ n }} <a href="{{ url_for(\'blue.logout\') }}">logout</a>{% else %}Welcome, guest{% endif %}', n=name)
@blue.get('/logout/')
def logout():
    session.clear()
    return redirect(url_for('blue.home'), 302)
