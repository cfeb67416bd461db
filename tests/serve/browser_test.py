#!/usr/bin/env python3
"""browser_test.py - editing an issue with its page open in headless
chromium, served by `weekly serve --drafts`: a save shows the new text
without a manual reload, where the page was scrolled to; an error shows
over the last good page at its FILE:LINE:COL with the source line, and goes
when fixed; warnings show in a bar that closes; a hidden tab lets go of
its stream and reloads when shown if it missed a save; a draft is marked;
an issue with errors from the start shows them on its (missing) page. Skipped, and
said so, without chromium or python3-websocket."""
import os
import shutil
import sys
from cdp import Browser, unavailable
from serving import Server, check, read, scratch, skip, write

LIVE = "document.querySelector('weekly-live')?.shadowRoot"
ERRORS = f"{LIVE}?.querySelector('#errors')?.innerText"
WARNINGS = f"{LIVE}?.querySelector('#warnings')?.textContent"
DRAFT = f"{LIVE}?.querySelector('.draft')?.innerText"
TEXT = "document.body.innerText"


def js(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def live_edit(b, srv, folder):
    text = read(folder, "issues/015.md")
    old = "How to Profile the Performance of Asynchronous Requests in FastAPI"
    check("015.html opens", b.open(srv.url + "015.html") and old in b.eval(TEXT))
    b.eval("window.scrollTo(0, 1500); window.notReloaded = true")
    new = "Profiling Asynchronous FastAPI, Seen Live"
    write(folder, "issues/015.md", text.replace(old, new, 1))
    seen = b.until(f"{TEXT}.includes({js(new)}) && !window.notReloaded", 10)
    check("a save shows the new text, the page reloaded by itself", seen)
    check("where it was scrolled to", b.until("Math.abs(scrollY - 1500) < 2", 5),
          b.eval("scrollY"))
    return text.replace(old, new, 1), new


def overlay(b, srv, folder, good, new):
    lines = good.split("\n")
    at = lines.index("## 🐿️Projects & Resources")
    bad = "\n".join(lines[:at] + ["## Recipes", ""] + lines[at:])
    write(folder, "issues/015.md", bad)
    where = f"issues/015.md:{at + 1}:1"
    shown = b.until(f"{ERRORS} || ''", 10) or ""
    check("an error shows over the page", "1 error" in shown, shown[:200])
    check(f"at {where}, with its message", where in shown and "'Recipes'" in shown, shown[:300])
    check("and its source line under a caret", "## Recipes\n" in shown and "^" in shown, shown[:300])
    check("over the last good version", new in b.eval(TEXT))
    check("the page was not reloaded for it", b.eval("window.stillHere === true"))
    write(folder, "issues/015.md", good)
    check("fixed: the overlay goes away", b.until(f"!({ERRORS})", 10))


def warnings(b, srv, folder):
    bar = b.until(f"{WARNINGS}", 10) or ""
    check("warnings in a bar", "1 warning" in bar and "issues/015.md:" in bar and "alt text" in bar, bar[:200])
    b.eval(f"{LIVE}.querySelector('#warnings .close').click()")
    check("the bar closes", b.until(f"!({WARNINGS})", 5))
    b.eval("location.reload()")
    b.event("Page.loadEventFired")
    check("and stays closed for the same warnings", b.until(f"!!{LIVE}", 5) and not b.eval(f"!!({WARNINGS})"))


def visibility(hidden):
    return (f"Object.defineProperty(document, 'hidden', {{value: {hidden}, configurable: true}});"
            "document.dispatchEvent(new Event('visibilitychange'))")


def hidden_tab(b, srv, folder, good):
    b.open(srv.url + "015.html")
    b.until(f"!!{LIVE}", 5)
    b.eval(visibility("true") + "; window.notReloaded = true")
    write(folder, "issues/015.md", good + "\nSaved while the tab was hidden.\n")
    srv.builds()
    b.eval("new Promise(r => setTimeout(r, 500))")
    check("a hidden tab lets go of its stream: not reloaded", b.eval("window.notReloaded === true"))
    b.eval(visibility("false"))
    check("shown again, it reloads for the save it missed",
          b.until(f"{TEXT}.includes('Saved while the tab was hidden.') && !window.notReloaded", 10))
    b.eval(visibility("true") + "; window.notReloaded = true")
    b.eval(visibility("false"))
    b.eval("new Promise(r => setTimeout(r, 500))")
    check("and not when nothing changed", b.eval("window.notReloaded === true"))
    write(folder, "issues/015.md", good)
    check("listening again", b.until(f"!{TEXT}.includes('Saved while the tab was hidden.')", 10))


def draft(b, srv, folder, good):
    text = good.replace("number: 15", "number: 16\ndraft: true", 1)
    write(folder, "issues/016.md", text)
    srv.builds()
    check("a draft is served", b.open(srv.url + "016.html"))
    check("marked as a draft", b.until(f"{DRAFT}", 10) == "DRAFT")
    b.open(srv.url + "015.html")
    check("other issues are not", b.until(f"!!{LIVE}", 5) and not b.eval(f"!!({DRAFT})"))


def broken_from_start(b, srv, folder, good):
    b.open(srv.url + "017.html")
    check("a page not built yet is 'not found', and listens", b.until(f"!!{LIVE}", 10)
          and "not in the output folder" in b.eval(TEXT))
    write(folder, "issues/017.md", good.replace("number: 15", "number: 17", 1)
          .replace("## 🦄Articles & Tutorials", "## Nonsense", 1))
    shown = b.until(f"{ERRORS} || ''", 10) or ""
    check("an issue that never built shows its errors on its page",
          "issues/017.md:6:1" in shown and "'Nonsense'" in shown, shown[:200])
    write(folder, "issues/017.md", good.replace("number: 15", "number: 17", 1))
    check("and the page once it builds", b.until(f"{TEXT}.includes('Podcasts') && !({ERRORS})", 10))


def main():
    why = unavailable()
    if why:
        skip("editing issues live in chromium", why)
        return 0
    folder = scratch()
    srv = b = None
    try:
        srv = Server(folder, "--drafts")
        b = Browser()
        good, new = live_edit(b, srv, folder)
        b.eval("window.stillHere = true")
        overlay(b, srv, folder, good, new)
        warnings(b, srv, folder)
        hidden_tab(b, srv, folder, good)
        draft(b, srv, folder, good)
        broken_from_start(b, srv, folder, good)
        check("no script errors in the pages", not b.errors, b.errors[:3])
    except (OSError, RuntimeError) as e:
        check("the browser runs the pages", False, e)
    finally:
        if b:
            b.close()
        if srv:
            srv.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if __import__("serving").failures else 0


if __name__ == "__main__":
    sys.exit(main())
