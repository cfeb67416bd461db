// live.js - the script the preview server (weekly serve) adds to every
// page: it listens to the page's event stream, reloads the page where it was
// scrolled to when it is rebuilt, and shows the issue's errors over the page
// (the last good version), its warnings in a bar that can be closed, and a
// draft's mark. The Makefile makes it the C string live_js (httpd.h).
(() => {
  const page = decodeURIComponent(location.pathname), key = 'weekly-scroll:' + page;
  const saved = sessionStorage.getItem(key);
  if (saved) {
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved), back = () => window.scrollTo(x, y);
    back();
    addEventListener('load', back);
  }
  const css = `
:host { all: initial; }
.overlay { position: fixed; inset: 0; z-index: 2147483646; background: rgba(20, 20, 24, .55);
  overflow: auto; font: 14px/1.45 system-ui, sans-serif; }
.panel { max-width: 60rem; margin: 3rem auto; background: #fff; color: #222; border-top: 6px solid #c62828;
  border-radius: 6px; padding: 1rem 1.25rem; box-shadow: 0 8px 32px rgba(0,0,0,.4); }
.panel h2 { font-size: 1.1rem; margin: 0 0 .75rem; color: #c62828; }
.panel p.note { color: #555; margin: 0 0 1rem; }
.item { margin: 0 0 1rem; }
.where { font: 600 13px ui-monospace, monospace; }
.msg { margin: .2rem 0; }
pre { margin: .3rem 0 0; padding: .5rem .75rem; background: #f6f6f6; border-radius: 4px; overflow-x: auto;
  font: 13px/1.4 ui-monospace, monospace; }
.caret { color: #c62828; font-weight: 700; }
.bar { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483645; background: #fff8e1; color: #5d4300;
  border-top: 2px solid #f9a825; font: 13px/1.4 system-ui, sans-serif; padding: .4rem 2.5rem .4rem 1rem;
  max-height: 40vh; overflow: auto; }
.bar summary { cursor: pointer; font-weight: 600; }
.bar .where { font-weight: 400; }
.close { position: absolute; right: .5rem; top: .2rem; border: 0; background: none; font-size: 1.3rem;
  cursor: pointer; color: inherit; }
.draft { position: fixed; top: .5rem; left: .5rem; z-index: 2147483645; background: #6a1b9a; color: #fff;
  font: 700 12px/1 system-ui, sans-serif; letter-spacing: .1em; padding: .35rem .6rem; border-radius: 3px;
  opacity: .85; pointer-events: none; }`;
  let root = null, known = { issue: null, all: null };
  function ui() {
    if (!root) {
      const host = document.createElement('weekly-live');
      root = host.attachShadow({ mode: 'open' });
      document.documentElement.appendChild(host);
    }
    root.replaceChildren();
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
    return root;
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // The column counts bytes of UTF-8; the caret goes under that character.
  function caretAt(line, column) {
    let bytes = 0, chars = 0;
    for (const ch of line) {
      if (bytes >= column - 1) break;
      const c = ch.codePointAt(0);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      chars += 1;
    }
    return [...line].slice(0, chars).map(ch => ch === '\t' ? '\t' : ' ').join('') + '^';
  }
  function where(d) {
    return d.file + (d.line ? ':' + d.line + (d.column ? ':' + d.column : '') : '');
  }
  function item(d) {
    const box = el('div', 'item');
    box.append(el('div', 'where', where(d)));
    box.append(el('div', 'msg', d.severity + ': ' + d.message + (d.rule ? ' [' + d.rule + ']' : '')));
    if (typeof d.source === 'string') {
      const pre = el('pre'), num = String(d.line) + ' | ';
      pre.append(num + d.source + '\n');
      if (d.column) pre.append(el('span', 'caret', ' '.repeat(num.length) + caretAt(d.source, d.column)));
      box.append(pre);
    }
    return box;
  }
  function render() {
    const issue = known.issue || {}, all = known.all || {};
    const diags = [...(issue.diagnostics || []), ...(all.diagnostics || [])];
    const errors = diags.filter(d => d.severity === 'error');
    const warnings = diags.filter(d => d.severity !== 'error');
    const r = ui();
    if (issue.draft) r.append(el('div', 'draft', 'DRAFT'));
    if (errors.length) {
      const overlay = el('div', 'overlay'), panel = el('div', 'panel');
      overlay.id = 'errors';
      panel.append(el('h2', '', errors.length === 1 ? '1 error' : errors.length + ' errors'));
      panel.append(el('p', 'note', 'The page below is the last version that built. ' +
                                   'Fix the source and save: this goes away.'));
      errors.forEach(d => panel.append(item(d)));
      overlay.append(panel);
      r.append(overlay);
    }
    const said = JSON.stringify(warnings);
    if (warnings.length && sessionStorage.getItem('weekly-closed:' + page) !== said) {
      const bar = el('div', 'bar'), details = el('details'), close = el('button', 'close', '\u00d7');
      bar.id = 'warnings';
      details.append(el('summary', '', warnings.length === 1 ? '1 warning' : warnings.length + ' warnings'));
      warnings.forEach(d => details.append(item(d)));
      close.title = 'Close';
      close.onclick = () => { sessionStorage.setItem('weekly-closed:' + page, said); bar.remove(); };
      bar.append(details, close);
      r.append(bar);
    }
  }
  // The page's ETag goes with its stream: the server says "reload" at once
  // if the page changed before the stream opened (or while its tab was
  // hidden: a hidden tab lets go of its stream, since browsers allow few
  // connections to one server).
  const etag = (document.currentScript && document.currentScript.dataset.etag) || '';
  let events = null;
  function reload() {
    sessionStorage.setItem(key, JSON.stringify([scrollX, scrollY]));
    location.reload();
  }
  function listen() {
    events = new EventSource('/_weekly/events?page=' + encodeURIComponent(page) +
                             '&etag=' + encodeURIComponent(etag));
    events.addEventListener('state', e => { known = JSON.parse(e.data); render(); });
    events.addEventListener('reload', reload);
    events.addEventListener('bye', () => { events.close(); events = null; });
  }
  document.addEventListener('visibilitychange', () => {
    if (document.hidden && events) {
      events.close();
      events = null;
    } else if (!document.hidden && !events) {
      listen();
    }
  });
  if (!document.hidden) listen();
})();
