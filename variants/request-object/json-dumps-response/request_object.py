import json

from flask import Blueprint, Response, request

blue = Blueprint('blue', __name__)


@blue.route('/testrequest/', methods=['GET', 'POST'])
def testrequest():
    data = {
        'remote_addr': request.remote_addr,
        'method': request.method,
        'url': request.url,
        'base_url': request.base_url,
        'host_url': request.host_url,
        'path': request.path,
        'args_name': request.args.get('name'),
        'args_age': request.args.getlist('age'),
        'form_name': request.form.get('name'),
        'form_hobby': request.form.getlist('hobby'),
        'header_token': request.headers.get('X-Token'),
        'cookie_token': request.cookies.get('token'),
    }
    return Response(json.dumps(data, ensure_ascii=False, indent=2),
                    mimetype='application/json')
