from flask import Blueprint, abort
blue = Blueprint('blue', __name__)

@blue.route('/testAbort/')
def testabort():
    abort(404)

@blue.route('/testforbidden/')
def testforbidden():
    abort(403)

@blue.route('/testerror/')
def testerror():
    1 / 0
    return 'x'

@blue.app_errorhandler(404)
def not_found(e):
    return '页面不存在', 404

@blue.app_errorhandler(403)
def forbidden(e):
    return '禁止访问', 403

@blue.app_errorhandler(500)
def server_error(e):
    return '服务器内部错误', 500
