# Defect: prints more at import than a submission may write (its output goes to a log).
from flask import Blueprint

for line in range(300_000):
    print("debugging output, line", line, "." * 60)

blue = Blueprint('blue', __name__)


@blue.route('/testroute3/<int:money>/')
def testroute3(money):
    return f'money={money} next={money + 1}'
