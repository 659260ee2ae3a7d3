import json
from flask import Blueprint, request, jsonify, Response
blue = Blueprint('blue', __name__)

@blue.route('/testrequest/', methods=['GET', 'POST'])
def testrequest():
    data = {
        'method': request.method,
        'path': request.path,
        'url': request.base_url + ('?' + '&'.join(f'{k}={v}' for k, v in request.args.items()) if request.args else ''),
        'base_url': request.base_url,
        'host_url': request.host_url,
        'remote_addr': request.remote_addr,
        'args_name': request.args.get('name'),
        'args_age': request.args.getlist('age'),
        'form_name': request.form.get('name'),
        'form_hobby': request.form.getlist('hobby'),
        'header_token': request.headers.get('X-Token'),
        'cookie_token': request.cookies.get('token'),
    }
    return jsonify(data)
