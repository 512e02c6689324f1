import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEverynode } from '../cli/run-everynode.js';
import { everynodeFor, fluentdWithImage, podRows, runningOn } from './cli-helpers.js';
import { startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

let plane: TestControlPlane;
const everynode = everynodeFor(() => plane);

beforeAll(async () => {
  plane = await startTestControlPlane();
});

afterAll(async () => {
  await plane?.stop();
});

describe('the issue 6 flow: npm start -- --demo, then everynode', () => {
  it('lists fluentd on all three demo nodes', async () => {
    const rows = await runningOn(everynode, ['control-plane-1', 'gpu-1', 'worker-1']);

    expect(new Set(rows.map((row) => row.revision)).size).toBe(1);
  });

  it('lists the DaemonSet in kubectl columns', async () => {
    const result = await everynode('get', 'ds');

    expect(result.code).toBe(0);
    const [header, row] = result.stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual([
      'NAMESPACE',
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
    ]);
    expect(row).toMatch(/^kube-system +fluentd-logger +3 +3 +3 +3 +3 +<none> +\S+$/);
  });

  it('makes a pod appear on a node that joins', async () => {
    const started = Date.now();

    const joined = await everynode('node', 'join', 'worker-2', '--label', 'zone=b');
    await runningOn(everynode, ['control-plane-1', 'gpu-1', 'worker-1', 'worker-2']);

    expect(joined).toMatchObject({ code: 0, stdout: 'node/worker-2 joined\n' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('rolls a new image out to the end with rollout status', async () => {
    const applied = await everynode('apply', '-f', fluentdWithImage('fluent/fluentd:v1.16'));

    const status = await everynode(
      'rollout',
      'status',
      'daemonset/fluentd-logger',
      '-n',
      'kube-system',
      '--timeout',
      '90s',
    );

    expect(applied.stdout).toBe('daemonset.apps/fluentd-logger configured\n');
    expect(status.code).toBe(0);
    expect(status.stdout.trim().split('\n').at(-1)).toBe('daemon set "fluentd-logger" successfully rolled out');
    const rows = await podRows(everynode);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((row) => row.revision)).size).toBe(1);
  });

  it('describes the DaemonSet with its status, revisions and events', async () => {
    const result = await everynode('describe', 'ds', 'fluentd-logger');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Desired Number of Nodes Scheduled: 4');
    expect(result.stdout).toMatch(/Revisions:\n +REVISION +HASH +AGE +CHANGE-CAUSE\n +1 +\S+.*\n +2 \(current\)/);
    expect(result.stdout).toMatch(/Events:\n(.*\n)* +Normal +SuccessfulCreate/);
  });

  it('rolls back with undo and shows the history', async () => {
    const undone = await everynode('rollout', 'undo', 'ds', 'fluentd-logger');
    const status = await everynode('rollout', 'status', 'ds/fluentd-logger', '--timeout', '90s');
    const history = await everynode('rollout', 'history', 'ds/fluentd-logger');

    expect(undone.stdout).toBe('daemonset.apps/fluentd-logger rolled back\n');
    expect(status.code).toBe(0);
    expect(history.stdout).toMatch(/^daemonset\.apps\/fluentd-logger\nREVISION +CHANGE-CAUSE\n2 +<none>\n3 +<none>\n/);
  });

  it('plans against the live cluster what applying a manifest would change', async () => {
    const result = await everynode('plan', '--live', '-f', fluentdWithImage('fluent/fluentd:v1.17'), '-o', 'json');

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('applying changes the pod template of daemonset.apps/fluentd-logger');
    const plan = JSON.parse(result.stdout);
    expect(plan.nodes.map((node: { name: string }) => node.name)).toEqual([
      'control-plane-1',
      'gpu-1',
      'worker-1',
      'worker-2',
    ]);
    expect(plan.actions).toEqual([
      { action: 'delete', node: expect.any(String), pod: expect.any(String), reason: 'outdated' },
    ]);
  });

  it('explains how to start a control plane that is not running', async () => {
    const result = await runEverynode(['get', 'pods'], { env: { EVERYNODE_ENDPOINT: 'http://127.0.0.1:9' } });

    expect(result).toMatchObject({
      code: 1,
      stderr: 'cannot reach everynode at http://127.0.0.1:9: is it running? Start it with `npm start`\n',
    });
  });
});
