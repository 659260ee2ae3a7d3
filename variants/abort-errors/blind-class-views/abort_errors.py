from flask import Blueprint, abort, make_response, render_template
from flask.views import MethodView
from werkzeug.exceptions import NotFound, Forbidden, InternalServerError

blue = Blueprint('blue', __name__)


class AbortView(MethodView):
    def get(self):
        abort(404)


class ForbiddenView(MethodView):
    def get(self):
        abort(403)


class ErrorView(MethodView):
    def get(self):
        abort(500)


blue.add_url_rule('/testabort/', view_func=AbortView.as_view('testabort'))
blue.add_url_rule('/testforbidden/', view_func=ForbiddenView.as_view('testforbidden'))
blue.add_url_rule('/testerror/', view_func=ErrorView.as_view('testerror'))


@blue.app_errorhandler(NotFound)
def handle_404(error):
    return make_response(render_template('error.html', message='页面不存在'), 404)


@blue.errorhandler(Forbidden)
def handle_403(error):
    resp = make_response(render_template('error.html', message='禁止访问'))
    resp.status_code = 403
    return resp


@blue.app_errorhandler(InternalServerError)
def handle_500(error):
    return render_template('error.html', message='服务器内部错误'), 500
