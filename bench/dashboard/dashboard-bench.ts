import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { buildDashboardState } from '../../dashboard/build-dashboard-state.js';
import { dashboardHtml } from '../../dashboard/dashboard-html.js';
import { DashboardService } from '../../dashboard/dashboard-service.js';
import { FleetState } from '../../dashboard/fleet-state.js';
import { buildFleetView, PlacementReasonCache } from '../../dashboard/fleet-view.js';
import { heatMap } from '../../dashboard/heat-map.js';
import { type LocalHttpServer, startLocalHttpServer } from '../../local/local-http-server.js';
import { launchChromium } from '../../test/e2e/chromium.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatKb, formatMb, formatMs, median } from '../shared/stats.js';
import { type SeededFleet, seedFleet } from './seed-fleet.js';

/** Issue 17's aims: the dashboard at 10,000 nodes × 10 DaemonSets in headless Chromium. */
export const dashboardBenchmark: Benchmark = {
  name: 'dashboard',
  title: 'The fleet dashboard in headless Chromium: first load, download size, rollout updates, server refresh',
  run: runDashboard,
};

const AIM = { interactiveMs: 2_000, firstDownloadBytes: 300 * 1024, updateMs: 1_000 };
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const DAEMON_SETS = 10;
const UPDATES = 7;
const ADVANCE = 250;

type SizeRun = Readonly<{
  nodes: number;
  pods: number;
  /** The page opened on a control plane that has not built a view yet (it builds one for this page). */
  coldMs: number;
  /** The page opened on a running control plane (its first view built, as `npm start` does at start). */
  interactiveMs: number;
  firstDownloadBytes: number;
  updatesMs: readonly number[];
  viewMs: number;
  server: ServerCosts;
  heatMapRaw: number;
  heatMapGzip: number;
  heatMapStatesOnly: number;
  oldStateBytes: number;
}>;

/** What keeping the view costs the server (medians, ms). */
type ServerCosts = Readonly<{
  /** A maintained state built from a full read. */
  firstBuild: number;
  /** A full read compared with the state held, nothing changed. */
  resyncUnchanged: number;
  /** One pod report applied (one cell) and the view served. */
  podReport: number;
  /** A rollout step of `ADVANCE` nodes applied (the DaemonSet's pods read whole) and the view served. */
  step: number;
}>;

async function runDashboard(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const sizes = options.quick ? [1_000] : [1_000, 10_000];
  mkdirSync(RESULTS, { recursive: true });
  const loadBefore = loadavg();
  const browser = await launchChromium();
  const runs: SizeRun[] = [];
  try {
    for (const nodes of sizes) runs.push(await measureSize(browser, nodes, progress));
  } finally {
    await browser.close();
  }
  const loadAfter = loadavg();
  const largest = runs.at(-1);
  const worstUpdate = Math.max(...(largest?.updatesMs ?? [Number.NaN]));
  const size = `${formatCount(largest?.nodes ?? 0)} nodes × ${DAEMON_SETS} DaemonSets`;
  return {
    name: 'dashboard',
    title: dashboardBenchmark.title,
    tables: [
      {
        title: `Page in headless Chromium (1100×760), ${DAEMON_SETS} DaemonSets, one mid-rollout; fleet held in memory (no store reads)`,
        columns: [
          'nodes',
          'pods',
          'interactive',
          'interactive, server cold',
          'first download',
          `update shown (up to ${UPDATES} updates)`,
          'max update',
        ],
        rows: runs.map((run) => [
          formatCount(run.nodes),
          formatCount(run.pods),
          formatMs(run.interactiveMs),
          formatMs(run.coldMs),
          formatKb(run.firstDownloadBytes),
          `median ${formatMs(median(run.updatesMs))} (${run.updatesMs.length})`,
          formatMs(Math.max(...run.updatesMs)),
        ]),
      },
      {
        title: 'Server side, the view kept from changes (FleetState): what each change costs, against a full rebuild',
        columns: [
          'nodes',
          'full rebuild (buildFleetView)',
          'first build of the kept state',
          'resync: a full read compared, nothing changed',
          'one pod report applied',
          `a ${ADVANCE}-node step applied (its DaemonSet read whole)`,
        ],
        rows: runs.map((run) => [
          formatCount(run.nodes),
          formatMs(run.viewMs),
          formatMs(run.server.firstBuild),
          formatMs(run.server.resyncUnchanged),
          formatMs(run.server.podReport),
          formatMs(run.server.step),
        ]),
      },
      {
        title: 'What the page downloads for the heat map, against the old state document',
        columns: [
          'nodes',
          'heat map with names, raw / gzip',
          'heat map refresh (states only, gzip)',
          'old /dashboard/state',
        ],
        rows: runs.map((run) => [
          formatCount(run.nodes),
          `${formatKb(run.heatMapRaw)} / ${formatKb(run.heatMapGzip)}`,
          formatKb(run.heatMapStatesOnly),
          formatMb(run.oldStateBytes),
        ]),
      },
    ],
    aims: [
      {
        aim: `interactive within 2 s at ${size}`,
        measured: formatMs(largest?.interactiveMs ?? Number.NaN),
        met: (largest?.interactiveMs ?? Number.POSITIVE_INFINITY) <= AIM.interactiveMs,
      },
      {
        aim: `first download under 300 KB at ${size}`,
        measured: formatKb(largest?.firstDownloadBytes ?? Number.NaN),
        met: (largest?.firstDownloadBytes ?? Number.POSITIVE_INFINITY) < AIM.firstDownloadBytes,
      },
      {
        aim: `an update during a rollout shows within 1 s at ${size} (worst of ${UPDATES})`,
        measured: formatMs(worstUpdate),
        met: worstUpdate <= AIM.updateMs,
      },
    ],
    notes: [
      `Load average (1, 5, 15 min) before: ${loadBefore.map((value) => value.toFixed(2)).join(', ')}; after: ${loadAfter.map((value) => value.toFixed(2)).join(', ')} (${cpus().length} CPUs; other jobs share the machine).`,
      'Interactive: a running control plane (its first view built ahead, as `npm start` does); "server cold": the first page makes the server build its first view and reasons.',
      'The fleet is held in memory and handed to the dashboard service as its source (a full read) and its parts (targeted reads: a DaemonSet, its pods, its pods on one node), so the figures are the dashboard (server state, HTTP, page) without DynamoDB Local reads.',
      `Screenshots: test-results/dashboard-${formatCount(largest?.nodes ?? 0).replaceAll(',', '')}-nodes.png (and one per size).`,
      'Both from navigation start until the summary, heat map, why-not, rollout chart and events are rendered (the page sets data-version on <body>).',
      'First download: bytes on the wire (gzip) of every response until then, headers included.',
      `Update: ${ADVANCE} more nodes of the rolling DaemonSet move to the new revision in the source and the service is told (as the local control plane tells it of each store write); time until the page's counts show it.`,
    ],
    figures: { runs },
  };
}

async function measureSize(browser: BrowserContext, nodes: number, progress: Progress): Promise<SizeRun> {
  progress(`dashboard: seeding ${formatCount(nodes)} nodes × ${DAEMON_SETS} DaemonSets`);
  const fleet = seedFleet(nodes, DAEMON_SETS, Date.now());
  const viewMs = measureView(fleet);
  // On a fleet of its own: the page's updates below need the rolling DaemonSet's old nodes.
  const serverCosts = await measureServer(seedFleet(nodes, DAEMON_SETS, Date.now()));
  const cache = new PlacementReasonCache();
  const view = buildFleetView(fleet.input(), Date.now(), { reasonCache: cache });
  const map = heatMap(view, undefined, { groupBy: 'topology.kubernetes.io/zone' });
  const statesOnly = heatMap(view, undefined, {
    groupBy: 'topology.kubernetes.io/zone',
    namesVersion: map.namesVersion,
  });
  const oldStateBytes = Buffer.byteLength(JSON.stringify(buildDashboardState(fleet.input(), Date.now())));
  const service = new DashboardService({
    load: async () => ({ ...fleet.input(), events: new Map() }),
    parts: fleet.parts,
  });
  const server = await startLocalHttpServer({
    host: '127.0.0.1',
    port: 0,
    token: 'x'.repeat(43),
    api: async () => ({ statusCode: 404, body: '' }),
    dashboardHtml,
    dashboardState: async () => ({}),
    dashboardApi: (route, query, ifNoneMatch) => service.handle(route, query, ifNoneMatch),
  });
  const cold = await browser.newPage();
  progress(`dashboard: loading the page at ${formatCount(nodes)} nodes, server cold`);
  const coldMs = (await firstLoad(cold, server)).interactiveMs;
  await cold.close();
  // Until the cold page's background refreshes end: a running control plane with its view built, no page open.
  await sleep(6_000);
  const page = await browser.newPage();
  try {
    progress(`dashboard: loading the page at ${formatCount(nodes)} nodes`);
    const { interactiveMs, firstDownloadBytes } = await firstLoad(page, server);
    await page.screenshot({ path: `${RESULTS}dashboard-${nodes}-nodes.png`, fullPage: true });
    const updatesMs: number[] = [];
    for (let update = 0; update < UPDATES; update += 1) {
      progress(`dashboard: rollout update ${update + 1}/${UPDATES} at ${formatCount(nodes)} nodes`);
      const shown = await measureUpdate(page, fleet, service);
      // The rollout is done: no node left to move (a small fleet).
      if (shown === undefined) break;
      updatesMs.push(shown);
    }
    return {
      nodes,
      pods: fleet.pods,
      coldMs,
      interactiveMs,
      firstDownloadBytes,
      updatesMs,
      viewMs,
      server: serverCosts,
      heatMapRaw: Buffer.byteLength(JSON.stringify(map)),
      heatMapGzip: gzipSync(JSON.stringify(map)).length,
      heatMapStatesOnly: gzipSync(JSON.stringify(statesOnly)).length,
      oldStateBytes,
    };
  } finally {
    await page.close();
    await service.close();
    await server.close();
  }
}

function measureView(fleet: SeededFleet): number {
  const cache = new PlacementReasonCache();
  const times: number[] = [];
  for (let round = 0; round < 6; round += 1) {
    const input = fleet.input();
    const started = performance.now();
    buildFleetView(input, Date.now(), { reasonCache: cache });
    if (round > 0) times.push(performance.now() - started);
  }
  return median(times);
}

async function measureServer(fleet: SeededFleet): Promise<ServerCosts> {
  const state = new FleetState();
  let started = performance.now();
  state.resync(fleet.input(), Date.now());
  state.view(Date.now());
  const firstBuild = performance.now() - started;
  const resyncs: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const input = fleet.input();
    started = performance.now();
    state.resync(input, Date.now());
    state.view(Date.now());
    resyncs.push(performance.now() - started);
  }
  const reports: number[] = [];
  const steps: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const [nodeName] = fleet.advance(1);
    if (nodeName === undefined) break;
    const pods = await fleet.parts.podsOnNode(fleet.rolling, nodeName);
    started = performance.now();
    state.applyPods(fleet.rolling, nodeName, pods, Date.now());
    state.view(Date.now());
    reports.push(performance.now() - started);
  }
  for (let round = 0; round < 5; round += 1) {
    if (fleet.advance(ADVANCE).length === 0) break;
    started = performance.now();
    const { stored } = await fleet.parts.daemonSet(fleet.rolling);
    const pods = await fleet.parts.pods(fleet.rolling);
    if (stored !== undefined) state.applyDaemonSetWithPods(stored, pods, Date.now());
    state.view(Date.now());
    steps.push(performance.now() - started);
  }
  return {
    firstBuild,
    resyncUnchanged: median(resyncs),
    podReport: median(reports),
    step: median(steps),
  };
}

async function firstLoad(
  page: Page,
  server: LocalHttpServer,
): Promise<Readonly<{ interactiveMs: number; firstDownloadBytes: number }>> {
  const responses: Promise<number>[] = [];
  const onResponse = (response: import('playwright-core').Response) => {
    const size = response
      .finished()
      .then(() => response.request().sizes())
      .then((sizes) => sizes.responseBodySize + sizes.responseHeadersSize);
    // A response still streaming when the page is closed never finishes: it is not part of the first load.
    responses.push(Promise.race([size, sleep(10_000).then(() => 0)]).catch(() => 0));
  };
  page.on('response', onResponse);
  await page.goto(server.url, { waitUntil: 'commit' });
  await page.waitForFunction(
    "document.body && document.body.dataset.version !== undefined && document.querySelector('#heat-map canvas') !== null",
    undefined,
    { timeout: 120_000, polling: 50 },
  );
  const interactiveMs = await page.evaluate(() => performance.now());
  page.off('response', onResponse);
  const bytes = await Promise.all(responses);
  return { interactiveMs, firstDownloadBytes: bytes.reduce((total, each) => total + each, 0) };
}

async function measureUpdate(page: Page, fleet: SeededFleet, service: DashboardService): Promise<number | undefined> {
  const cell = `#fleet tr[data-daemon-set="${fleet.rolling}"] td[data-state="current"]`;
  const before = Number((await page.locator(cell).textContent())?.replaceAll(/\D/g, ''));
  const moved = fleet.advance(ADVANCE);
  if (moved.length === 0) return undefined;
  const started = performance.now();
  service.changed([{ daemonSet: fleet.rolling }, ...moved.map((nodeName) => ({ daemonSet: fleet.rolling, nodeName }))]);
  const expected = before + moved.length;
  await page.waitForFunction(
    `Number((document.querySelector(${JSON.stringify(cell)}) || {}).textContent?.replace(/\\D/g, '')) === ${expected}`,
    undefined,
    { timeout: 30_000, polling: 20 },
  );
  const shown = performance.now() - started;
  // Let the page settle on an idle view before the next update.
  await page.waitForTimeout(300);
  return shown;
}
