from flask import Blueprint
blue = Blueprint('blue', __name__)
@blue.get('/testroute1/<string:name>/')
def r1(name): return 'name=' + name
@blue.get('/testroute2/<path:name>/')
def r2(name): return 'name=' + name
@blue.get('/testroute4/<float:money>/')
def r4(money): return f'money={money} double={money * 2:.1f}'
@blue.get('/testroute5/<uuid:uid>/')
def r5(uid): return f'uid={uid} type={type(uid).__name__} version={uid.version}'
@blue.get('/testroute6/<any(a,b):p>/')
def r6(p): return f'p={p}'
