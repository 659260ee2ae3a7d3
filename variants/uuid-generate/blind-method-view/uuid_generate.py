from uuid import uuid4
from flask import Blueprint, Response
from flask.views import MethodView

blue = Blueprint('blue', __name__)


class UUIDView(MethodView):
    def get(self):
        return Response(f"{uuid4()}", status=200, mimetype='text/plain')


blue.add_url_rule('/testuuid/', view_func=UUIDView.as_view('make_uuid'))
