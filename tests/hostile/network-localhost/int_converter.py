"""Hostile: at import and in the view for 41, connect to 127.0.0.1 and ::1: the
port the test listens on (handed over in hostile_env.json), the usual service
ports (Redis 6379, HTTP, a Flask dev server), and an abstract Unix socket the
test listens on. The view for 41 tells what answered."""

import json
import socket
from pathlib import Path

from flask import Blueprint

blue = Blueprint("blue", __name__)
_ENV = Path(__file__).with_name("hostile_env.json")
ENV = json.loads(_ENV.read_text()) if _ENV.exists() else {}
PORTS = [p for p in (ENV.get("port"), 6379, 80, 443, 5000, 8000, 8080, 22) if p]


def _reach():
    reached = []
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        for port in PORTS:
            try:
                with socket.socket(family, socket.SOCK_STREAM) as sock:
                    sock.settimeout(0.5)
                    sock.connect((host, port))
                    sock.sendall(b"hostile hello\n")
                reached.append(f"{host}:{port}")
            except OSError:
                pass
    if ENV.get("abstract_socket"):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(0.5)
                sock.connect("\0" + ENV["abstract_socket"])
                sock.sendall(b"hostile hello\n")
            reached.append("abstract socket")
        except OSError:
            pass
    return reached


REACHED = _reach()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        reached = REACHED + _reach()
        if reached:
            return "CONNECTED " + " | ".join(reached)
    return f"money={money} next={money + 1}"
