import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { fixture, runEverynode } from '../cli/run-everynode.js';
import { launchChromium } from './chromium.js';
import { BROKEN_IMAGE, startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const FLUENTD = 'kube-system/fluentd-logger';
const MANY = 200;

let plane: TestControlPlane;
let browser: BrowserContext;
let page: Page;

/** The count of nodes in `state` for a DaemonSet, as the fleet table shows it. */
const count = async (daemonSet: string, state: string) =>
  Number(
    (await page.locator(`#fleet tr[data-daemon-set="${daemonSet}"] td[data-state="${state}"]`).textContent())?.replace(
      /\D/g,
      '',
    ),
  );

// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML manifest, edited field by field
function manifestFile(change: (manifest: any) => void): string {
  const manifest = parse(readFileSync(fixture('fluentd.yaml'), 'utf8'));
  change(manifest);
  const file = join(mkdtempSync(join(tmpdir(), 'everynode-dashboard-')), `${manifest.metadata.name}.yaml`);
  writeFileSync(file, stringify(manifest));
  return file;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [plane, browser] = await Promise.all([startTestControlPlane({ crashLoopAfterMs: 3_000 }), launchChromium()]);
  page = await browser.newPage();
  await page.goto(plane.url);
});

afterAll(async () => {
  await browser?.close();
  await plane?.stop();
});

describe('the dashboard', () => {
  it('shows the demo fleet at a glance: fluentd current on all 3 nodes, in counts and in the heat map', async () => {
    await expect.poll(() => count(FLUENTD, 'current'), { timeout: 30_000 }).toBe(3);

    await page.screenshot({ path: `${SCREENSHOTS}dashboard-3-nodes.png`, fullPage: true });
    expect(await page.locator('#fleet-totals').textContent()).toMatch(/^3 node\(s\) · 0 not ready/);
    expect(await page.locator('#fleet caption').count()).toBe(1);
    expect(await page.locator(`#fleet tr[data-daemon-set="${FLUENTD}"] th[scope="row"] .title`).textContent()).toBe(
      'fluentd-logger',
    );
    const bar = page.locator(`#fleet tr[data-daemon-set="${FLUENTD}"] [role="progressbar"]`);
    expect(await bar.getAttribute('aria-valuenow')).toBe('3');
    const map = page.locator('#heat-map canvas[role="img"]');
    await expect.poll(() => map.count()).toBeGreaterThan(0);
    expect(await map.first().getAttribute('aria-label')).toMatch(/node\(s\): ✓ \d current and ready/);
  });

  it('opens a node page from a heat-map cell, saying per DaemonSet its pod', async () => {
    await page.selectOption('#map-group-by', 'kubernetes.io/os');
    const canvas = page.locator('#heat-map canvas').first();
    await expect.poll(() => canvas.getAttribute('data-group')).toBe('linux');

    await canvas.click({ position: { x: 2, y: 2 } });

    const row = page.locator(`#node-page tr[data-daemon-set="${FLUENTD}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('current');
    expect(await page.locator('#node-page h3').textContent()).toBe('Node control-plane-1');
    expect(await row.locator('td.why').textContent()).toMatch(
      /^pod fluentd-logger-\S+: Running, ready, current revision/,
    );
  });

  it('aggregates why not: a tainted node opens from its reason, whose page says why', async () => {
    await runEverynode(['node', 'join', 'tainted-1', '--taint', 'dedicated=infra:NoExecute'], { env: plane.cliEnv });

    const reason = page.locator(`#why-not .why[data-daemon-set="${FLUENTD}"] button.reason`);
    await expect
      .poll(() => reason.first().textContent(), { timeout: 30_000 })
      .toBe('1 node(s): taint dedicated=infra:NoExecute is not tolerated');
    await reason.first().click();
    await expect.poll(() => page.locator('#nodes tbody tr').count()).toBe(1);
    await page.locator('#nodes tbody tr[data-node="tainted-1"] button').click();

    const row = page.locator(`#node-page tr[data-daemon-set="${FLUENTD}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('not-eligible');
    expect(await row.locator('td.why').textContent()).toBe(
      'no pod, not eligible: taint dedicated=infra:NoExecute is not tolerated',
    );
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-why-not.png`, fullPage: true });
  });

  it('counts a node with the startup taint as gated', async () => {
    // A startup-critical DaemonSet whose pod takes an hour to count as available holds the node's gate closed
    // (with no critical DaemonSet to wait for, the gate would open at once and the taint go).
    const critical = manifestFile((manifest) => {
      manifest.metadata.name = 'slow-cni';
      manifest.metadata.annotations = { 'everynode.io/startup-critical': 'true' };
      manifest.spec.selector.matchLabels.name = 'slow-cni';
      manifest.spec.template.metadata.labels.name = 'slow-cni';
      manifest.spec.minReadySeconds = 3600;
      manifest.spec.template.spec.nodeSelector = { 'node.example.com/booting': 'true' };
    });
    await runEverynode(['apply', '-f', critical], { env: plane.cliEnv });
    await runEverynode(
      [
        'node',
        'join',
        'booting-1',
        '--label',
        'node.example.com/booting=true',
        '--taint',
        'everynode.io/startup:NoSchedule',
      ],
      { env: plane.cliEnv },
    );

    await expect.poll(() => count(FLUENTD, 'gated'), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('#fleet-totals').textContent()).toContain('1 gated');
  });

  it('finds nodes by name and by label selector, and says what is wrong with a bad selector', async () => {
    await page.fill('#find-name', 'gpu');
    await page.click('#find button[type="submit"]');
    await expect
      .poll(() =>
        page.locator('#nodes tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-node'))),
      )
      .toEqual(['gpu-1']);

    await page.fill('#find-name', '');
    await page.fill('#find-selector', 'hardware notin (gpu),!node-role.kubernetes.io/control-plane');
    await page.click('#find button[type="submit"]');
    await expect
      .poll(() =>
        page.locator('#nodes tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-node'))),
      )
      .toEqual(['booting-1', 'tainted-1', 'worker-1']);

    await page.fill('#find-selector', 'hardware in (gpu');
    await page.click('#find button[type="submit"]');
    await expect
      .poll(() => page.locator('#node-list [role="alert"]').textContent())
      .toMatch(/^selector: Invalid value/);
  });

  it('charts a partitioned rollout with uPlot, lists it, and feeds its events', async () => {
    const file = manifestFile((manifest) => {
      manifest.metadata.annotations = { 'everynode.io/partition': '2' };
      manifest.spec.template.spec.containers[0].image = 'fluent/fluentd:v1.16';
    });

    await runEverynode(['apply', '-f', file], { env: plane.cliEnv });

    // Three nodes may run fluentd; the partition keeps two on the old revision.
    await expect.poll(() => count(FLUENTD, 'old'), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => count(FLUENTD, 'current'), { timeout: 30_000 }).toBe(1);
    await page.selectOption('#map-daemon-set', FLUENTD);
    await expect.poll(() => page.locator('#rollout-chart canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#rollout-chart').getAttribute('aria-label')).toMatch(
      /^Rollout of fluentd-logger revision/,
    );
    expect(await page.locator('#rollout-facts').textContent()).toContain('budget (maxUnavailable) 1');
    expect(await page.locator('#rollout-history tbody tr').count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page.locator('#events li').evaluateAll((items) => items.map((item) => item.getAttribute('data-reason'))),
      )
      .toContain('RolloutStarted');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-rollout.png`, fullPage: true });
  });

  it('shows a crash-looping DaemonSet as failed', async () => {
    const file = manifestFile((manifest) => {
      manifest.metadata.name = 'broken-agent';
      manifest.spec.selector.matchLabels.name = 'broken-agent';
      manifest.spec.template.metadata.labels.name = 'broken-agent';
      manifest.spec.template.spec.containers[0].image = BROKEN_IMAGE;
    });

    await runEverynode(['apply', '-f', file], { env: plane.cliEnv });

    await expect.poll(() => count('kube-system/broken-agent', 'failed'), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.locator('#fleet tr[data-daemon-set="kube-system/broken-agent"] td[data-state="failed"] button').click();
    const first = page.locator('#nodes tbody tr').first();
    await first.locator('button').first().click();
    await expect
      .poll(() => page.locator('#node-page tr[data-daemon-set="kube-system/broken-agent"] td.why').textContent())
      .toMatch(/crash-looping \(Running, never ready\)$/);
  });

  it(`draws ${MANY} more nodes in the heat map without downloading them as rows`, async () => {
    const joins = Array.from({ length: MANY }, (_, index) =>
      fetch(`${plane.url}/v1/nodes/fleet-${String(index).padStart(3, '0')}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${plane.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { labels: { 'topology.kubernetes.io/zone': `eu-west-1${'abc'[index % 3]}` } },
          // Dedicated nodes: no DaemonSet here tolerates them, so the test pays for nodes, not pods.
          spec: { taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }),
      }),
    );
    expect((await Promise.all(joins)).map((response) => response.status)).toEqual(Array(MANY).fill(202));

    await expect.poll(() => page.locator('#fleet-totals').textContent(), { timeout: 60_000 }).toMatch(/^205 node\(s\)/);
    await page.selectOption('#map-group-by', 'topology.kubernetes.io/zone');
    await expect.poll(() => page.locator('#heat-map .group').count()).toBe(4);
    await expect
      .poll(() =>
        page
          .locator(`#why-not button.reason[data-reason="taint dedicated=batch:NoSchedule is not tolerated"]`)
          .first()
          .textContent(),
      )
      .toBe(`${MANY} node(s): taint dedicated=batch:NoSchedule is not tolerated`);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-${MANY + 5}-nodes.png`, fullPage: true });
    // Every answer the page fetched stayed small (the old state document was a row per node).
    const largest = await page.evaluate<number>(
      "Math.max(...performance.getEntriesByType('resource').map((entry) => entry.encodedBodySize))",
    );
    expect(largest).toBeLessThan(20_000);
  });
});
