from cachelib.file import FileSystemCache
from flask import Blueprint, render_template, request, session, redirect, url_for
from flask.views import MethodView
from flask_session import Session

blue = Blueprint('blue', __name__)


def configure(app):
    app.config['SECRET_KEY'] = 'cachelib-secret'
    app.config['SESSION_TYPE'] = 'cachelib'
    app.config['SESSION_CACHELIB'] = FileSystemCache(cache_dir='session_store', threshold=500)
    app.config['SESSION_KEY_PREFIX'] = 'hlm:'
    Session(app)


class LoginPage(MethodView):
    def get(self):
        return render_template('login.html')


class Login(MethodView):
    def post(self):
        session['name'] = request.form.get('name', '')
        return redirect(url_for('blue.welcome'))


class Welcome(MethodView):
    def get(self):
        return render_template('welcome.html')


class Logout(MethodView):
    def get(self):
        session.pop('name')
        return redirect(url_for('blue.welcome'))


blue.add_url_rule('/tologinsession/', view_func=LoginPage.as_view('tologin'))
blue.add_url_rule('/loginsession/', view_func=Login.as_view('login'))
blue.add_url_rule('/welcomesession/', view_func=Welcome.as_view('welcome'))
blue.add_url_rule('/logoutsession/', view_func=Logout.as_view('logout'))
