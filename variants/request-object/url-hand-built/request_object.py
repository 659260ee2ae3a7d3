from flask import Blueprint, request
blue = Blueprint('blue', __name__)
@blue.route('/testrequest/', methods=['GET', 'POST'])
def t():
    r = request
    return {
        'method': r.method, 'path': r.path, 'url': r.base_url + '?' + r.query_string.decode(), 'base_url': r.base_url,
        'host_url': r.host_url, 'remote_addr': r.remote_addr,
        'args_name': r.args.get('name'), 'args_age': r.args.getlist('age'),
        'form_name': r.form.get('name'), 'form_hobby': r.form.getlist('hobby'),
        'header_token': r.headers.get('X-Token'), 'cookie_token': r.cookies.get('token'),
    }
