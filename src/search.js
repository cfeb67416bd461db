/* search.js - search every item of the archive, in the reader's browser,
 * from the files `weekly build --all` writes beside this script (see
 * include/weekly/search.h). No server, no framework: each file is a script
 * that hands its data to weeklySearch, so pages work from file:// too.
 *
 * The page gives a form#search with an input[name=q] and an element
 * #search-results; ?q=WORDS in the page's address searches at once. The
 * script's data-shards names the number of shards, so that a query loads
 * its shards with the delta at once; each shard says the number again, and
 * when one is missing or says another, about.js tells it. */
(function () {
  "use strict";
  var SHOW = 30, MAX_TERM = 48, CHUNK = 16;
  var base = document.currentScript.src.replace(/[^\/]*$/, "");
  var shards = {}, issues = {}, loaded = {}, seq = 0; /* shards by "COUNT:ID" */
  var about = { shards: +document.currentScript.getAttribute("data-shards") || 0 };
  var delta = { gone: {}, terms: {} }; /* the issues changed since the shards */

  window.weeklySearch = {
    shard: function (id, count, terms) { shards[count + ":" + id] = terms; },
    issue: function (is) { issues[is.n] = is; },
    about: function (a) { about = a; },
    delta: function (nums, terms) {
      var gone = {};
      nums.forEach(function (n) { gone[n] = true; });
      delta = { gone: gone, terms: terms };
    },
    terms: function (text) { return terms(text); }
  };

  /* Load each file once, then call done. */
  function load(names, done) {
    var left = 0;
    function one() { if (--left === 0) done(); }
    names.forEach(function (name) {
      if (loaded[name] === true) return;
      left++;
      if (loaded[name]) { loaded[name].push(one); return; }
      loaded[name] = [one];
      var s = document.createElement("script");
      s.src = base + name;
      s.onload = s.onerror = function () {
        var wait = loaded[name];
        loaded[name] = true;
        wait.forEach(function (f) { f(); });
      };
      document.head.appendChild(s);
    });
    if (left === 0) done();
  }

  /* --- terms: the rules of search_terms in search_terms.c --- */
  function isCjk(c) {
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2fa1f);
  }
  function isWord(c) {
    if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (c < 0xc0 || c === 0xd7 || c === 0xf7) return false;
    if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
        (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef) ||
        (c >= 0xd800 && c <= 0xf8ff) || c >= 0x1f000) return false;
    return !isCjk(c);
  }
  function utf8Length(cps) {
    return cps.reduce(function (n, c) { return n + (c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4); }, 0);
  }
  function str(cps) {
    return cps.map(function (c) { return String.fromCodePoint((c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ? c + 32 : c); }).join("");
  }
  function word(cps, out) {
    if (utf8Length(cps) > MAX_TERM) return;
    var w = str(cps);
    out.push(w);
    if (w.indexOf(".") >= 0) w.split(".").forEach(function (p) { out.push(p); });
  }
  function terms(text) {
    var cps = Array.from(text, function (ch) { return ch.codePointAt(0); });
    var out = [], i = 0, n = cps.length;
    while (i < n) {
      var c = cps[i], end = i;
      if (isCjk(c)) {
        while (end < n && isCjk(cps[end])) end++;
        if (end - i === 1) out.push(str([c]));
        for (var k = i; k + 1 < end; k++) out.push(str([cps[k], cps[k + 1]]));
        i = end;
      } else if (isWord(c)) {
        while (end < n && (isWord(cps[end]) || (cps[end] === 46 && end > i && end + 1 < n && isWord(cps[end + 1])))) end++;
        word(cps.slice(i, end), out);
        i = end;
      } else {
        i++;
      }
    }
    return out;
  }
  function shardOf(term, count) {
    var bytes = new TextEncoder().encode(term), h = 2166136261;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
    return ("00" + (h & (count - 1)).toString(16)).slice(-3);
  }
  /* The shard files of words among count shards (none while unknown). */
  function shardFiles(words, count) {
    return count ? words.map(function (w) { return "p/" + shardOf(w, count) + ".js"; }) : [];
  }
  /* Where term's shard among count shards is kept, once loaded. */
  function shardKey(term, count) { return count + ":" + shardOf(term, count); }
  /* Whether the shards of words among count shards are here. */
  function haveShards(words, count) {
    return count > 0 && words.every(function (w) { return shardKey(w, count) in shards; });
  }

  /* --- matching --- */
  /* The shard's postings of term but those of issues in the delta, and the
   * delta's. */
  function postings(term) {
    var list = (shards[shardKey(term, about.shards)] || {})[term], more = delta.terms[term];
    list = list ? list.split(",").filter(function (p) { return !delta.gone[parseInt(p, 10)]; }) : [];
    return more ? more.split(",").concat(list) : list;
  }
  /* Items that have every term: [{n, k, title}], best first. */
  function match(words) {
    var hits = null;
    words.forEach(function (w) {
      var next = {};
      postings(w).forEach(function (p) {
        var title = p.charAt(p.length - 1) === "!", id = title ? p.slice(0, -1) : p;
        if (hits && !hits[id]) return;
        var h = hits ? hits[id] : { id: id, title: 0 };
        next[id] = { id: id, title: h.title + (title ? 1 : 0) };
      });
      hits = next;
    });
    var list = Object.keys(hits || {}).map(function (id) {
      var dot = id.indexOf(".");
      return { n: +id.slice(0, dot), k: +id.slice(dot + 1), title: hits[id].title };
    });
    return list.sort(function (a, b) { return b.title - a.title || b.n - a.n || a.k - b.k; });
  }

  /* --- the page --- */
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    Object.keys(attrs || {}).forEach(function (a) { e.setAttribute(a, attrs[a]); });
    return e;
  }
  function safe(url) { return /^(https?:|mailto:|\/|#|\.)/i.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url); }
  function show(out, found, words, started) {
    out.textContent = "";
    /* the page's words (data-* of #search-results, the newsletter's
     * strings), or, on a page made from a template older than them,
     * the English ones */
    var d = out.dataset, n = found.length;
    var say = n === 0 ? (words.length > 1 ? d.noneAll || "No item has all of these words."
                                          : d.none || "No item has this word.")
      : n > SHOW ? d.first || "{n} items, the first {shown}:"
      : n === 1 && d.foundOne !== "" ? d.foundOne || "{n} item:" : d.found || "{n} items:";
    say = say.replace("{n}", n).replace("{shown}", SHOW);
    out.appendChild(el("p", say, { "class": "search-count" }));
    var ol = el("ol", "", { "class": "search-list" });
    found.slice(0, SHOW).forEach(function (f) {
      var is = issues[f.n], it = is && is.items[f.k];
      if (!it) return;
      var li = el("li"), url = it[2] && safe(it[2]) ? it[2] : is.page + (it[3] ? "#" + it[3] : "");
      li.appendChild(el("a", it[1] || it[2] || "(untitled)", { href: url }));
      var where = el("span", "", { "class": "note" });
      where.appendChild(el("a", "#" + is.n + (is.title ? " " + is.title : ""), { href: is.page }));
      where.appendChild(document.createTextNode(" · " + is.date + " · " + it[0]));
      li.appendChild(el("br"));
      li.appendChild(where);
      ol.appendChild(li);
    });
    out.appendChild(ol);
    out.setAttribute("data-ms", (performance.now() - started).toFixed(1));
    out.setAttribute("data-count", found.length);
    out.setAttribute("data-files", Object.keys(loaded).join(" "));
  }
  function search(q, out) {
    var started = performance.now(), mine = ++seq;
    var words = terms(q).filter(function (w, i, all) { return w && all.indexOf(w) === i; });
    if (!words.length) { out.textContent = ""; return; }
    load(["d.js"].concat(shardFiles(words, about.shards)), function () {
      if (mine !== seq) return;
      if (haveShards(words, about.shards)) matched();
      else load(["about.js"], function () {
        if (mine === seq) load(shardFiles(words, about.shards), matched);
      });
    });
    function matched() {
      if (mine !== seq) return;
      var found = match(words), need = {};
      found.slice(0, SHOW).forEach(function (f) { need["c/" + Math.floor(f.n / CHUNK) + ".js"] = 1; });
      load(Object.keys(need), function () {
        if (mine === seq) show(out, found, words, started);
      });
    }
  }

  var form = document.getElementById("search"), out = document.getElementById("search-results");
  if (!form || !out) return;
  var input = form.elements.q;
  form.addEventListener("submit", function (e) { e.preventDefault(); search(input.value, out); });
  input.addEventListener("input", function () { search(input.value, out); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; search(q, out); }
  window.weeklySearch.search = function (text) { input.value = text; search(text, out); };
})();
