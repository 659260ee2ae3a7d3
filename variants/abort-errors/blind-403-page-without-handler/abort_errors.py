from flask import Blueprint, abort
blue = Blueprint('blue', __name__)

@blue.route('/testabort/')
def testabort():
    abort(404)

@blue.route('/testforbidden/')
def testforbidden():
    return '禁止访问', 403

@blue.route('/testerror/')
def testerror():
    return 1 / 0

@blue.app_errorhandler(404)
def not_found(e):
    return '页面不存在', 404


@blue.app_errorhandler(500)
def server_error(e):
    return '服务器内部错误', 500
