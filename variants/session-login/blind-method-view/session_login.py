from flask import Blueprint, render_template, request, session, redirect, url_for, make_response
from flask.views import MethodView

blue = Blueprint('blue', __name__)


class SignIn(MethodView):
    def get(self):
        return make_response(render_template('login_form.html'))


class DoLogin(MethodView):
    def post(self):
        session['name'] = request.values.get('name')
        session.permanent = True
        return redirect(url_for('.home_view'))


class Home(MethodView):
    def get(self):
        user = session.get('name')
        if user is None:
            return render_template('welcome.html', user=None)
        return render_template('welcome.html', user=user)


class Logout(MethodView):
    def get(self):
        session.clear()
        return redirect(url_for('.home_view'))


blue.add_url_rule('/signin/', view_func=SignIn.as_view('signin_view'))
blue.add_url_rule('/dologin/', view_func=DoLogin.as_view('dologin_view'))
blue.add_url_rule('/home/', view_func=Home.as_view('home_view'))
blue.add_url_rule('/logout/', view_func=Logout.as_view('logout_view'))
