from flask import Flask

from App.session_persist import blue, configure


def create_app():
    app = Flask(__name__)
    configure(app)
    app.register_blueprint(blueprint=blue)
    return app
