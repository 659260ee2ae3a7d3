from flask import Blueprint
blue = Blueprint("blue", __name__)

@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"

def _wrap(state):
    inner = state.app.wsgi_app
    def app(environ, start_response):
        def sr(status, headers, exc_info=None):
            return start_response(status, headers + [("Location", "http://[::1/")], exc_info)
        return inner(environ, sr)
    state.app.wsgi_app = app
blue.record_once(_wrap)
