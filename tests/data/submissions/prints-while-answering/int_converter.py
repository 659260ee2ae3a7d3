"""Debugs with print(): a wrong next, and the values the student printed to
find out why (an escape sequence among them, and far too much of it once)."""

from flask import Blueprint

blue = Blueprint('blue', __name__)
print('loading: this line is printed at import, by no request')


@blue.route('/testroute3/<money>/')
def testroute3(money):
    print('money is', repr(money), '\x1b[2K')
    if money == 'abc':
        print('x' * 5000)
    return f'money={money} next={money}1'
