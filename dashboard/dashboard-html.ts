import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_CSS } from './dashboard-styles.js';

/**
 * The live dashboard: one self-contained page (inline CSS and script, no external assets) that polls
 * `dashboard/state` (relative to the page) every second and renders nodes × DaemonSets.
 */
export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>everynode</title>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<header>
  <h1>everynode</h1>
  <span id="status" role="status" aria-live="polite">Loading…</span>
</header>
<main>
  <h2>DaemonSets</h2>
  <div id="daemon-sets" class="daemon-sets"></div>
  <h2>Pods</h2>
  <div id="grid-container"></div>
  <h2>Legend</h2>
  <ul id="legend" class="legend" aria-label="Cell states"></ul>
</main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
