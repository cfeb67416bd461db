#!/usr/bin/env python3
"""eml_check.py MESSAGE TEXT HTML SUBJECT FROM [REPLY_TO [LIST_UNSUBSCRIBE]]

Reads MESSAGE with Python's email package, as a mail program would, and
prints a PASS or FAIL line per check: no defect anywhere (message, parts,
headers), CRLF line ends within the lengths RFC 5322 and RFC 2045 set,
multipart/alternative with a quoted-printable UTF-8 text part then HTML
part, headers that decode to SUBJECT (unless it is "-"), FROM, REPLY_TO and LIST_UNSUBSCRIBE
('' for one that must be absent), and parts that decode to the text of the
files TEXT and HTML exactly (line ends aside: CRLF in the message)."""
import email
import email.policy
import sys


def main():
    path, text_path, html_path, subject, sender = sys.argv[1:6]
    reply_to = sys.argv[6] if len(sys.argv) > 6 else ""
    unsubscribe = sys.argv[7] if len(sys.argv) > 7 else ""
    raw = open(path, "rb").read()
    want_text = open(text_path, encoding="utf-8").read()
    want_html = open(html_path, encoding="utf-8").read()

    def check(name, good, detail=""):
        print(("PASS " if good else "FAIL ") + name + ("" if good or not detail else ": " + detail))

    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [(p.get_content_type(), d) for p in msg.walk() for d in p.defects]
    defects += [(k, d) for p in msg.walk() for k, v in p.items() for d in getattr(v, "defects", ())]
    old = email.message_from_bytes(raw, policy=email.policy.compat32)
    defects += [(p.get_content_type(), d) for p in old.walk() for d in p.defects]
    check("no defects", not defects, repr(defects[:3]))
    lines = raw.split(b"\r\n")
    check("every line ends with CRLF", b"\n" not in b"".join(lines) and raw.endswith(b"\r\n"))
    head, _, body = raw.partition(b"\r\n\r\n")
    long_head = [l for l in head.split(b"\r\n") if len(l) > 78]
    check("header lines within 78 characters", not long_head, repr(long_head[:1]))
    long_body = [l for l in body.split(b"\r\n") if len(l) > 76]
    check("body lines within 76 characters", not long_body, repr(long_body[:1]))
    check("ASCII only", all(b < 128 for b in raw))
    check("multipart/alternative", msg.get_content_type() == "multipart/alternative")
    parts = list(msg.iter_parts())
    check("a text part, then an HTML part",
          [p.get_content_type() for p in parts] == ["text/plain", "text/html"])
    for p in parts:
        kind = p.get_content_type()
        check(f"{kind}: quoted-printable", p["Content-Transfer-Encoding"] == "quoted-printable")
        check(f"{kind}: UTF-8", p.get_content_charset() == "utf-8")
    # Text travels in canonical form, lines ended by CRLF (RFC 2046 4.1.1),
    # and a mail program ends them as its system does: as the files do.
    got_text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    got_html = msg.get_body(("html",)).get_content().replace("\r\n", "\n")
    check("the text part is the text format, exactly", got_text == want_text,
          first_difference(got_text, want_text))
    check("the HTML part is the email format, exactly", got_html == want_html,
          first_difference(got_html, want_html))
    if subject != "-":
        check("Subject", str(msg["Subject"]) == subject, f"{msg['Subject']!r}")
    check("From", str(msg["From"]) == sender, f"{msg['From']!r}")
    check("Reply-To", str(msg["Reply-To"] or "") == reply_to, f"{msg['Reply-To']!r}")
    check("List-Unsubscribe", str(msg["List-Unsubscribe"] or "") ==
          (f"<{unsubscribe}>" if unsubscribe else ""), f"{msg['List-Unsubscribe']!r}")
    check("Date and Message-ID", msg["Date"] is not None and msg["Date"].datetime is not None
          and msg["Message-ID"] is not None)
    check("MIME-Version 1.0", msg["MIME-Version"] == "1.0")


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"at {i}: {a[i:i + 30]!r} vs {b[i:i + 30]!r}"
    return f"lengths {len(a)} and {len(b)}"


if __name__ == "__main__":
    main()
