from flask import Blueprint, request

blue = Blueprint('blue', __name__)


@blue.route('/testrequest/', methods=['POST', 'GET'])
def testRequest():
    info = {}
    info['method'] = request.method
    info['path'] = request.path
    info['url'] = request.url
    info['base_url'] = request.base_url
    info['host_url'] = request.host_url
    info['remote_addr'] = request.remote_addr
    info['args_name'] = request.args.get('name', None)
    info['args_age'] = request.args.getlist('age')
    info['form_name'] = request.form.get('name') if request.method == 'POST' else None
    info['form_hobby'] = request.form.getlist('hobby')
    info['header_token'] = request.headers.get('x-token')   # header names ignore case
    info['cookie_token'] = request.cookies.get('token', None)
    return info
