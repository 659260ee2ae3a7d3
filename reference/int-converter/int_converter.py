"""Reference for int-converter: the int converter hands the view an int."""

from flask import Blueprint

blue = Blueprint("blue", __name__)


# The parameter's name must be the variable's name in the rule (money).
# <int:money> matches only digits, so /abc/, /1.5/ and /-3/ are 404.
@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
