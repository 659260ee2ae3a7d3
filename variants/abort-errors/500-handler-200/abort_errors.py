from flask import Blueprint, abort

blue = Blueprint('blue', __name__)


@blue.route('/testabort/')
def testAbort():
    abort(404)
    return 'testAbort'


@blue.route('/testforbidden/')
def testForbidden():
    abort(403)
    return 'testForbidden'


@blue.route('/testerror/')
def testError():
    a = 1 / 0
    return 'testError'


@blue.app_errorhandler(404)
def testAbort1(Exception):
    return '页面不存在', 404


@blue.errorhandler(403)
def testForbidden1(Exception):
    return '禁止访问', 403


@blue.errorhandler(500)
def testError1(Exception):
    return '服务器内部错误'
