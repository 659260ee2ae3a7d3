"""Reference for first-blueprint: one route, registered through a blueprint."""

from flask import Blueprint

# The routes live on the blueprint; whoever builds the app registers it with
# app.register_blueprint(blue) (the grader does so on its own app).
blue = Blueprint("blue", __name__)


@blue.route("/index/")
def index():
    return "welcome to BeiJing"
