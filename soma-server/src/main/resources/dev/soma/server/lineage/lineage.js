/* Soma lineage page. Plain ES5 (no build step, no library, no CDN): fetches /models and the server's layout
   (/lineage/layout.json: ELK layered, edges routed orthogonally around the nodes), scales it to fit left of the
   detail panel (down to MIN_SCALE, then it scrolls), and draws only what is on screen, so 10,000 models stay
   responsive. The box geometry matches dev.soma.server.internal.lineage.LineageLayout. */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var LABEL_LEFT = 13, DOT_RIGHT = 11, DOT_RADIUS = 4, MIN_SCALE = 0.6, MAX_EDGES = 4000, PANEL_W = 360;
  var PALETTE = ['#7c5cff', '#18a0fb', '#12b886', '#f59f00', '#f0506e', '#845ef7', '#0ca678', '#e8590c', '#3b5bdb'];
  var KIND_COLOR = { source: '#8a94a8', seed: '#b08968' };

  var nodes = [], byId = {}, byName = {}, edges = [], layers = [], schemaColor = {}, selected = null, related = {};
  var graph = { width: 0, height: 0 }, scale = 1;
  var viewport = document.getElementById('viewport');
  var sizer = document.getElementById('sizer');
  var svg = document.getElementById('graph');
  var panel = document.getElementById('panel');
  var search = document.getElementById('search');
  var results = document.getElementById('results');
  var pending = false;

  function get(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4) {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        done(xhr.status, body);
      }
    };
    xhr.send(null);
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) { if (attrs.hasOwnProperty(k)) { e.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function html(tag, cls, text, parent) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== null && text !== undefined) { e.appendChild(document.createTextNode(String(text))); }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  /* The width left of the detail panel: the viewport's own, never more than the window less the panel. */
  function viewWidth() {
    var room = (window.innerWidth || 1200) - (panel.offsetWidth || PANEL_W);
    var own = viewport.clientWidth;
    return Math.max(200, own > 0 ? Math.min(own, room) : room);
  }

  function viewHeight() {
    var own = viewport.clientHeight;
    return Math.max(200, own > 0 ? own : (window.innerHeight || 800) - 52);
  }

  function layout(list, placed) {
    var i, j, n, p;
    nodes = list;
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      n.parents = []; n.children = [];
      byId[n.unique_id] = n; byName[n.name] = n;
    }
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      var deps = n.depends_on || [];
      for (j = 0; j < deps.length; j++) {
        p = byId[deps[j]];
        if (p) { n.parents.push(p); p.children.push(n); }
      }
    }
    graph.width = placed.width; graph.height = placed.height;
    layers = placed.layers;
    for (i = 0; i < placed.nodes.length; i++) {
      var box = placed.nodes[i];
      n = byId[box.id];
      if (!n) { continue; }
      n.x = box.x; n.y = box.y; n.w = box.width; n.h = box.height; n.label = box.label; n.labelWidth = box.label_width;
    }
    for (i = 0; i < placed.edges.length; i++) {
      var e = placed.edges[i], a = byName[e.from], b = byName[e.to];
      if (!a || !b) { continue; }
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (j = 0; j < e.points.length; j++) {
        x0 = Math.min(x0, e.points[j].x); x1 = Math.max(x1, e.points[j].x);
        y0 = Math.min(y0, e.points[j].y); y1 = Math.max(y1, e.points[j].y);
      }
      edges.push({ from: a, to: b, points: e.points, x0: x0, y0: y0, x1: x1, y1: y1 });
    }
    var colorIndex = 0;
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      if (n.resource_type !== 'source' && n.resource_type !== 'seed' && n.schema && !schemaColor[n.schema]) {
        schemaColor[n.schema] = PALETTE[colorIndex++ % PALETTE.length];
      }
    }
  }

  function color(n) {
    return KIND_COLOR[n.resource_type] || schemaColor[n.schema] || '#18a0fb';
  }

  function statusColor(status) {
    if (status === 'success' || status === 'pass') { return '#2fb364'; }
    if (status === 'error' || status === 'fail') { return '#e5484d'; }
    if (status === 'warn' || status === 'skipped') { return '#f5a524'; }
    return '#c7cdd8';
  }

  function schedule() {
    if (pending) { return; }
    pending = true;
    var later = window.requestAnimationFrame || function (f) { return setTimeout(f, 16); };
    later(function () { pending = false; draw(); });
  }

  function path(points) {
    var d = '';
    for (var i = 0; i < points.length; i++) { d += (i ? ' L' : 'M') + points[i].x + ',' + points[i].y; }
    return d;
  }

  function draw() {
    var w = viewWidth(), h = viewHeight();
    scale = Math.min(1, Math.max(MIN_SCALE, graph.width ? w / graph.width : 1));
    sizer.style.width = Math.ceil(graph.width * scale) + 'px';
    sizer.style.height = Math.ceil(graph.height * scale) + 'px';
    var sx = viewport.scrollLeft || 0, sy = viewport.scrollTop || 0;
    // What is visible, in layout coordinates, with a margin.
    var vx = sx / scale, vy = sy / scale, vw = w / scale, vh = h / scale;
    var x0 = vx - 40, x1 = vx + vw + 40, y0 = vy - 40, y1 = vy + vh + 40;
    svg.setAttribute('width', w); svg.setAttribute('height', h);
    svg.setAttribute('data-scale', scale);
    svg.style.left = sx + 'px'; svg.style.top = sy + 'px';
    svg.setAttribute('viewBox', vx + ' ' + vy + ' ' + vw + ' ' + vh);
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var i, n;
    var bands = el('g', {}, svg);
    for (i = 0; i < layers.length; i++) {
      var layer = layers[i], bx = layer.x - 15;
      if (bx + layer.width + 30 < x0 || bx > x1) { continue; }
      el('rect', { 'class': 'band' + (i % 2 ? ' odd' : ''), x: bx, y: vy, width: layer.width + 30, height: vh }, bands);
      var t = el('text', { 'class': 'layer-title', x: layer.x, y: vy + 24 }, bands);
      t.appendChild(document.createTextNode(layer.title === 'sources' || !layer.title ? (layer.title || '') : layer.title));
      var ct = el('text', { 'class': 'layer-count', x: layer.x, y: vy + 40 }, bands);
      ct.appendChild(document.createTextNode(layer.count + (layer.count === 1 ? ' node' : ' nodes')));
    }
    var edgeLayer = el('g', {}, svg);
    var drawn = 0;
    for (i = 0; i < edges.length && drawn < MAX_EDGES; i++) {
      var e = edges[i];
      if (e.x1 < x0 || e.x0 > x1 || e.y1 < y0 || e.y0 > y1) { continue; }
      var hot = selected && (e.from === selected || e.to === selected);
      el('path', { 'class': 'edge' + (hot ? ' hot' : ''), 'data-from': e.from.name, 'data-to': e.to.name,
        d: path(e.points) }, edgeLayer);
      drawn++;
    }
    var nodeLayer = el('g', {}, svg);
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      if (n.x === undefined || n.x + n.w < x0 || n.x > x1 || n.y + n.h < y0 || n.y > y1) { continue; }
      var cls = 'node' + (n === selected ? ' selected' : related[n.unique_id] ? ' related' : selected ? ' dim' : '');
      var g = el('g', { 'class': cls, 'data-name': n.name, transform: 'translate(' + n.x + ',' + n.y + ')' }, nodeLayer);
      el('rect', { 'class': 'box', x: 0, y: 0, rx: 6, ry: 6, width: n.w, height: n.h }, g);
      el('rect', { x: 0, y: 0, rx: 2, ry: 2, width: 5, height: n.h, fill: color(n) }, g);
      el('circle', { 'class': 'status', cx: n.w - DOT_RIGHT, cy: n.h / 2, r: DOT_RADIUS, fill: statusColor(n.last_status) }, g);
      // The label is set in a monospace font and held to the width the layout gave it, so it ends before the dot.
      var text = el('text', { 'class': 'label', x: LABEL_LEFT, y: 16, textLength: n.labelWidth,
        lengthAdjust: 'spacingAndGlyphs' }, g);
      text.appendChild(document.createTextNode(n.label));
      var tip = el('title', {}, g);
      tip.appendChild(document.createTextNode(n.name + ' \u00b7 ' + (n.materialized || n.resource_type)
        + (n.last_status ? ' \u00b7 ' + n.last_status : '')));
      g.addEventListener('click', clicker(n), false);
    }
  }

  function clicker(n) {
    return function () { select(n, false); };
  }

  function select(n, scroll) {
    selected = n; related = {};
    var i;
    for (i = 0; i < n.parents.length; i++) { related[n.parents[i].unique_id] = true; }
    for (i = 0; i < n.children.length; i++) { related[n.children[i].unique_id] = true; }
    if (scroll && n.x !== undefined) {
      viewport.scrollLeft = Math.max(0, (n.x + n.w / 2) * scale - viewWidth() / 2);
      viewport.scrollTop = Math.max(0, (n.y + n.h / 2) * scale - viewHeight() / 2);
    }
    draw();
    showDetail(n);
  }

  function showDetail(n) {
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    html('h2', null, n.name, panel);
    var meta = html('p', 'meta', (n.materialized || n.resource_type) + (n.relation ? ' \u00b7 ' + n.relation : '') + ' ', panel);
    html('span', 'pill ' + (n.last_status || ''), n.last_status || 'not run', meta);
    var loading = html('p', 'meta', 'Loading\u2026', panel);
    get('/models/' + encodeURIComponent(n.name), function (status, body) {
      if (selected !== n) { return; }
      panel.removeChild(loading);
      if (status !== 200 || !body) {
        html('p', 'desc', body && body.message ? body.message : 'Could not load this model (HTTP ' + status + ').', panel);
        return;
      }
      html('p', 'desc', body.description || 'No description yet.', panel);
      html('h3', null, 'Columns (' + body.columns.length + ')', panel);
      var table = html('table', 'columns', null, panel);
      for (var i = 0; i < body.columns.length; i++) {
        var c = body.columns[i], tr = html('tr', null, null, table);
        var name = html('td', 'col', c.name, tr);
        if (c.description) { html('div', 'doc', c.description, name); }
        html('td', 'type', c.type || '', tr);
      }
      if (!body.columns.length) { html('p', 'meta', 'None declared, and not built yet.', panel); }
      html('h3', null, 'Tests (' + body.tests.length + ')', panel);
      var tests = html('table', 'tests', null, panel);
      for (var t = 0; t < body.tests.length; t++) {
        var test = body.tests[t], row = html('tr', null, null, tests);
        html('td', 'col', test.test_name + (test.column ? ' \u00b7 ' + test.column : ''), row);
        var cell = html('td', null, null, row);
        html('span', 'pill ' + (test.last_status || ''), test.last_status || 'not run', cell);
      }
      links('Parents', body.parents);
      links('Children', body.children);
    });
  }

  function links(title, ids) {
    html('h3', null, title + ' (' + ids.length + ')', panel);
    var box = html('div', 'links', null, panel);
    for (var i = 0; i < ids.length; i++) {
      var n = byId[ids[i]];
      if (!n) { continue; }
      var a = html('a', null, n.name, box);
      a.href = '#' + encodeURIComponent(n.name);
      a.onclick = jumper(n);
    }
  }

  function jumper(n) {
    return function (event) { if (event && event.preventDefault) { event.preventDefault(); } select(n, true); return false; };
  }

  function find(text) {
    var q = text.toLowerCase(), hits = [];
    for (var i = 0; i < nodes.length && hits.length < 20; i++) {
      if (nodes[i].name.toLowerCase().indexOf(q) >= 0) { hits.push(nodes[i]); }
    }
    return hits;
  }

  function showResults() {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    var q = search.value.replace(/^\s+|\s+$/g, '');
    if (!q) { results.hidden = true; return; }
    var hits = find(q);
    for (var i = 0; i < hits.length; i++) {
      var li = html('li', i === 0 ? 'active' : null, null, results);
      html('span', null, hits[i].name, li);
      html('span', 'kind', hits[i].materialized || hits[i].resource_type, li);
      li.onclick = picker(hits[i]);
    }
    if (!hits.length) { html('li', null, 'No model matches \u201c' + q + '\u201d', results); }
    results.hidden = false;
  }

  function picker(n) {
    return function () { results.hidden = true; search.value = n.name; select(n, true); };
  }

  function legend() {
    var box = document.getElementById('legend');
    var entries = [['sources', KIND_COLOR.source]];
    for (var s in schemaColor) { if (schemaColor.hasOwnProperty(s)) { entries.push([s, schemaColor[s]]); } }
    for (var i = 0; i < entries.length && i < 6; i++) {
      var span = html('span', null, null, box);
      var swatch = html('i', null, null, span);
      swatch.style.background = entries[i][1];
      span.appendChild(document.createTextNode(entries[i][0]));
    }
  }

  search.oninput = showResults;
  search.onkeyup = function (event) {
    if (event.keyCode === 13) {
      var hits = find(search.value.replace(/^\s+|\s+$/g, ''));
      if (hits.length) { results.hidden = true; select(hits[0], true); }
    } else if (event.keyCode === 27) {
      results.hidden = true;
    } else {
      showResults();
    }
  };
  viewport.onscroll = schedule;
  window.onresize = schedule;

  get('/models', function (status, body) {
    if (status !== 200 || !body) {
      html('p', 'meta', 'Could not load /models (HTTP ' + status + ').', panel);
      return;
    }
    get('/lineage/layout.json', function (layoutStatus, placed) {
      if (layoutStatus !== 200 || !placed) {
        html('p', 'meta', 'Could not load /lineage/layout.json (HTTP ' + layoutStatus + ').', panel);
        return;
      }
      var project = document.getElementById('project');
      project.appendChild(document.createTextNode('project '));
      html('b', null, body.project, project);
      project.appendChild(document.createTextNode(' \u00b7 ' + body.models.length + ' nodes'));
      layout(body.models, placed);
      legend();
      draw();
      var wanted = decodeURIComponent((window.location.hash || '').replace(/^#/, ''));
      if (wanted && byName[wanted]) { select(byName[wanted], true); }
      document.body.setAttribute('data-ready', 'true');
    });
  });
})();
