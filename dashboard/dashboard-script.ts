/**
 * The dashboard's browser code, inlined into the page. It downloads aggregates and pages only: the summary
 * (polled four times a second with `If-None-Match`, a 304 when nothing changed), the heat map of one DaemonSet
 * (one character per node; node names only when they changed), the grouped why-not reasons, one rollout's
 * chart (uPlot), a page of nodes, one node, and the newest events. It builds the view with DOM calls (never
 * innerHTML, so names from the cluster cannot inject markup) and a canvas for the heat map, every state
 * drawn with a mark as well as a colour. Plain ES2020, since it runs in the browser as written.
 */
export const DASHBOARD_SCRIPT = `
(() => {
  'use strict';
  const POLL_MS = 250;
  const PAGE = 50;
  const COLOURS = {
    current: '#2da44e', old: '#d4a72c', pending: '#54aeff', failed: '#cf222e',
    terminating: '#8c959f', missing: '#ffffff', gated: '#8250df', 'not-eligible': '#eaeef2',
  };
  const LEGEND = [
    ['current', '✓', 'current and ready'], ['old', '↻', 'old revision'], ['pending', '…', 'pending / not ready'],
    ['failed', '✗', 'failed or crash-looping'], ['terminating', '⊘', 'terminating'], ['missing', '○', 'should run, no pod'],
    ['gated', '◇', 'gated (startup taint)'], ['not-eligible', '–', 'not eligible'],
  ];
  const S = {
    etags: {}, summary: null, daemonSet: '', groupBy: '', names: {}, map: null, chart: null, chartKey: '',
    list: null, node: '', choices: '',
  };

  const $ = (id) => document.getElementById(id);
  const fmt = (n) => Number(n).toLocaleString('en-US');
  const time = (ms) => new Date(ms).toLocaleTimeString();

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children || []) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function query(params) {
    return Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
  }

  /** GETs a dashboard route; undefined when it is unchanged since the last answer for the same key. */
  async function get(key, path, force) {
    const headers = {};
    if (!force && S.etags[key]) headers['if-none-match'] = S.etags[key];
    const response = await fetch(path, { cache: 'no-store', headers });
    if (response.status === 304) return undefined;
    const body = await response.json();
    if (!response.ok) throw Object.assign(new Error(body && body.message ? body.message : 'HTTP ' + response.status), { status: response.status });
    S.etags[key] = response.headers.get('etag') || '';
    return body;
  }

  const symbol = (state) => S.summary.stateSymbols[state];
  const stateText = (state) => S.summary.stateText[state];
  const daemonSetName = (key) => (S.summary.daemonSets.find((d) => d.key === key) || { name: key }).name;

  // ---- the fleet: totals and DaemonSets by node state ----
  function renderFleet() {
    const s = S.summary;
    $('fleet-totals').textContent = fmt(s.nodes) + ' node(s) · ' + fmt(s.notReadyNodes) + ' not ready · ' +
      fmt(s.cordonedNodes) + ' cordoned · ' + fmt(s.gatedNodes) + ' gated · ' + s.daemonSets.length + ' DaemonSet(s)';
    if (s.daemonSets.length === 0) {
      $('daemon-sets').replaceChildren(el('p', { class: 'empty' }, ['No DaemonSets yet. Apply one with ', el('code', { text: 'npx everynode apply -f fluentd.yaml' }), '.']));
      return;
    }
    const head = el('tr', {}, [
      el('th', { scope: 'col', text: 'DaemonSet' }), el('th', { scope: 'col', text: 'Progress' }),
      ...s.stateNames.map((state) => el('th', { scope: 'col', class: 'num', 'data-state': state }, [
        el('span', { class: 'mark state-' + state, 'aria-hidden': 'true', text: symbol(state) }), ' ' + stateText(state),
      ])),
    ]);
    const rows = s.daemonSets.map((ds) => el('tr', { 'data-daemon-set': ds.key }, [
      el('th', { scope: 'row' }, [
        el('div', { class: 'title', text: ds.name }),
        el('div', { class: 'meta', text: ds.namespace + ' · ' + ds.strategy + ' · revision ' + ds.currentRevision }),
        el('div', {}, flags(ds)),
      ]),
      el('td', {}, [progress(ds)]),
      ...s.stateNames.map((state) => {
        const count = ds.states[state];
        return el('td', { class: 'num', 'data-state': state }, [count === 0 ? el('span', { class: 'zero', text: '0' }) :
          el('button', {
            type: 'button', class: 'link count state-' + state, 'data-state': state,
            'aria-label': fmt(count) + ' node(s) ' + stateText(state) + ' for ' + ds.name + ': list them',
            onclick: () => listNodes({ daemonSet: ds.key, state }, fmt(count) + ' node(s) where ' + ds.name + ' is ' + symbol(state) + ' ' + stateText(state)),
          }, [el('span', { 'aria-hidden': 'true', text: symbol(state) + ' ' }), fmt(count)])]);
      }),
    ]));
    $('daemon-sets').replaceChildren(el('table', { id: 'fleet', class: 'fleet' }, [
      el('caption', { text: 'Nodes by state, per DaemonSet; a count lists its nodes' }),
      el('thead', {}, [head]), el('tbody', {}, rows),
    ]));
  }

  function flags(ds) {
    const out = [];
    if (ds.rolling) out.push(el('span', { class: 'flag info', text: 'rolling out' }));
    if (ds.paused) out.push(el('span', { class: 'flag warn', text: '⏸ paused' }));
    if (ds.frozen) out.push(el('span', { class: 'flag warn', text: '❄ frozen' }));
    if (ds.deleting) out.push(el('span', { class: 'flag bad', text: '🗑 deleting' }));
    for (const warning of ds.warnings) out.push(el('span', { class: 'flag bad', text: '⚠ ' + warning }));
    return out;
  }

  function progress(ds) {
    const pct = (part) => (ds.desired > 0 ? Math.min(100, Math.round((part / ds.desired) * 100)) : 100);
    const label = ds.name + ': ' + ds.updated + ' of ' + ds.desired + ' updated, ' + ds.available + ' of ' + ds.desired + ' available';
    return el('div', { class: 'progress' }, [
      el('div', { class: 'bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': ds.desired,
        'aria-valuenow': Math.min(ds.updated, ds.available) }, [
        el('div', { class: 'updated', style: 'width:' + pct(ds.updated) + '%' }),
        el('div', { class: 'available', style: 'width:' + pct(Math.min(ds.updated, ds.available)) + '%' }),
      ]),
      el('div', { class: 'counts', text: fmt(ds.updated) + '/' + fmt(ds.desired) + ' updated · ' + fmt(ds.available) + '/' + fmt(ds.desired) + ' available · ' + fmt(ds.ready) + ' ready' }),
    ]);
  }

  // ---- controls ----
  function renderControls() {
    const s = S.summary;
    const keys = s.daemonSets.map((d) => d.key);
    if (S.daemonSet !== '' && !keys.includes(S.daemonSet)) S.daemonSet = '';
    const groupKeys = s.groupByKeys.length > 0 ? s.groupByKeys : ['kubernetes.io/hostname'];
    if (!groupKeys.includes(S.groupBy)) S.groupBy = groupKeys[0];
    // Rebuilt only when the choices change, so an open drop-down is not closed under the user's pointer.
    const choices = keys.join(' ') + ' | ' + groupKeys.join(' ');
    if (S.choices !== choices) {
      S.choices = choices;
      $('map-daemon-set').replaceChildren(
        el('option', { value: '', text: 'All DaemonSets (worst state per node)' }),
        ...s.daemonSets.map((d) => el('option', { value: d.key, text: d.key })),
      );
      $('map-group-by').replaceChildren(...groupKeys.map((k) => el('option', { value: k, text: k })));
    }
    $('map-daemon-set').value = S.daemonSet;
    $('map-group-by').value = S.groupBy;
  }

  // ---- heat map ----
  async function loadMap(force) {
    const known = S.names.version;
    const body = await get('heatmap', 'dashboard/heatmap?' + query({ daemonSet: S.daemonSet, groupBy: S.groupBy, names: known }), force);
    if (body === undefined) return;
    if (body.namesVersion !== known) {
      S.names = { version: body.namesVersion, groups: body.groups.map((g) => g.nodes) };
    }
    S.map = body;
    renderMap();
  }

  function cellSize(total) { return total > 3000 ? 7 : total > 500 ? 9 : 14; }

  function renderMap() {
    const map = S.map;
    const container = $('heat-map');
    const total = map.groups.reduce((n, g) => n + g.states.length, 0);
    if (total === 0) {
      container.replaceChildren(el('p', { class: 'empty' }, ['No nodes yet. Join one with ', el('code', { text: 'npx everynode node join worker-1' }), '.']));
      return;
    }
    const size = cellSize(total);
    const width = Math.max(200, container.clientWidth || 900);
    const perRow = Math.max(1, Math.floor(width / size));
    const what = map.daemonSet ? daemonSetName(map.daemonSet) : 'all DaemonSets (worst state)';
    const groups = map.groups.map((group, g) => {
      const names = S.names.groups[g] || [];
      const counts = {};
      for (let i = 0; i < group.states.length; i += 1) {
        const state = map.stateNames[group.states.charCodeAt(i) - 48];
        counts[state] = (counts[state] || 0) + 1;
      }
      const countText = map.stateNames.filter((s) => counts[s]).map((s) => symbol(s) + ' ' + fmt(counts[s]) + ' ' + stateText(s)).join(' · ');
      const rows = Math.ceil(group.states.length / perRow);
      const canvas = el('canvas', {
        width: perRow * size, height: rows * size, role: 'img', 'data-group': group.value,
        'aria-label': 'Heat map of ' + what + ', ' + map.groupBy + '=' + group.value + ': ' + fmt(group.states.length) + ' node(s): ' + countText,
      });
      drawCells(canvas, group.states, map.stateNames, size, perRow);
      const pick = (event) => {
        const rect = canvas.getBoundingClientRect();
        const col = Math.floor((event.clientX - rect.left) / size);
        const row = Math.floor((event.clientY - rect.top) / size);
        const index = row * perRow + col;
        return col < perRow && index >= 0 && index < group.states.length ? index : -1;
      };
      canvas.addEventListener('mousemove', (event) => {
        const index = pick(event);
        const tip = $('map-tip');
        if (index < 0) { tip.hidden = true; return; }
        const state = map.stateNames[group.states.charCodeAt(index) - 48];
        tip.textContent = names[index] + ': ' + symbol(state) + ' ' + stateText(state) + ' (click for the node)';
        tip.style.left = (event.pageX + 12) + 'px';
        tip.style.top = (event.pageY + 12) + 'px';
        tip.hidden = false;
      });
      canvas.addEventListener('mouseleave', () => { $('map-tip').hidden = true; });
      canvas.addEventListener('click', (event) => { const index = pick(event); if (index >= 0 && names[index]) openNode(names[index]); });
      const selector = group.value === '(no label)' ? '!' + map.groupBy : map.groupBy + '=' + group.value;
      return el('div', { class: 'group', 'data-group': group.value }, [
        el('div', { class: 'group-head' }, [
          el('button', { type: 'button', class: 'link', onclick: () => listNodes({ selector }, 'Nodes with ' + selector),
            text: map.groupBy + '=' + group.value + ' · ' + fmt(group.states.length) + ' node(s)' }),
          el('span', { class: 'group-counts', text: ' ' + countText }),
        ]),
        canvas,
      ]);
    });
    container.replaceChildren(...groups);
  }

  function drawCells(canvas, states, stateNames, size, perRow) {
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const inner = size - 1;
    for (let i = 0; i < states.length; i += 1) {
      const state = stateNames[states.charCodeAt(i) - 48];
      const x = (i % perRow) * size;
      const y = Math.floor(i / perRow) * size;
      ctx.fillStyle = COLOURS[state];
      ctx.fillRect(x, y, inner, inner);
      // A mark per state, so the map never depends on colour alone.
      ctx.strokeStyle = '#1b1f24';
      ctx.lineWidth = 1;
      ctx.beginPath();
      if (state === 'failed') { ctx.moveTo(x + 1, y + 1); ctx.lineTo(x + inner - 1, y + inner - 1); ctx.moveTo(x + inner - 1, y + 1); ctx.lineTo(x + 1, y + inner - 1); }
      else if (state === 'old') { ctx.moveTo(x, y + inner); ctx.lineTo(x + inner, y); }
      else if (state === 'pending') { ctx.rect(x + inner / 2 - 1, y + inner / 2 - 1, 2, 2); }
      else if (state === 'terminating') { ctx.moveTo(x + 1, y + inner / 2); ctx.lineTo(x + inner - 1, y + inner / 2); }
      else if (state === 'missing') { ctx.rect(x + 0.5, y + 0.5, inner - 1, inner - 1); }
      else if (state === 'gated') { ctx.moveTo(x + inner / 2, y + 1); ctx.lineTo(x + inner / 2, y + inner - 1); }
      ctx.stroke();
    }
  }

  // ---- why not ----
  async function loadWhyNot() {
    // Small (reasons and a few names each), one request for every DaemonSet shown: fetched whole on each change.
    const body = await get('why-not', 'dashboard/why-not?' + query({ daemonSet: S.daemonSet }), true);
    const shown = S.daemonSet === '' ? 5 : Infinity;
    const blocks = body.items.filter((a) => a.reasons.length > 0).map((answer) => el('div', { class: 'why', 'data-daemon-set': answer.daemonSet }, [
      el('h3', { text: daemonSetName(answer.daemonSet) + ': ' + fmt(answer.nodes) + ' node(s) without a pod by placement' }),
      el('ul', {}, answer.reasons.slice(0, shown).map((r) => el('li', {}, [
        el('button', { type: 'button', class: 'link reason', 'data-reason': r.reason,
          onclick: () => listNodes({ daemonSet: answer.daemonSet, reason: r.reason }, daemonSetName(answer.daemonSet) + ': ' + fmt(r.count) + ' node(s): ' + r.reason),
          text: fmt(r.count) + ' node(s): ' + r.reason }),
      ]))),
      answer.reasons.length > shown ? el('p', { class: 'meta', text: (answer.reasons.length - shown) + ' more reason(s): choose ' + daemonSetName(answer.daemonSet) + ' above to see them all.' }) : null,
    ]));
    $('why-not').replaceChildren(...(blocks.length > 0 ? blocks : [el('p', { class: 'empty', text: 'Every node the selected DaemonSets know may run their pods.' })]));
  }

  // ---- rollout chart ----
  function rolloutKey() {
    const s = S.summary;
    if (S.daemonSet !== '') return S.daemonSet;
    const rolling = s.daemonSets.find((d) => d.rolling);
    return (rolling || s.daemonSets[0] || { key: '' }).key;
  }

  async function loadRollout(force) {
    const key = rolloutKey();
    if (key === '') { $('rollout').replaceChildren(el('p', { class: 'empty', text: 'No DaemonSet yet.' })); return; }
    const body = await get('rollout:' + key, 'dashboard/rollouts?' + query({ daemonSet: key }), force || S.chartKey !== key);
    if (body === undefined) return;
    renderRollout(body);
  }

  function renderRollout(r) {
    const now = Date.now();
    const xs = [], updated = [], available = [], unavailable = [], budget = [];
    const push = (t, s) => { xs.push(t / 1000); updated.push(s.updated); available.push(s.available); unavailable.push(s.unavailable); budget.push(r.budget); };
    for (const s of r.samples) push(s.t, s);
    const last = r.samples[r.samples.length - 1];
    if (last && now > last.t) push(now, last);
    const lines = [];
    for (const m of r.markers) lines.push({ t: m.t, text: m.kind, colour: m.kind === 'reverted' || m.kind === 'deadline-exceeded' ? '#cf222e' : '#7d4e00' });
    if (r.deadlineAt) lines.push({ t: r.deadlineAt, text: 'deadline', colour: '#cf222e', dash: true });
    const pauses = [];
    let pausedAt = null;
    for (const s of r.samples) {
      if (s.paused && pausedAt === null) pausedAt = s.t;
      if (!s.paused && pausedAt !== null) { pauses.push([pausedAt, s.t]); pausedAt = null; }
    }
    if (pausedAt !== null) pauses.push([pausedAt, Math.max(now, pausedAt)]);
    const name = daemonSetName(r.daemonSet);
    const chartBox = el('div', { id: 'rollout-chart', role: 'img',
      'aria-label': 'Rollout of ' + name + ' revision ' + r.revision + ' over time: ' + (last ? fmt(last.updated) + ' of ' + fmt(last.desired) + ' updated, ' + fmt(last.available) + ' available, ' + fmt(last.unavailable) + ' unavailable' : 'no samples') + '; budget ' + fmt(r.budget) + ' unavailable' });
    const facts = [
      'Revision ' + r.revision + ' of ' + name + ', started ' + time(r.startedAt),
      'budget (maxUnavailable) ' + fmt(r.budget),
      r.deadlineAt ? 'progress deadline ' + time(r.deadlineAt) : null,
    ].filter(Boolean).join(' · ');
    const markers = r.markers.map((m) => el('li', { 'data-marker': m.kind, text: time(m.t) + ' ' + (m.kind === 'reverted' ? '↶ ' : m.kind === 'deadline-exceeded' ? '⚠ ' : m.kind === 'paused' ? '⏸ ' : '▶ ') + m.kind + ': ' + m.text }));
    const history = r.history.length === 0 ? el('p', { class: 'empty', text: 'No rollout seen since the control plane started.' }) :
      el('table', { id: 'rollout-history' }, [
        el('caption', { text: 'Last rollouts of ' + name }),
        el('thead', {}, [el('tr', {}, ['Revision', 'Started', 'Duration', 'Outcome'].map((h) => el('th', { scope: 'col', text: h })))]),
        el('tbody', {}, r.history.map((h) => el('tr', {}, [
          el('td', { text: h.revision }), el('td', { text: time(h.startedAt) }),
          el('td', { text: h.durationMs !== undefined ? duration(h.durationMs) : duration(now - h.startedAt) + ' so far' }),
          el('td', { text: h.outcome }),
        ]))),
      ]);
    $('rollout').replaceChildren(el('p', { class: 'meta', id: 'rollout-facts', text: facts }), chartBox,
      markers.length > 0 ? el('ul', { id: 'rollout-markers', class: 'markers' }, markers) : el('span'), history);
    if (S.chart) { S.chart.destroy(); S.chart = null; }
    S.chartKey = r.daemonSet;
    if (typeof uPlot !== 'function' || xs.length === 0) return;
    const marks = (u) => {
      const ctx = u.ctx;
      ctx.save();
      for (const [from, to] of pauses) {
        const x0 = u.valToPos(from / 1000, 'x', true), x1 = u.valToPos(to / 1000, 'x', true);
        ctx.fillStyle = 'rgba(212,167,44,0.18)';
        ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
      }
      for (const line of lines) {
        const x = u.valToPos(line.t / 1000, 'x', true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.strokeStyle = line.colour; ctx.lineWidth = 2; ctx.setLineDash(line.dash ? [6, 4] : []);
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        ctx.fillStyle = line.colour; ctx.font = '12px system-ui'; ctx.fillText(line.text, x + 4, u.bbox.top + 14);
      }
      ctx.restore();
    };
    const xMax = Math.max(xs[xs.length - 1], r.deadlineAt ? r.deadlineAt / 1000 : 0);
    S.chart = new uPlot({
      width: Math.max(320, Math.min(900, ($('rollout').clientWidth || 900))), height: 240,
      scales: { x: { time: true, range: [xs[0], xMax] }, y: { range: (u, min, max) => [0, Math.max(1, max, last ? last.desired : 1)] } },
      series: [
        {},
        { label: 'updated', stroke: '#0969da', width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
        { label: 'available', stroke: '#1a7f37', width: 2, dash: [2, 2], paths: uPlot.paths.stepped({ align: 1 }) },
        { label: 'unavailable', stroke: '#cf222e', width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
        { label: 'budget (maxUnavailable)', stroke: '#57606a', width: 1, dash: [8, 4] },
      ],
      hooks: { draw: [marks] },
    }, [xs, updated, available, unavailable, budget], chartBox);
  }

  function duration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    return m < 60 ? m + 'm' + String(s % 60).padStart(2, '0') + 's' : Math.floor(m / 60) + 'h' + String(m % 60).padStart(2, '0') + 'm';
  }

  // ---- node lists and node pages ----
  async function listNodes(params, title, offset) {
    S.list = { params, title, offset: offset || 0 };
    await loadList(true);
    const list = $('node-list');
    if (list.scrollIntoView) list.scrollIntoView({ block: 'nearest' });
  }

  async function loadList(force) {
    if (!S.list) return;
    const { params, title, offset } = S.list;
    let body;
    try {
      body = await get('list', 'dashboard/nodes?' + query({ ...params, limit: PAGE, continue: offset || '' }), force);
    } catch (error) {
      $('node-list').replaceChildren(el('p', { class: 'error', role: 'alert', text: error.message }));
      return;
    }
    if (body === undefined) return;
    const s = S.summary;
    const pager = el('div', { class: 'pager' }, [
      el('span', { text: body.total === 0 ? 'No node matches.' : 'Showing ' + fmt(offset + 1) + '–' + fmt(offset + body.items.length) + ' of ' + fmt(body.total) }),
      offset > 0 ? el('button', { type: 'button', onclick: () => { S.list.offset = Math.max(0, offset - PAGE); loadList(true); }, text: '← Previous' }) : null,
      body.continue ? el('button', { type: 'button', onclick: () => { S.list.offset = Number(body.continue); loadList(true); }, text: 'Next →' }) : null,
    ]);
    const table = el('table', { id: 'nodes' }, [
      el('caption', { text: title }),
      el('thead', {}, [el('tr', {}, [el('th', { scope: 'col', text: 'Node' }), el('th', { scope: 'col', text: 'Ready' }),
        ...s.daemonSets.map((d) => el('th', { scope: 'col', title: d.key, text: d.name }))])]),
      el('tbody', {}, body.items.map((item) => el('tr', { 'data-node': item.name }, [
        el('th', { scope: 'row' }, [el('button', { type: 'button', class: 'link', onclick: () => openNode(item.name), text: item.name }),
          item.gated ? el('span', { class: 'badge gated', text: 'gated' }) : null,
          item.unschedulable ? el('span', { class: 'badge cordoned', text: 'SchedulingDisabled' }) : null]),
        el('td', { text: item.ready === 'True' ? 'Ready' : item.ready === 'False' ? 'NotReady' : 'Unknown' }),
        ...item.states.map((state) => el('td', { class: 'state-' + state, 'data-state': state, text: symbol(state) + ' ' + stateText(state) })),
      ]))),
    ]);
    $('node-list').replaceChildren(pager, table);
  }

  async function openNode(name) {
    S.node = name;
    await loadNode(true);
    const page = $('node-page');
    if (page.scrollIntoView) page.scrollIntoView({ block: 'nearest' });
  }

  async function loadNode(force) {
    if (!S.node) return;
    let n;
    try {
      n = await get('node', 'dashboard/nodes/' + encodeURIComponent(S.node), force);
    } catch (error) {
      $('node-page').replaceChildren(el('p', { class: 'error', role: 'alert', text: error.message }));
      return;
    }
    if (n === undefined) return;
    const badges = [
      n.ready === 'True' ? null : el('span', { class: 'badge not-ready', text: n.ready === 'False' ? 'NotReady' : 'Unknown' }),
      n.unschedulable ? el('span', { class: 'badge cordoned', text: 'SchedulingDisabled' }) : null,
      n.gated ? el('span', { class: 'badge gated', text: 'gated' }) : null,
      ...n.taints.map((t) => el('span', { class: 'badge taint', text: t })),
    ];
    $('node-page').replaceChildren(el('article', { class: 'node', 'data-node': n.name, 'aria-labelledby': 'node-title' }, [
      el('h3', { id: 'node-title', text: 'Node ' + n.name }),
      el('div', {}, badges),
      el('p', { class: 'labels' }, ['Labels: ', ...Object.entries(n.labels).map(([k, v]) => el('code', { text: k + '=' + v }))]),
      el('table', { id: 'node-daemon-sets' }, [
        el('caption', { text: 'DaemonSet pods on ' + n.name + ' (as describe node says)' }),
        el('thead', {}, [el('tr', {}, ['DaemonSet', 'State', 'Pod, or why there is none'].map((h) => el('th', { scope: 'col', text: h })))]),
        el('tbody', {}, n.daemonSets.map((d) => el('tr', { 'data-daemon-set': d.daemonSet, 'data-state': d.state }, [
          el('th', { scope: 'row', text: d.daemonSet }),
          el('td', { class: 'state-' + d.state, text: d.symbol + ' ' + stateText(d.state) }),
          el('td', { class: 'why', text: d.summary }),
        ]))),
      ]),
      el('table', { class: 'conditions' }, [
        el('caption', { text: 'Conditions' }),
        el('thead', {}, [el('tr', {}, ['Type', 'Status', 'Reason'].map((h) => el('th', { scope: 'col', text: h })))]),
        el('tbody', {}, n.conditions.map((c) => el('tr', {}, [el('td', { text: c.type }), el('td', { text: c.status }), el('td', { text: c.reason || '' })]))),
      ]),
    ]));
  }

  // ---- events ----
  async function loadEvents(force) {
    const body = await get('events', 'dashboard/events?limit=50', force);
    if (body === undefined) return;
    $('events').replaceChildren(...(body.items.length === 0 ? [el('li', { class: 'empty', text: 'No events yet.' })] :
      body.items.map((e) => el('li', { class: e.type === 'Warning' ? 'warning' : 'normal', 'data-reason': e.reason }, [
        el('time', { datetime: e.time, text: time(Date.parse(e.time)) }), ' ',
        el('span', { class: 'type', text: e.type === 'Warning' ? '⚠ Warning' : 'Normal' }), ' ',
        el('strong', { text: e.reason }), ' ', el('span', { text: e.daemonSet + ': ' + e.message }),
      ]))));
  }

  // ---- polling ----
  let refreshing = false;
  async function refresh(force) {
    const summary = await get('summary', 'dashboard/summary', force);
    if (summary !== undefined) {
      S.summary = summary;
      renderFleet();
      renderControls();
      await Promise.all([loadMap(false), loadWhyNot(), loadRollout(false), loadEvents(false), loadList(false), loadNode(false)]);
      document.body.dataset.version = summary.version;
    }
    const status = $('status');
    status.className = '';
    status.textContent = 'Updated ' + new Date(S.summary.generatedAt).toLocaleTimeString() + ' · ' + fmt(S.summary.nodes) + ' node(s) · ' + S.summary.daemonSets.length + ' DaemonSet(s)';
  }

  async function poll() {
    if (!refreshing) {
      refreshing = true;
      try { await refresh(false); }
      catch (error) {
        const status = $('status');
        status.className = 'error';
        status.textContent = 'Cannot reach the control plane (' + (error && error.message ? error.message : String(error)) + '); retrying…';
      } finally { refreshing = false; }
    }
    setTimeout(poll, POLL_MS);
  }

  $('map-daemon-set').addEventListener('change', () => { S.daemonSet = $('map-daemon-set').value; loadMap(true); loadWhyNot(); loadRollout(true); });
  $('map-group-by').addEventListener('change', () => { S.groupBy = $('map-group-by').value; S.names = {}; loadMap(true); });
  $('find').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('find-name').value.trim();
    const selector = $('find-selector').value.trim();
    listNodes({ name, selector }, 'Nodes' + (name ? ' named *' + name + '*' : '') + (selector ? ' matching ' + selector : ''));
  });
  window.addEventListener('resize', () => { if (S.map) renderMap(); });
  $('legend').replaceChildren(...LEGEND.map(([state, mark, text]) => el('li', { 'data-state': state }, [
    el('span', { class: 'swatch', style: 'background:' + COLOURS[state], 'aria-hidden': 'true', text: mark }), ' ' + text,
  ])));
  poll();
})();
`;
