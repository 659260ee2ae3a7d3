from flask import Blueprint, request
from flask.views import View

blue = Blueprint('blue', __name__)


class RequestInfo(View):
    methods = ['get', 'post']

    def dispatch_request(self):
        r = request
        data = {}
        for key in ('method', 'path', 'url', 'base_url', 'host_url', 'remote_addr'):
            data[key] = getattr(r, key)
        data['args_name'] = r.args.get('name')
        data['args_age'] = r.args.getlist('age')
        data['form_name'] = r.form.get('name')
        data['form_hobby'] = r.form.getlist('hobby')
        data['header_token'] = r.headers.get('x-token')
        data['cookie_token'] = r.cookies.get('token')
        return data, 200


blue.add_url_rule('/testrequest/', view_func=RequestInfo.as_view('info'))
