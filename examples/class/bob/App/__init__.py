from flask import Flask


def create_app():
    app = Flask(__name__)
    from App.cookie_login import blue
    app.register_blueprint(blueprint=blue)
    return app
