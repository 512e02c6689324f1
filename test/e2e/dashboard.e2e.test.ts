import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { fixture, runEverynode } from '../cli/run-everynode.js';
import { launchChromium } from './chromium.js';
import { startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const FLUENTD = 'kube-system/fluentd-logger';

let plane: TestControlPlane;
let browser: BrowserContext;
let page: Page;

const cell = (node: string) => page.locator(`#grid tr[data-node="${node}"] td[data-daemon-set="${FLUENTD}"]`);

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [plane, browser] = await Promise.all([startTestControlPlane(), launchChromium()]);
  page = await browser.newPage();
  await page.goto(plane.url);
});

afterAll(async () => {
  await browser?.close();
  await plane?.stop();
});

describe('the dashboard', () => {
  it('renders the demo nodes as rows and fluentd as a column, every pod current', async () => {
    for (const node of ['control-plane-1', 'gpu-1', 'worker-1']) {
      await expect.poll(() => cell(node).getAttribute('data-state'), { timeout: 30_000 }).toBe('current');
    }

    await page.screenshot({ path: `${SCREENSHOTS}dashboard-demo.png`, fullPage: true });
    expect(
      await page.locator('#grid tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-node'))),
    ).toEqual(['control-plane-1', 'gpu-1', 'worker-1']);
    expect(await page.locator(`#grid thead th[data-daemon-set="${FLUENTD}"]`).textContent()).toBe('fluentd-logger');
    expect(await cell('gpu-1').textContent()).toContain('✓');
  });

  it('uses table semantics and shows node taints as badges', async () => {
    const headers = page.locator('#grid th[scope="row"]');

    await expect.poll(() => headers.count()).toBe(3);
    expect(await page.locator('#grid caption').count()).toBe(1);
    expect(await page.locator('#grid tr[data-node="control-plane-1"] .badge.taint').textContent()).toBe(
      'node-role.kubernetes.io/control-plane:NoSchedule',
    );
  });

  it('shows the rollout progress of the DaemonSet', async () => {
    const bar = page.locator(`section[data-daemon-set="${FLUENTD}"] [role="progressbar"]`);

    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('3');
    expect(await bar.getAttribute('aria-valuemax')).toBe('3');
  });

  it('adds a row when a node joins, and its pod turns current', async () => {
    const joined = await runEverynode(['node', 'join', 'worker-2'], { env: plane.cliEnv });

    await expect.poll(() => cell('worker-2').getAttribute('data-state'), { timeout: 30_000 }).toBe('current');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-node-joined.png`, fullPage: true });
    expect(joined.code).toBe(0);
    expect(await page.locator('#grid tbody tr').count()).toBe(4);
  });

  it('explains on hover why a node is not eligible', async () => {
    await runEverynode(['node', 'join', 'tainted-1', '--taint', 'dedicated=infra:NoExecute'], { env: plane.cliEnv });

    await expect.poll(() => cell('tainted-1').getAttribute('data-state'), { timeout: 30_000 }).toBe('not-eligible');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-not-eligible.png`, fullPage: true });
    expect(await cell('tainted-1').getAttribute('title')).toBe(
      'not eligible: taint dedicated=infra:NoExecute is not tolerated',
    );
    expect(await page.locator('#grid tr[data-node="tainted-1"] .badge.taint').textContent()).toBe(
      'dedicated=infra:NoExecute',
    );
  });

  it('shows old-revision pods and partial progress while a partitioned rollout holds', async () => {
    const manifest = parse(readFileSync(fixture('fluentd.yaml'), 'utf8'));
    manifest.metadata.annotations = { 'everynode.io/partition': '2' };
    manifest.spec.template.spec.containers[0].image = 'fluent/fluentd:v1.16';
    const file = join(mkdtempSync(join(tmpdir(), 'everynode-dashboard-')), 'fluentd-partitioned.yaml');
    writeFileSync(file, stringify(manifest));

    await runEverynode(['apply', '-f', file], { env: plane.cliEnv });
    const states = () =>
      page
        .locator(`#grid td[data-daemon-set="${FLUENTD}"]`)
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')));
    await expect
      .poll(async () => (await states()).toSorted().join(','), { timeout: 30_000 })
      .toBe('current,current,not-eligible,old,old');
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-partitioned.png`, fullPage: true });

    const section = page.locator(`section[data-daemon-set="${FLUENTD}"]`);
    // The cells turn current when the new pods exist; they count as available once their agents report them ready.
    await expect
      .poll(async () => section.locator('.counts').textContent(), { timeout: 30_000 })
      .toMatch(/^2\/4 updated · 4\/4 available/);
    expect(await section.locator('.flag.info').textContent()).toBe('rolling out');
  });
});
