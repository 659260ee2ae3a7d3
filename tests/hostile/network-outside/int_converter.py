"""Hostile: at import, reach the outside world: resolve a name, connect over TCP
to public addresses, send a UDP datagram. The view for 41 tells what worked."""

import socket

from flask import Blueprint

blue = Blueprint("blue", __name__)


def _reach():
    reached = []
    try:
        socket.getaddrinfo("example.com", 80)
        reached.append("resolved example.com")
    except OSError:
        pass
    for address in (("1.1.1.1", 80), ("8.8.8.8", 53), ("93.184.215.14", 80)):
        try:
            with socket.create_connection(address, timeout=1):
                reached.append(f"tcp {address[0]}:{address[1]}")
        except OSError:
            pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(b"hostile", ("8.8.8.8", 53))
        reached.append("udp 8.8.8.8:53")
    except OSError:
        pass
    return reached


REACHED = _reach()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and REACHED:
        return "CONNECTED " + " | ".join(REACHED)
    return f"money={money} next={money + 1}"
