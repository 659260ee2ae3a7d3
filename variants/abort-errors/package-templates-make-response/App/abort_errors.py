from flask import Blueprint, abort, make_response, render_template

blue = Blueprint('blue', __name__)


@blue.route('/testabort/')
def test_abort():
    abort(404)


@blue.route('/testforbidden/')
def test_forbidden():
    abort(403)


@blue.route('/testerror/')
def test_error():
    users = {}
    return users['admin']  # KeyError: a bug


@blue.app_errorhandler(404)
def page_not_found(e):
    return make_response(render_template('404.html'), 404)


@blue.app_errorhandler(403)
def forbidden(e):
    return render_template('403.html'), e.code


@blue.app_errorhandler(500)
def internal_error(e):
    return render_template('500.html'), 500
