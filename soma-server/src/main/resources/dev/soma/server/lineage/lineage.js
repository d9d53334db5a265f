/* Soma lineage page. Plain ES5 (no build step, no library, no CDN): fetches /models, lays the graph out
   in layers by depth (sources left, marts right), and draws only what is on screen, so 10,000 models
   stay responsive. */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var COL_W = 250, NODE_W = 200, NODE_H = 24, ROW_H = 32, TOP = 56, LEFT = 30, MAX_EDGES = 4000;
  var PALETTE = ['#7c5cff', '#18a0fb', '#12b886', '#f59f00', '#f0506e', '#845ef7', '#0ca678', '#e8590c', '#3b5bdb'];
  var KIND_COLOR = { source: '#8a94a8', seed: '#b08968' };

  var nodes = [], byId = {}, byName = {}, edges = [], layers = [], schemaColor = {}, selected = null, related = {};
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

  function layout(list) {
    var i, j, n;
    nodes = list;
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      n.parents = []; n.children = []; n.depth = 0;
      byId[n.unique_id] = n; byName[n.name] = n;
    }
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      var deps = n.depends_on || [];
      for (j = 0; j < deps.length; j++) {
        var p = byId[deps[j]];
        if (p) { n.parents.push(p); p.children.push(n); edges.push({ from: p, to: n }); }
      }
    }
    // /models lists nodes in dependency order, so one pass gives each node its longest path from a root.
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      for (j = 0; j < n.parents.length; j++) {
        if (n.parents[j].depth + 1 > n.depth) { n.depth = n.parents[j].depth + 1; }
      }
      if (!layers[n.depth]) { layers[n.depth] = []; }
      layers[n.depth].push(n);
    }
    for (i = 0; i < layers.length; i++) {
      var layer = layers[i] || [];
      layers[i] = layer;
      // Order each layer by the mean row of its parents (one barycentre pass): fewer crossings, related nodes close.
      for (j = 0; j < layer.length; j++) {
        n = layer[j];
        if (n.parents.length) {
          var sum = 0;
          for (var k = 0; k < n.parents.length; k++) { sum += n.parents[k].row; }
          n.key = sum / n.parents.length;
        } else {
          n.key = j;
        }
      }
      layer.sort(function (a, b) { return a.key - b.key || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
      var counts = {};
      for (j = 0; j < layer.length; j++) {
        n = layer[j];
        n.row = j; n.x = LEFT + i * COL_W; n.y = TOP + j * ROW_H;
        var label = n.resource_type === 'source' ? 'sources' : (n.schema || n.resource_type);
        counts[label] = (counts[label] || 0) + 1;
      }
      var best = null;
      for (var c in counts) { if (counts.hasOwnProperty(c) && (best === null || counts[c] > counts[best])) { best = c; } }
      layer.title = best || '';
    }
    var colorIndex = 0;
    for (i = 0; i < nodes.length; i++) {
      n = nodes[i];
      if (n.resource_type !== 'source' && n.resource_type !== 'seed' && n.schema && !schemaColor[n.schema]) {
        schemaColor[n.schema] = PALETTE[colorIndex++ % PALETTE.length];
      }
    }
    var tallest = 0;
    for (i = 0; i < layers.length; i++) { tallest = Math.max(tallest, layers[i].length); }
    sizer.style.width = (LEFT * 2 + Math.max(1, layers.length) * COL_W) + 'px';
    sizer.style.height = (TOP + tallest * ROW_H + 40) + 'px';
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

  function label(name) {
    return name.length > 27 ? name.substring(0, 26) + '\u2026' : name;
  }

  function draw() {
    var sx = viewport.scrollLeft, sy = viewport.scrollTop;
    var w = viewport.clientWidth || 1200, h = viewport.clientHeight || 800;
    var x0 = sx - COL_W, x1 = sx + w + COL_W, y0 = sy - ROW_H * 2, y1 = sy + h + ROW_H * 2;
    svg.setAttribute('width', w); svg.setAttribute('height', h);
    svg.style.left = sx + 'px'; svg.style.top = sy + 'px';
    svg.setAttribute('viewBox', sx + ' ' + sy + ' ' + w + ' ' + h);
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var i, n, layer;
    var bands = el('g', {}, svg);
    for (i = 0; i < layers.length; i++) {
      var bx = LEFT + i * COL_W - 20;
      if (bx + COL_W < x0 || bx > x1) { continue; }
      el('rect', { 'class': 'band' + (i % 2 ? ' odd' : ''), x: bx, y: sy, width: COL_W, height: h }, bands);
      var t = el('text', { 'class': 'layer-title', x: bx + 20, y: sy + 24 }, bands);
      t.appendChild(document.createTextNode(layers[i].title));
      var ct = el('text', { 'class': 'layer-count', x: bx + 20, y: sy + 40 }, bands);
      ct.appendChild(document.createTextNode(layers[i].length + (layers[i].length === 1 ? ' node' : ' nodes')));
    }
    var edgeLayer = el('g', {}, svg);
    var drawn = 0;
    for (i = 0; i < edges.length && drawn < MAX_EDGES; i++) {
      var e = edges[i], a = e.from, b = e.to;
      var ax = a.x + NODE_W, ay = a.y + NODE_H / 2, bx2 = b.x, by = b.y + NODE_H / 2;
      if (Math.max(ax, bx2) < x0 || Math.min(ax, bx2) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) { continue; }
      var mid = (ax + bx2) / 2;
      var hot = selected && (a === selected || b === selected);
      el('path', { 'class': 'edge' + (hot ? ' hot' : ''), 'data-from': a.name, 'data-to': b.name,
        d: 'M' + ax + ',' + ay + ' C' + mid + ',' + ay + ' ' + mid + ',' + by + ' ' + bx2 + ',' + by }, edgeLayer);
      drawn++;
    }
    var nodeLayer = el('g', {}, svg);
    for (i = 0; i < layers.length; i++) {
      layer = layers[i];
      if (LEFT + i * COL_W + NODE_W < x0 || LEFT + i * COL_W > x1) { continue; }
      var first = Math.max(0, Math.floor((y0 - TOP) / ROW_H)), last = Math.min(layer.length - 1, Math.ceil((y1 - TOP) / ROW_H));
      for (var r = first; r <= last; r++) {
        n = layer[r];
        var cls = 'node' + (n === selected ? ' selected' : related[n.unique_id] ? ' related' : selected ? ' dim' : '');
        var g = el('g', { 'class': cls, 'data-name': n.name, transform: 'translate(' + n.x + ',' + n.y + ')' }, nodeLayer);
        el('rect', { 'class': 'box', x: 0, y: 0, rx: 6, ry: 6, width: NODE_W, height: NODE_H }, g);
        el('rect', { x: 0, y: 0, rx: 2, ry: 2, width: 5, height: NODE_H, fill: color(n) }, g);
        el('circle', { cx: NODE_W - 11, cy: NODE_H / 2, r: 4, fill: statusColor(n.last_status) }, g);
        var text = el('text', { x: 13, y: 16 }, g);
        text.appendChild(document.createTextNode(label(n.name)));
        var tip = el('title', {}, g);
        tip.appendChild(document.createTextNode(n.name + ' \u00b7 ' + (n.materialized || n.resource_type)
          + (n.last_status ? ' \u00b7 ' + n.last_status : '')));
        g.addEventListener('click', clicker(n), false);
      }
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
    if (scroll) {
      viewport.scrollLeft = Math.max(0, n.x - (viewport.clientWidth || 1200) / 2 + NODE_W / 2);
      viewport.scrollTop = Math.max(0, n.y - (viewport.clientHeight || 800) / 2);
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
    var project = document.getElementById('project');
    project.appendChild(document.createTextNode('project '));
    html('b', null, body.project, project);
    project.appendChild(document.createTextNode(' \u00b7 ' + body.models.length + ' nodes'));
    layout(body.models);
    legend();
    draw();
    var wanted = decodeURIComponent((window.location.hash || '').replace(/^#/, ''));
    if (wanted && byName[wanted]) { select(byName[wanted], true); }
    document.body.setAttribute('data-ready', 'true');
  });
})();
