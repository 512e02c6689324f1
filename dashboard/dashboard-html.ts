import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_CSS } from './dashboard-styles.js';
import { uplotAssets } from './uplot-assets.js';

/**
 * The live dashboard: one self-contained page (inline CSS and scripts, uPlot included, no external assets)
 * that asks the control plane for aggregates and pages only (`dashboard/summary`, `heatmap`, `why-not`,
 * `nodes`, `rollouts`, `events`, relative to the page), polls the summary's ETag four times a second and
 * refetches only what changed.
 */
export function dashboardHtml(): string {
  const uplot = uplotAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>everynode</title>
<style>${uplot.css}</style>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<header>
  <h1>everynode</h1>
  <span id="status" role="status" aria-live="polite">Loading…</span>
</header>
<main>
  <section aria-labelledby="fleet-heading">
    <h2 id="fleet-heading">Fleet</h2>
    <p id="fleet-totals"></p>
    <div id="daemon-sets"></div>
  </section>
  <section aria-labelledby="map-heading">
    <h2 id="map-heading">Heat map</h2>
    <form id="map-controls" class="controls">
      <label>DaemonSet <select id="map-daemon-set"></select></label>
      <label>Group by <select id="map-group-by"></select></label>
    </form>
    <ul id="legend" class="legend" aria-label="Node states"></ul>
    <div id="heat-map"></div>
    <div id="map-tip" class="tip" role="tooltip" hidden></div>
  </section>
  <section aria-labelledby="why-heading">
    <h2 id="why-heading">Why not</h2>
    <div id="why-not"></div>
  </section>
  <section aria-labelledby="rollout-heading">
    <h2 id="rollout-heading">Rollout</h2>
    <div id="rollout"></div>
  </section>
  <section aria-labelledby="find-heading">
    <h2 id="find-heading">Find a node</h2>
    <form id="find" class="controls" role="search">
      <label>Name <input id="find-name" type="search" autocomplete="off" placeholder="ip-10-0"></label>
      <label>Label selector <input id="find-selector" type="search" autocomplete="off" placeholder="topology.kubernetes.io/zone=eu-west-1a"></label>
      <button type="submit">Search</button>
    </form>
    <div id="node-list"></div>
    <div id="node-page"></div>
  </section>
  <section aria-labelledby="events-heading">
    <h2 id="events-heading">Events</h2>
    <ol id="events" class="events" aria-live="off"></ol>
  </section>
</main>
<script>${uplot.script}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
