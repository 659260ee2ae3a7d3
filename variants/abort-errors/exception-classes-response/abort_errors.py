from flask import Blueprint, Response, abort
from werkzeug.exceptions import Forbidden, InternalServerError, NotFound

blue = Blueprint('blue', __name__)


@blue.route('/testabort/', methods=['GET'])
def testabort():
    raise NotFound()


@blue.route('/testforbidden/', methods=['GET'])
def testforbidden():
    raise Forbidden()


@blue.route('/testerror/', methods=['GET'])
def testerror():
    abort(500)


def not_found(error):
    return Response('<h1>页面不存在</h1>', status=404)


blue.app_errorhandler(NotFound)(not_found)


@blue.errorhandler(Forbidden)
def forbidden(error):
    return Response('<h1>禁止访问</h1>', status=error.code)


@blue.errorhandler(InternalServerError)
def server_error(error):
    return Response('<h1>服务器内部错误</h1>', status=500)
