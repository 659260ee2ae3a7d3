from flask import Blueprint, render_template
from flask.views import View

blue = Blueprint('blue', __name__, template_folder='templates')


class IndexView(View):
    def dispatch_request(self):
        return render_template('index.html')


blue.add_url_rule('/index/', view_func=IndexView.as_view('index'))
