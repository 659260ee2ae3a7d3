from flask import Blueprint, render_template, request, make_response
from flask.views import MethodView

blue = Blueprint('blue', __name__, static_folder='static', static_url_path='/blue-static')


class HelloView(MethodView):
    def get(self):
        html = render_template('hello.html',
                               name=request.args.get('name'),
                               items=request.args.getlist('item'))
        return make_response(html, 200)


blue.add_url_rule('/hello/', view_func=HelloView.as_view('greet'))
