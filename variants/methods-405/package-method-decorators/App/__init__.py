from flask import Flask


def create_app():
    app = Flask(__name__)
    from .methods_405 import blue
    app.register_blueprint(blueprint=blue)
    return app
