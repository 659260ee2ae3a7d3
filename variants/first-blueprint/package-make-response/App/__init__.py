from flask import Flask


def create_app():
    app = Flask(__name__)
    from App.first_blueprint import blue
    app.register_blueprint(blue)
    return app
