/**
 * A small self-contained OpenAPI viewer for /api/docs: no CDN, no inline script (the CSP allows
 * only 'self' scripts). It renders operations grouped by tag with parameters, request body and
 * responses, resolving #/components/schemas references on demand.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ProxiCloud API</title>
<style>
  :root { color-scheme: light dark; --fg:#1b1f24; --muted:#57606a; --bg:#fff; --card:#f6f8fa; --line:#d0d7de; }
  @media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#8d96a0; --bg:#0d1117; --card:#161b22; --line:#30363d; } }
  body { font: 14px/1.5 system-ui, sans-serif; margin: 0; color: var(--fg); background: var(--bg); }
  header { padding: 16px 24px; border-bottom: 1px solid var(--line); }
  header h1 { margin: 0; font-size: 20px; } header p { margin: 4px 0 0; color: var(--muted); }
  main { padding: 16px 24px; max-width: 1100px; }
  input { width: 100%; padding: 8px; margin-bottom: 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--fg); }
  h2 { margin: 24px 0 8px; font-size: 17px; text-transform: capitalize; }
  details { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; background: var(--card); }
  summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 10px; align-items: baseline; }
  .m { font: 700 12px monospace; padding: 2px 6px; border-radius: 4px; color: #fff; min-width: 52px; text-align: center; }
  .get{background:#1f6feb}.post{background:#2da44e}.put{background:#bf8700}.patch{background:#8250df}.delete{background:#cf222e}
  code, pre { font-family: ui-monospace, monospace; font-size: 12px; }
  .body { padding: 0 12px 12px; } .muted { color: var(--muted); }
  pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow: auto; max-height: 360px; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
</style>
</head>
<body>
<header><h1>ProxiCloud API</h1><p>Generated from the server's route schemas — raw document: <a href="/api/openapi.json">/api/openapi.json</a></p></header>
<main><input id="filter" placeholder="Filter by path, tag or summary" aria-label="Filter operations"><div id="app">Loading…</div></main>
<script src="/api/docs/viewer.js"></script>
</body>
</html>
`;

export const DOCS_JS = `(function () {
  'use strict';
  var app = document.getElementById('app');
  var filter = document.getElementById('filter');
  var spec = null;
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { if (k === 'text') n.textContent = attrs[k]; else n.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }
  function resolve(schema, depth) {
    if (!schema || typeof schema !== 'object' || depth > 6) return schema;
    if (schema.$ref && schema.$ref.indexOf('#/components/schemas/') === 0) {
      var name = schema.$ref.slice('#/components/schemas/'.length);
      var target = spec.components && spec.components.schemas && spec.components.schemas[name];
      return target ? Object.assign({ title: name }, resolve(target, depth + 1)) : schema;
    }
    var out = Array.isArray(schema) ? [] : {};
    Object.keys(schema).forEach(function (k) { out[k] = resolve(schema[k], depth + 1); });
    return out;
  }
  function pre(obj) { return el('pre', { text: JSON.stringify(resolve(obj, 0), null, 2) }); }
  function operation(path, method, op) {
    var body = el('div', { class: 'body' });
    if (op.description) body.appendChild(el('p', { text: op.description }));
    var sec = op.security || spec.security || [];
    body.appendChild(el('p', { class: 'muted', text: sec.length === 0 ? 'No authentication required.' : 'Auth: ' + sec.map(function (s) { return Object.keys(s).join('+'); }).join(' or ') }));
    if (op.parameters && op.parameters.length) {
      var rows = op.parameters.map(function (p) {
        return el('tr', null, [el('td', null, [el('code', { text: p.name })]), el('td', { text: p.in }), el('td', { text: p.required ? 'required' : '' }), el('td', null, [el('code', { text: JSON.stringify(resolve(p.schema, 0)) })])]);
      });
      body.appendChild(el('h4', { text: 'Parameters' }));
      body.appendChild(el('table', null, rows));
    }
    if (op.requestBody && op.requestBody.content) {
      Object.keys(op.requestBody.content).forEach(function (ct) {
        body.appendChild(el('h4', { text: 'Request body (' + ct + ')' }));
        body.appendChild(pre(op.requestBody.content[ct].schema));
      });
    }
    Object.keys(op.responses || {}).forEach(function (code) {
      var r = op.responses[code];
      body.appendChild(el('h4', { text: 'Response ' + code + (r.description ? ' — ' + r.description : '') }));
      if (r.content) Object.keys(r.content).forEach(function (ct) { body.appendChild(pre(r.content[ct].schema)); });
    });
    var d = el('details', { 'data-search': (method + ' ' + path + ' ' + (op.tags || []).join(' ') + ' ' + (op.summary || '')).toLowerCase() }, [
      el('summary', null, [el('span', { class: 'm ' + method, text: method.toUpperCase() }), el('code', { text: path }), el('span', { class: 'muted', text: op.summary || '' })]),
      body,
    ]);
    return d;
  }
  function render() {
    app.textContent = '';
    var groups = {};
    Object.keys(spec.paths || {}).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method];
        var tag = (op.tags && op.tags[0]) || 'other';
        (groups[tag] = groups[tag] || []).push(operation(path, method, op));
      });
    });
    var order = (spec.tags || []).map(function (t) { return t.name; });
    Object.keys(groups).sort(function (a, b) { return (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99); }).forEach(function (tag) {
      var info = (spec.tags || []).filter(function (t) { return t.name === tag; })[0];
      app.appendChild(el('section', { 'data-tag': tag }, [el('h2', { text: tag }), info && info.description ? el('p', { class: 'muted', text: info.description }) : null].concat(groups[tag])));
    });
  }
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    Array.prototype.forEach.call(document.querySelectorAll('details[data-search]'), function (d) { d.style.display = d.getAttribute('data-search').indexOf(q) >= 0 ? '' : 'none'; });
  });
  fetch('/api/openapi.json').then(function (r) { return r.json(); }).then(function (s) { spec = s; document.title = (s.info && s.info.title) || document.title; render(); })
    .catch(function (e) { app.textContent = 'Could not load /api/openapi.json: ' + e; });
})();
`;
