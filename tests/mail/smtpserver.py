#!/usr/bin/env python3
"""smtpserver.py DIR [--auth USER:PASSWORD] [--reject-rcpt] [--reject-data]
                   [--starttls CERT KEY]

A real SMTP server (Debian's python3-aiosmtpd) on 127.0.0.1 for the tests
of `weekly send`. It prints its port on a line of its own once it listens,
and serves until standard input closes. Each message it accepts is written
to DIR/N.eml as delivered (bytes after the SMTP dot-unstuffing) and its
envelope to DIR/N.env: "MAIL FROM:<...>", one "RCPT TO:<...>" a line, and
"TLS: yes" or "TLS: no" (whether the message came over STARTTLS).

--auth USER:PASSWORD  require a login (PLAIN or LOGIN), refuse any other
--reject-rcpt         answer every RCPT TO with 550
--reject-data         answer the message itself with 554
--starttls CERT KEY   offer STARTTLS with that certificate, and require it"""
import argparse
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, out, reject_rcpt, reject_data):
        self.out, self.reject_rcpt, self.reject_data, self.count = out, reject_rcpt, reject_data, 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return "550 5.1.1 <%s>: no such mailbox here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.reject_data:
            return "554 5.6.0 message refused by the test"
        self.count += 1
        base = os.path.join(self.out, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".env", "w") as f:
            f.write("MAIL FROM:<%s>\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("RCPT TO:<%s>\n" % r)
            f.write("TLS: %s\n" % ("yes" if session.ssl else "no"))
        return "250 2.0.0 queued as test-%d" % self.count


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--auth")
    ap.add_argument("--reject-rcpt", action="store_true")
    ap.add_argument("--reject-data", action="store_true")
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    a = ap.parse_args()
    kw = {}
    if a.auth:
        user, password = a.auth.split(":", 1)

        def check(server, session, envelope, mechanism, data):
            ok = data.login == user.encode() and data.password == password.encode()
            return AuthResult(success=ok, handled=False)
        kw = dict(authenticator=check, auth_required=True, auth_require_tls=False)
    if a.starttls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*a.starttls)
        kw.update(tls_context=ctx, require_starttls=True)
    port = free_port()
    c = Controller(Handler(a.dir, a.reject_rcpt, a.reject_data), hostname="127.0.0.1",
                   port=port, **kw)
    c.start()
    print(port, flush=True)
    try:
        sys.stdin.read()
    finally:
        c.stop()


if __name__ == "__main__":
    main()
