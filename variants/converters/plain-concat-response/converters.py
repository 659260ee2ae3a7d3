import uuid

from flask import Blueprint, Response

blue = Blueprint('blue', __name__)


@blue.route('/testroute1/<string:name>/', methods=['GET'])
def testroute1(name):
    return Response('name=' + name)


@blue.route('/testroute2/<path:name>/', methods=['GET'])
def testroute2(name):
    return Response('name=' + name)


@blue.route('/testroute4/<float:money>/', methods=['GET'])
def testroute4(money):
    double = money + money
    return Response('money=' + str(money) + ' double=' + str(double))


@blue.route('/testroute5/<uuid:uid>/', methods=['GET'])
def testroute5(uid):
    assert isinstance(uid, uuid.UUID)
    return Response('uid=' + str(uid) + ' type=' + type(uid).__name__
                    + ' version=' + str(uid.version))


@blue.route('/testroute6/<any(a,b):p>/', methods=['GET'])
def testroute6(p):
    return Response('p=' + p)
