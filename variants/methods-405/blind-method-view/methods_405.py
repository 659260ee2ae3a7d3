from flask import Blueprint, render_template, Response
from flask.views import MethodView

blue = Blueprint('blue', __name__)


class ToLoginView(MethodView):
    def get(self):
        return render_template('login.html')


class LoginView(MethodView):
    def post(self):
        return Response('欢迎光临红浪漫', status=200, mimetype='text/html')

    def delete(self):
        return self.post()


blue.add_url_rule('/toLogin/', view_func=ToLoginView.as_view('tologin'))
blue.add_url_rule('/login/', view_func=LoginView.as_view('dologin'))
