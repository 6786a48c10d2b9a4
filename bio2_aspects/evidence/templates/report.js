(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('bio2-data').textContent);
  var L = D.labels;
  var SVGNS = 'http://www.w3.org/2000/svg';
  var COLORS = {
    implemented: '#2da44e', awaiting_attestation: '#9a6700', partially_implemented: '#d4a72c', gap: '#cf222e',
    inherited: '#0969da', unattested: '#8250df', excluded: '#8c959f', attested: '#1a7f37',
    verified: '#0b4f8a', preventive: '#2da44e', detective: '#bf8700'
  };

  function t(key) { return Object.prototype.hasOwnProperty.call(L, key) ? L[key] : key; }
  function fmt(key, values) {
    return t(key).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  function setAttrs(node, attrs) {
    if (!attrs) { return; }
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      // styles go through the CSSOM: the Content Security Policy allows no inline style attribute
      if (k === 'text') { node.textContent = String(v); } else if (k === 'style') { node.style.cssText = String(v); } else { node.setAttribute(k, v === true ? '' : String(v)); }
    });
  }
  function append(node, kids) {
    if (kids === null || kids === undefined) { return node; }
    if (!Array.isArray(kids)) { kids = [kids]; }
    kids.forEach(function (k) {
      if (k === null || k === undefined || k === false) { return; }
      node.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
    });
    return node;
  }
  function h(tag, attrs, kids) { var n = document.createElement(tag); setAttrs(n, attrs); return append(n, kids); }
  function s(tag, attrs, kids) { var n = document.createElementNS(SVGNS, tag); setAttrs(n, attrs); return append(n, kids); }
  function byId(id) { return document.getElementById(id); }
  function badge(status) { return h('span', {'class': 'badge st-' + status, text: t(status)}); }
  function chips(kinds) {
    if (!kinds.length) { return h('span', {'class': 'muted', text: '\u2014'}); }
    return kinds.map(function (k) { return h('span', {'class': 'chip k-' + k, text: t(k)}); });
  }
  function resource(i) { return D.resources[i]; }
  function resourceName(i) { var r = resource(i); return r[0] + '/' + r[1]; }
  function pct(n, total) { return total ? Math.round(100 * n / total) + '%' : '0%'; }
  function empty(text) { return h('p', {'class': 'empty', text: text}); }

  // A data table: headers are strings (or [text, className]); the first cell of a row is its header.
  function table(caption, headers, rows, cls) {
    var head = h('thead', null, h('tr', null, headers.map(function (x) {
      var text = Array.isArray(x) ? x[0] : x;
      return h('th', {scope: 'col', 'class': Array.isArray(x) ? x[1] : null, text: text});
    })));
    var body = h('tbody', null, rows.map(function (row) {
      return h('tr', null, row.map(function (cell, i) {
        var cellCls = Array.isArray(headers[i]) ? headers[i][1] : null;
        return h(i === 0 ? 'th' : 'td', i === 0 ? {scope: 'row', 'class': cellCls} : {'class': cellCls}, cell);
      }));
    }));
    return h('div', {'class': 'wrap'}, h('table', {'class': 'data ' + (cls || '')}, [h('caption', {text: caption}), head, body]));
  }

  function legend(keys) {
    return h('ul', {'class': 'legend'}, keys.map(function (k) {
      return h('li', null, [h('span', {'class': 'sw', style: 'background:' + COLORS[k], 'aria-hidden': 'true'}), t(k)]);
    }));
  }

  // ---------------------------------------------------------------- key figures
  function renderKpis() {
    var tot = D.totals, st = tot.measures_by_status, vio = tot.violations || {};
    var hl = tot.headline || {};
    var applicable = D.controls.filter(function (c) { return c.applicable; }).length;
    // the headline keeps evidenced, attested, unattested and gap apart: nothing adds an
    // unattested process to "no gap"
    var cards = [
      ['', tot.measures, t('kpi.measures')],
      ['good', hl.evidenced || 0, t('evidenced')],
      ['good', hl.attested || 0, t('attested')],
      ['warn', st.awaiting_attestation || 0, t('awaiting_attestation')],
      ['warn', st.partially_implemented || 0, t('partially_implemented')],
      ['bad', st.unattested || 0, t('unattested')],
      ['bad', st.gap || 0, t('gap')],
      ['info', st.inherited || 0, t('inherited')],
      ['bad', (vio.open_errors || 0) + (vio.open_warnings || 0), t('open_violations')],
      ['', vio.accepted || 0, t('accepted_risks')],
      ['', applicable + ' / ' + D.controls.length, t('kpi.applicable')]
    ];
    append(byId('kpis'), cards.map(function (c) {
      return h('div', {'class': 'kpi ' + c[0]}, [h('div', {'class': 'v', text: c[1]}), h('div', {'class': 'l', text: c[2]})]);
    }));
  }

  // ---------------------------------------------------------------- charts (inline SVG)
  function themeChart() {
    var themes = D.themes, statuses = D.statuses, byTheme = D.totals.measures_by_theme;
    var W = 720, labelW = 170, barW = 470, rowH = 38, top = 8, H = top + themes.length * rowH + 4;
    var desc = themes.map(function (th) {
      var row = byTheme[th] || {};
      return t('theme.' + th) + ': ' + statuses.filter(function (st) { return row[st]; })
        .map(function (st) { return t(st) + ' ' + row[st]; }).join(', ');
    }).join('; ');
    var svg = s('svg', {viewBox: '0 0 ' + W + ' ' + H, 'class': 'chart', id: 'chart-themes-svg', role: 'img',
      'aria-labelledby': 'ct-t ct-d'}, [s('title', {id: 'ct-t', text: t('coverage')}), s('desc', {id: 'ct-d', text: desc})]);
    themes.forEach(function (th, i) {
      var row = byTheme[th] || {}, total = 0, x = labelW, y = top + i * rowH;
      statuses.forEach(function (st) { total += row[st] || 0; });
      svg.appendChild(s('text', {x: 0, y: y + 19, text: t('theme.' + th)}));
      svg.appendChild(s('rect', {x: labelW, y: y + 4, width: barW, height: 22, fill: '#eef1f4', rx: 3}));
      statuses.forEach(function (st) {
        var n = row[st] || 0;
        if (!n || !total) { return; }
        var w = barW * n / total;
        svg.appendChild(s('rect', {x: x.toFixed(2), y: y + 4, width: w.toFixed(2), height: 22, fill: COLORS[st], 'class': 'seg st-' + st},
          s('title', {text: t('theme.' + th) + ' \u2013 ' + t(st) + ': ' + n + ' (' + pct(n, total) + ')'})));
        if (w > 22) {
          svg.appendChild(s('text', {x: (x + w / 2).toFixed(2), y: y + 19, 'text-anchor': 'middle', fill: '#fff',
            style: 'fill:#fff;font-size:12px;font-weight:600', text: n}));
        }
        x += w;
      });
      svg.appendChild(s('text', {x: labelW + barW + 10, y: y + 19, 'class': 'small', text: 'n = ' + total}));
    });
    var rows = themes.map(function (th) {
      var row = byTheme[th] || {}, total = 0;
      statuses.forEach(function (st) { total += row[st] || 0; });
      return [t('theme.' + th)].concat(statuses.map(function (st) { return row[st] || 0; }), [total]);
    });
    append(byId('chart-themes'), [svg, legend(statuses), table(t('coverage_numbers'), [t('theme')].concat(
      statuses.map(function (st) { return [t(st), 'num']; }), [[t('total'), 'num']]), rows, 'compact')]);
  }

  function kindChart() {
    var kinds = D.kinds, byKind = D.totals.measures_by_evidence_kind || {}, total = D.totals.measures;
    var W = 460, labelW = 120, barW = 230, rowH = 38, H = 8 + kinds.length * rowH;
    var svg = s('svg', {viewBox: '0 0 ' + W + ' ' + H, 'class': 'chart', id: 'chart-kinds-svg', role: 'img',
      'aria-labelledby': 'ck-t ck-d'}, [s('title', {id: 'ck-t', text: t('evidence_kinds')}),
      s('desc', {id: 'ck-d', text: kinds.map(function (k) { return t(k) + ': ' + (byKind[k] || 0); }).join(', ')})]);
    kinds.forEach(function (k, i) {
      var n = byKind[k] || 0, y = 8 + i * rowH, w = total ? barW * n / total : 0;
      svg.appendChild(s('text', {x: 0, y: y + 19, text: t(k)}));
      svg.appendChild(s('rect', {x: labelW, y: y + 4, width: barW, height: 22, fill: '#eef1f4', rx: 3}));
      svg.appendChild(s('rect', {x: labelW, y: y + 4, width: w.toFixed(2), height: 22, fill: COLORS[k], rx: 3, 'class': 'bar k-' + k},
        s('title', {text: t(k) + ': ' + n + ' / ' + total})));
      svg.appendChild(s('text', {x: labelW + barW + 10, y: y + 19, 'class': 'small', text: n + ' (' + pct(n, total) + ')'}));
    });
    append(byId('chart-kinds'), svg);
  }

  function statusDonut() {
    var st = D.totals.measures_by_status, total = D.totals.measures, r = 60, c = 2 * Math.PI * r, offset = 0;
    var svg = s('svg', {viewBox: '0 0 460 170', 'class': 'chart', id: 'chart-status-svg', role: 'img', 'aria-labelledby': 'cd-t cd-d'},
      [s('title', {id: 'cd-t', text: t('status_overview')}),
       s('desc', {id: 'cd-d', text: D.statuses.map(function (k) { return t(k) + ': ' + (st[k] || 0); }).join(', ')})]);
    var g = s('g', {transform: 'translate(85 85) rotate(-90)'});
    g.appendChild(s('circle', {r: r, fill: 'none', stroke: '#eef1f4', 'stroke-width': 24}));
    D.statuses.forEach(function (k) {
      var n = st[k] || 0;
      if (!n || !total) { return; }
      var len = c * n / total;
      g.appendChild(s('circle', {r: r, fill: 'none', stroke: COLORS[k], 'stroke-width': 24, 'class': 'arc st-' + k,
        'stroke-dasharray': len.toFixed(3) + ' ' + (c - len).toFixed(3), 'stroke-dashoffset': (-offset).toFixed(3)},
        s('title', {text: t(k) + ': ' + n + ' (' + pct(n, total) + ')'})));
      offset += len;
    });
    svg.appendChild(g);
    var covered = (st.implemented || 0) + (st.inherited || 0);
    svg.appendChild(s('text', {x: 85, y: 88, 'text-anchor': 'middle', 'class': 'big', text: pct(covered, total)}));
    svg.appendChild(s('text', {x: 85, y: 106, 'text-anchor': 'middle', 'class': 'small', text: t('covered')}));
    D.statuses.forEach(function (k, i) {
      var y = 22 + i * 23;
      svg.appendChild(s('rect', {x: 190, y: y - 11, width: 13, height: 13, rx: 2, fill: COLORS[k]}));
      svg.appendChild(s('text', {x: 212, y: y, text: t(k)}));
      svg.appendChild(s('text', {x: 440, y: y, 'text-anchor': 'end', 'class': 'small', text: String(st[k] || 0)}));
    });
    append(byId('chart-status'), svg);
  }

  // ---------------------------------------------------------------- measures
  var measureBodies = [];

  function evidenceDetail(m) {
    var parts = [];
    if (m.basis) { parts.push(h('p', null, [h('strong', {text: t('basis') + ': '}), m.basis])); }
    if (m.exclusion_ra) { parts.push(h('p', null, [h('strong', {text: t('risk_assessment') + ': '}), m.exclusion_ra])); }
    if (m.facets && m.facets.length) {
      parts.push(h('h3', {text: t('facets') + ' (' + m.facets.length + ')'}));
      parts.push(h('ul', null, m.facets.map(function (f) {
        var li = [h('code', {text: f[0]}), ' \u2013 ' + f[1] + ': ', h('strong', {text: f[2]})];
        if (f[3]) { li.push(' \u2013 ' + f[3]); }
        if (f[4]) { li.push(h('br'), h('span', {'class': 'muted', text: t('attestation') + ': ' + f[4]})); }
        return h('li', null, li);
      })));
    }
    if (m.owner) {
      parts.push(h('p', null, [h('strong', {text: t('owner') + ': '}), m.owner + (m.contact ? ' (' + m.contact + ')' : '')]));
    }
    if (m.risks.length) {
      parts.push(h('h3', {text: t('accepted_risks') + ' (' + m.risks.length + ')'}));
      parts.push(h('ul', null, m.risks.map(function (r) {
        return h('li', null, [h('code', {text: r.rule}), ' \u2013 ', h('span', {'class': 'mono', text: resourceName(r.res)}), ': ', r.reason]);
      })));
    }
    if (m.ev.length) {
      parts.push(table(fmt('evidence_for', {id: m.id, n: m.ev.length}),
        [t('kind'), t('result'), t('rule'), t('resource'), t('resource_type'), t('detail')],
        m.ev.map(function (e) {
          var r = resource(e[3]);
          return [h('span', {'class': 'chip k-' + e[0], text: t(e[0])}), h('span', {'class': 'r-' + e[1], text: t('result.' + e[1])}), e[2] ? h('code', {text: e[2]}) : (e[6] || '\u2014'),
            h('span', {'class': 'mono', title: r[3] || '', text: r[0] + '/' + r[1]}), h('code', {text: r[2]}),
            e[5] ? [e[4], h('br'), h('em', {text: t('accepted_risk') + ': ' + e[5]})] : e[4]];
        }), 'inner'));
    } else {
      parts.push(empty(t('no_evidence')));
    }
    return parts;
  }

  function renderMeasures() {
    var tbl = h('table', {'class': 'data measures', id: 'measure-table'});
    tbl.appendChild(h('caption', {text: fmt('measures_caption', {n: D.measures.length})}));
    tbl.appendChild(h('thead', null, h('tr', null, [t('measure'), t('control'), t('theme'), t('summary'), t('status'),
      t('evidence'), t('owner'), t('resources')].map(function (x) { return h('th', {scope: 'col', text: x}); }))));
    D.measures.forEach(function (m) {
      var detailId = 'ev-' + m.id.replace(/\./g, '-');
      var button = h('button', {type: 'button', 'class': 'expand', 'aria-expanded': 'false', 'aria-controls': detailId,
        'aria-label': fmt('show_evidence', {id: m.id}), text: m.ev.length + ' \u25B8'});
      var detail = h('tr', {'class': 'detail', id: detailId, hidden: true}, h('td', {colspan: 8}));
      var filled = false;
      button.addEventListener('click', function () {
        var open = button.getAttribute('aria-expanded') !== 'true';
        if (open && !filled) { append(detail.firstChild, evidenceDetail(m)); filled = true; }
        detail.hidden = !open;
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
        button.textContent = m.ev.length + (open ? ' \u25BE' : ' \u25B8');
      });
      var body = h('tbody', {'class': 'measure', 'data-id': m.id, 'data-status': m.status, 'data-theme': m.theme,
        'data-kinds': m.kinds.length ? m.kinds.join(' ') : 'none'}, [
        h('tr', {'class': 'measure-row'}, [
          h('th', {scope: 'row', text: m.id}), h('td', {text: m.control}), h('td', {'class': 'theme', text: t('theme.' + m.theme)}),
          h('td', {text: m.summary}), h('td', null, badge(m.status)), h('td', null, chips(m.kinds)),
          h('td', {text: m.owner || '\u2014'}), h('td', {'class': 'num'}, button)]),
        detail]);
      body._bio2 = {m: m, button: button};
      measureBodies.push(body);
      tbl.appendChild(body);
    });
    append(byId('measures-table'), h('div', {'class': 'wrap'}, tbl));
  }

  function applyFilters() {
    var q = byId('f-search').value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var st = byId('f-status').value, th = byId('f-theme').value, kind = byId('f-kind').value, shown = 0;
    measureBodies.forEach(function (b) {
      var m = b._bio2.m;
      var ok = (!st || m.status === st) && (!th || m.theme === th) &&
        (!kind || (kind === 'none' ? m.kinds.length === 0 : m.kinds.indexOf(kind) >= 0)) &&
        q.every(function (w) { return m.search.indexOf(w) >= 0; });
      b.hidden = !ok;
      if (ok) { shown += 1; }
    });
    byId('measure-count').textContent = fmt('shown_of', {n: shown, total: measureBodies.length});
  }

  function setupFilters() {
    // no inline handler (the Content Security Policy forbids them): the form never submits
    document.querySelector('form.filters').addEventListener('submit', function (ev) { ev.preventDefault(); });
    ['f-search', 'f-status', 'f-theme', 'f-kind'].forEach(function (id) {
      byId(id).addEventListener(id === 'f-search' ? 'input' : 'change', applyFilters);
    });
    byId('f-reset').addEventListener('click', function () {
      byId('f-search').value = ''; byId('f-status').value = ''; byId('f-theme').value = ''; byId('f-kind').value = '';
      applyFilters();
    });
    byId('f-expand').addEventListener('click', function () {
      var anyClosed = measureBodies.some(function (b) { return !b.hidden && b._bio2.button.getAttribute('aria-expanded') !== 'true'; });
      measureBodies.forEach(function (b) {
        var isOpen = b._bio2.button.getAttribute('aria-expanded') === 'true';
        if (!b.hidden && isOpen !== anyClosed) { b._bio2.button.click(); }
      });
    });
    applyFilters();
  }

  // ---------------------------------------------------------------- other sections
  function renderGaps() {
    var gaps = D.measures.filter(function (m) { return m.status === 'gap'; });
    var node = byId('gaps-table');
    if (!gaps.length) { node.appendChild(empty(t('no_gaps'))); return; }
    node.appendChild(table(fmt('gaps_caption', {n: gaps.length}), [t('measure'), t('control'), t('summary'), t('owner'),
      [t('open_violations'), 'num']], gaps.map(function (m) {
      return [m.id, m.control, m.summary, m.owner || '\u2014', m.open];
    })));
  }

  function renderRisks() {
    var risks = D.violations.filter(function (v) { return v.ack !== null; });
    var node = byId('risks-table');
    if (!risks.length) { node.appendChild(empty(t('no_accepted_risks'))); return; }
    node.appendChild(table(fmt('risks_caption', {n: risks.length}), [t('rule'), t('measures'), t('resource'), t('reason')],
      risks.map(function (v) {
        return [h('code', {text: v.rule}), v.measures.join(', ') || '\u2014', h('span', {'class': 'mono', text: resourceName(v.res)}), v.ack];
      })));
  }

  function renderViolations() {
    var open = D.violations.filter(function (v) { return v.ack === null; });
    var node = byId('violations-table');
    if (!open.length) { node.appendChild(empty(t('no_open_violations'))); } else {
      node.appendChild(table(fmt('violations_caption', {n: open.length}), [t('rule'), t('level'), t('resource'), t('detail'), t('fix')],
        open.map(function (v) {
          return [h('code', {text: v.rule}), h('span', {'class': 'badge lv-' + v.level, text: t('level.' + v.level)}),
            h('span', {'class': 'mono', text: resourceName(v.res)}), [v.finding, h('br'), h('span', {'class': 'muted', text: v.detail})], v.fix];
        })));
    }
    if (D.unbacked.length) {
      node.appendChild(h('h3', {text: t('unbacked') + ' (' + D.unbacked.length + ')'}));
      node.appendChild(h('p', {'class': 'muted', text: t('unbacked_note')}));
      node.appendChild(table(t('unbacked'), [t('path'), t('kind'), t('measures')], D.unbacked.map(function (u) {
        return [h('span', {'class': 'mono', text: u.path}), u.kind ? t(u.kind) : '\u2014', u.measures.join(', ')];
      })));
    }
  }

  function renderOwners() {
    var node = byId('owners-table');
    if (!D.owners.length) { node.appendChild(empty(t('no_owners'))); return; }
    node.appendChild(table(fmt('owners_caption', {n: D.owners.length}), [t('owner'), t('contact'), t('owner_scope'),
      [t('measures'), 'num'], t('measure_ids')], D.owners.map(function (o) {
      return [o.name, o.contact || '\u2014', o.scopes.join(', '), o.measures.length, h('span', {'class': 'ids', text: o.measures.join(', ')})];
    })));
  }

  function renderSoa() {
    append(byId('soa-table'), table(fmt('soa_caption', {n: D.controls.length}), [t('control'), t('title_col'), [t('theme'), 'theme'],
      t('applicable'), t('status'), t('owner'), t('justification'), t('measures'), t('control_evidence')], D.controls.map(function (c) {
      return [c.id, c.title, t('theme.' + c.theme), c.applicable ? t('yes') : t('no'), badge(c.status), c.owner || '\u2014',
        c.justification, h('span', {'class': 'ids', text: c.measures.join(', ') || '\u2014'}), c.evidence || '\u2014'];
    }), 'soa'));
  }

  renderKpis();
  themeChart();
  kindChart();
  statusDonut();
  renderMeasures();
  setupFilters();
  renderGaps();
  renderRisks();
  renderViolations();
  renderOwners();
  renderSoa();
  document.body.setAttribute('data-rendered', 'true');
}());
