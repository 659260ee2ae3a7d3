from flask import Blueprint, make_response
from flask.views import MethodView

blue = Blueprint('blue', __name__)


class MoneyView(MethodView):
    def get(self, money):
        resp = make_response(f"money={money} next={money + 1}")
        resp.mimetype = 'text/plain'
        return resp


blue.add_url_rule('/testroute3/<int:money>/', view_func=MoneyView.as_view('money_view'))
