#!/usr/bin/env python3
"""check_html.py FILE... - what in HTML would run or load in a reader's
browser: elements that run or embed content, event handler attributes,
javascript:, vbscript: and data: URLs in URL attributes (read as browsers
read them: character references decoded, blanks and controls ignored),
attribute values left unquoted. An Atom feed (*.xml) must be well-formed
XML, and the HTML its entries carry is checked the same way.

Prints one line per finding, "FILE:LINE: problem", and exits 1 if any."""
import html.parser
import re
import sys
import xml.etree.ElementTree as ET

BAD_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "form", "base",
            "frame", "frameset", "applet"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "background", "cite",
             "data", "codebase", "srcset", "ping", "xlink:href"}
DANGER = re.compile(r"(javascript|vbscript|data):", re.I)
ATOM = "{http://www.w3.org/2005/Atom}"


def dangerous(url):
    """Whether a browser would read url with a scheme that runs or embeds."""
    u = "".join(c for c in url if c not in "\t\n\r").lstrip("".join(map(chr, range(33))))
    return DANGER.match(u) is not None


def unquoted(tag_text):
    """Names of the attributes of a start tag written without quotes."""
    names, i, s = [], 1, tag_text
    while i < len(s) and not s[i].isspace() and s[i] not in "/>":
        i += 1
    while i < len(s):
        while i < len(s) and (s[i].isspace() or s[i] == "/"):
            i += 1
        start = i
        while i < len(s) and not s[i].isspace() and s[i] not in "=/>":
            i += 1
        name = s[start:i]
        if not name:
            i += 1
            continue
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s) or s[i] != "=":
            continue
        i += 1
        while i < len(s) and s[i].isspace():
            i += 1
        if i < len(s) and s[i] in "\"'":
            end = s.find(s[i], i + 1)
            i = len(s) if end < 0 else end + 1
        else:
            names.append(name)
            while i < len(s) and not s[i].isspace() and s[i] != ">":
                i += 1
    return names


class Checker(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.problems = name, []

    def report(self, what):
        self.problems.append(f"{self.name}:{self.getpos()[0]}: {what}")

    def handle_starttag(self, tag, attrs):
        if tag in BAD_TAGS:
            self.report(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.report(f"event handler attribute {name} on <{tag}>")
            if name in URL_ATTRS and value and dangerous(value):
                self.report(f"{name}=\"{value[:40]}\" on <{tag}>")
        for name in unquoted(self.get_starttag_text() or ""):
            self.report(f"unquoted value of {name} on <{tag}>")

    handle_startendtag = handle_starttag


def check_html(name, text):
    c = Checker(name)
    c.feed(text)
    c.close()
    return c.problems


def check_feed(name, text):
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        return [f"{name}:{e.position[0]}: not well-formed XML"]
    problems = []
    for i, entry in enumerate(root.iter(ATOM + "entry"), 1):
        for el in entry:
            if el.get("type") in ("html", "xhtml") and el.text:
                problems += check_html(f"{name} entry {i} {el.tag[len(ATOM):]}", el.text)
    return problems


def main(paths):
    problems = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        problems += check_feed(path, text) if path.endswith(".xml") else check_html(path, text)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
