from flask import Blueprint, render_template, request
from markupsafe import escape

blue = Blueprint(name='blue', import_name=__name__,
                 static_url_path='/blue-static', static_folder='static')


@blue.get('/hello/')
def hello_page():
    context = {
        # escape() returns Markup, so the template does not escape it twice
        'name': escape(request.args.get('name', 'guest')),
        'items': request.args.getlist('item'),
    }
    return render_template('hello.html', **context)
