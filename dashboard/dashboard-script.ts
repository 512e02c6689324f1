/**
 * The dashboard's browser code, inlined into the page: polls `dashboard/state` every second and rebuilds the
 * view with DOM calls (never innerHTML, so names from the cluster cannot inject markup). Plain ES2020, since
 * it runs in the browser as written.
 */
export const DASHBOARD_SCRIPT = `
(() => {
  'use strict';
  const POLL_MS = 1000;
  const LEGEND = [
    ['current', '✓', 'current revision, ready'],
    ['old', '↻', 'old revision'],
    ['pending', '…', 'pending / not ready'],
    ['failed', '✗', 'failed'],
    ['terminating', '⊘', 'terminating'],
    ['missing', '○', 'should run, no pod yet'],
    ['not-eligible', '–', 'not eligible (hover for why)'],
  ];

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null) continue;
      if (name === 'text') node.textContent = String(value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function percent(part, whole) {
    return whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 100;
  }

  function renderDaemonSet(ds) {
    const flags = [];
    if (ds.rolling) flags.push(el('span', { class: 'flag info', text: 'rolling out' }));
    if (ds.paused) flags.push(el('span', { class: 'flag warn', text: '⏸ paused' }));
    if (ds.frozen) flags.push(el('span', { class: 'flag warn', text: '❄ frozen' }));
    if (ds.deleting) flags.push(el('span', { class: 'flag bad', text: '🗑 deleting' }));
    for (const warning of ds.warnings) flags.push(el('span', { class: 'flag bad', text: '⚠ ' + warning }));
    const label = ds.name + ': ' + ds.updated + ' of ' + ds.desired + ' updated, ' + ds.available + ' of ' + ds.desired + ' available';
    const bar = el('div', {
      class: 'bar', role: 'progressbar', 'aria-label': label,
      'aria-valuemin': 0, 'aria-valuemax': ds.desired, 'aria-valuenow': Math.min(ds.updated, ds.available),
    }, [
      el('div', { class: 'updated', style: 'width:' + percent(ds.updated, ds.desired) + '%' }),
      el('div', { class: 'available', style: 'width:' + percent(Math.min(ds.updated, ds.available), ds.desired) + '%' }),
    ]);
    return el('section', { class: 'daemon-set', 'data-daemon-set': ds.key, 'aria-label': 'DaemonSet ' + ds.key }, [
      el('div', { class: 'title', text: ds.name }),
      el('div', { class: 'meta', text: ds.namespace + ' · ' + ds.strategy + ' · revision ' + ds.currentRevision }),
      bar,
      el('div', { class: 'counts', text: ds.updated + '/' + ds.desired + ' updated · ' + ds.available + '/' + ds.desired + ' available · ' + ds.ready + ' ready' }),
      el('div', {}, flags),
    ]);
  }

  function renderCell(cell) {
    return el('td', {
      class: 'cell state-' + cell.state, title: cell.title, 'data-daemon-set': cell.daemonSet, 'data-state': cell.state,
    }, [
      el('span', { class: 'symbol', 'aria-hidden': 'true', text: cell.symbol }),
      el('span', { class: 'label', text: cell.label }),
      el('span', { class: 'visually-hidden', style: 'position:absolute;left:-9999px', text: ' (' + cell.title + ')' }),
    ]);
  }

  function renderRow(row) {
    const badges = row.badges.map((badge) => el('span', { class: 'badge ' + badge.kind, text: badge.text }));
    return el('tr', { 'data-node': row.node }, [
      el('th', { scope: 'row' }, [el('div', { text: row.node }), el('div', {}, badges)]),
      ...row.cells.map(renderCell),
    ]);
  }

  function renderGrid(state) {
    if (state.rows.length === 0) {
      return el('p', { class: 'empty' }, ['No nodes yet. Join one with ', el('code', { text: 'npx everynode node join worker-1' }), '.']);
    }
    const head = el('tr', {}, [
      el('th', { scope: 'col', text: 'Node' }),
      ...state.daemonSets.map((ds) => el('th', { scope: 'col', 'data-daemon-set': ds.key, title: ds.key, text: ds.name })),
    ]);
    return el('table', { id: 'grid' }, [
      el('caption', { text: 'Pods by node (rows) and DaemonSet (columns); hover a cell for details' }),
      el('thead', {}, [head]),
      el('tbody', {}, state.rows.map(renderRow)),
    ]);
  }

  function render(state) {
    const daemonSets = state.daemonSets.length === 0
      ? [el('p', { class: 'empty' }, ['No DaemonSets yet. Apply one with ', el('code', { text: 'npx everynode apply -f fluentd.yaml' }), '.'])]
      : state.daemonSets.map(renderDaemonSet);
    document.getElementById('daemon-sets').replaceChildren(...daemonSets);
    document.getElementById('grid-container').replaceChildren(renderGrid(state));
    const status = document.getElementById('status');
    status.className = '';
    status.textContent = 'Updated ' + new Date(state.generatedAt).toLocaleTimeString() + ' · ' + state.rows.length + ' node(s) · ' + state.daemonSets.length + ' DaemonSet(s)';
  }

  function showError(message) {
    const status = document.getElementById('status');
    status.className = 'error';
    status.textContent = 'Cannot reach the control plane (' + message + '); retrying…';
  }

  async function poll() {
    try {
      const response = await fetch('dashboard/state', { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      render(await response.json());
    } catch (error) {
      showError(error && error.message ? error.message : String(error));
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  document.getElementById('legend').replaceChildren(
    ...LEGEND.map(([state, symbol, text]) => el('li', { class: 'state-' + state, text: symbol + ' ' + text })),
  );
  poll();
})();
`;
