from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config['SECRET_KEY'] = '110'
    from App.session_login import blue
    app.register_blueprint(blueprint=blue)
    return app
