import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { writeYaml } from '../cli/pod-manifests.js';
import { fixture, runEverynode } from '../cli/run-everynode.js';
import { everynodeFor, fluentdWithImage, MANIFESTS, runningOn } from './cli-helpers.js';
import { BROKEN_IMAGE, eventually, startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

let plane: TestControlPlane;
const everynode = everynodeFor(() => plane);

beforeAll(async () => {
  plane = await startTestControlPlane();
});

afterAll(async () => {
  await plane?.stop();
});

describe('everynode commands against the local control plane', () => {
  it('prints Kubernetes List objects with -o json and single objects by name with -o yaml', async () => {
    await runningOn(everynode, ['control-plane-1', 'gpu-1', 'worker-1']);

    const list = await everynode('get', 'nodes', '-o', 'json');
    const one = await everynode('get', 'daemonset/fluentd-logger', '-o', 'yaml');

    const nodes = JSON.parse(list.stdout);
    expect(nodes).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(nodes.items.map((node: { metadata: { name: string } }) => node.metadata.name)).toEqual([
      'control-plane-1',
      'gpu-1',
      'worker-1',
    ]);
    expect(parse(one.stdout)).toMatchObject({ kind: 'DaemonSet', metadata: { name: 'fluentd-logger' } });
  });

  it('deletes a pod, and its DaemonSet replaces it with a new one', async () => {
    const [victim] = (await runningOn(everynode, ['control-plane-1', 'gpu-1', 'worker-1'])).filter(
      (row) => row.node === 'gpu-1',
    );

    const deleted = await everynode('delete', 'pod', victim?.name ?? '');
    const rows = await runningOn(everynode, ['control-plane-1', 'gpu-1', 'worker-1']);
    const missing = await everynode('delete', 'pod', 'fluentd-logger-nope');

    expect(deleted).toMatchObject({ code: 0, stdout: `pod "${victim?.name}" deleted\n` });
    expect(rows.find((row) => row.node === 'gpu-1')?.name).not.toBe(victim?.name);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): pods "fluentd-logger-nope" not found\n',
    });
  });

  it('explains why a tainted node runs no pod, and evicts its pod', async () => {
    await everynode('node', 'join', 'worker-2');
    await runningOn(everynode, ['control-plane-1', 'gpu-1', 'worker-1', 'worker-2']);

    const tainted = await everynode('node', 'taint', 'worker-2', 'dedicated=infra:NoExecute');
    await runningOn(everynode, ['control-plane-1', 'gpu-1', 'worker-1']);
    const described = await everynode('describe', 'node', 'worker-2');

    expect(tainted.stdout).toBe('node/worker-2 tainted\n');
    expect(described.stdout).toMatch(
      /kube-system +fluentd-logger +<none> +not-eligible +not eligible: taint dedicated=infra:NoExecute is not tolerated/,
    );
  });

  it('times out rollout status while the rollout is paused', async () => {
    const manifest = parse(readFileSync(fluentdWithImage('fluent/fluentd:v1.17'), 'utf8'));
    manifest.metadata.annotations = { 'everynode.io/paused': 'true' };
    await everynode('apply', '-f', writeYaml(MANIFESTS, 'fluentd-paused.yaml', manifest));

    const status = await everynode('rollout', 'status', 'ds/fluentd-logger', '--timeout', '3s');
    const resumed = await everynode('rollout', 'resume', 'ds/fluentd-logger');

    expect(status.code).toBe(1);
    expect(status.stdout).toContain('(paused: continue with `rollout resume`)');
    expect(status.stderr).toBe('error: timed out waiting for the condition\n');
    expect(resumed.stdout).toBe('daemonset.apps/fluentd-logger resumed\n');
  });

  it('fails rollout status when pods never become available within the progress deadline', async () => {
    const manifest = parse(readFileSync(fixture('fluentd.yaml'), 'utf8'));
    manifest.metadata = {
      name: 'broken',
      namespace: 'default',
      annotations: { 'everynode.io/progress-deadline-seconds': '3' },
    };
    manifest.spec.selector.matchLabels = { name: 'broken' };
    manifest.spec.template.metadata.labels = { name: 'broken' };
    manifest.spec.template.spec.containers[0].image = BROKEN_IMAGE;

    const applied = await everynode('apply', '-f', writeYaml(MANIFESTS, 'broken.yaml', manifest));
    const status = await everynode('rollout', 'status', 'ds/broken', '--timeout', '60s');

    expect(applied.stdout).toBe('daemonset.apps/broken created\n');
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/^error: daemon set "broken" exceeded its progress deadline/);
  });

  it('fails rollout status with the revision an automatic revert went back to', async () => {
    const manifest = parse(readFileSync(fixture('fluentd.yaml'), 'utf8'));
    manifest.metadata = {
      name: 'reverting',
      namespace: 'reverts',
      annotations: { 'everynode.io/progress-deadline-seconds': '3', 'everynode.io/auto-revert': 'true' },
    };
    manifest.spec.selector.matchLabels = { name: 'reverting' };
    manifest.spec.template.metadata.labels = { name: 'reverting' };
    await everynode('apply', '-f', writeYaml(MANIFESTS, 'reverting.yaml', manifest));
    const first = await everynode('rollout', 'status', 'ds/reverting', '--timeout', '60s');
    manifest.spec.template.spec.containers[0].image = BROKEN_IMAGE;
    await everynode('apply', '-f', writeYaml(MANIFESTS, 'reverting.yaml', manifest));

    const status = await everynode('rollout', 'status', 'ds/reverting', '--timeout', '60s');
    await everynode('delete', 'ds', 'reverting');

    expect(first.code).toBe(0);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(
      /^error: daemon set "reverting" rolled back to revision 1: Revision "reverting-\w+" made no progress for 3s\n$/,
    );
  });

  it('names the object and its size when the API refuses it as too large', async () => {
    const manifest = parse(readFileSync(fixture('fluentd.yaml'), 'utf8'));
    manifest.metadata.name = 'huge';
    manifest.spec.template.spec.containers[0].args = ['x'.repeat(250 * 1024)];

    const result = await everynode('apply', '-f', writeYaml(MANIFESTS, 'huge.yaml', manifest));

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: daemonset\.apps\/huge is 25\d KiB as JSON, more than the everynode API takes in one request \(.+\)\n$/,
    );
  });

  it('applies several objects from standard input', async () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1', labels: { hardware: 'gpu' } } };
    const input = `${stringify(node)}---\n${readFileSync(fixture('gpu-monitor.yaml'), 'utf8')}`;

    const result = await runEverynode(['apply', '-f', '-'], { env: plane.cliEnv, input });

    expect(result).toMatchObject({ code: 0, stdout: 'node/edge-1 created\ndaemonset.apps/gpu-monitor created\n' });
  });

  it('refuses an invalid manifest with its field paths before sending anything, in the words of validate', async () => {
    const result = await everynode('apply', '-f', fixture('invalid-selector-mismatch.yaml'));
    const validated = await everynode('validate', '-f', fixture('invalid-selector-mismatch.yaml'));

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^spec\.template\.metadata\.labels: Invalid value/);
    expect(validated).toMatchObject({ code: 2, stderr: result.stderr });
  });

  it('applies the DaemonSets of a file that mixes in other kinds, naming each object it skips', async () => {
    const input = [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: logging\n',
      readFileSync(fixture('gpu-monitor.yaml'), 'utf8').replace('name: gpu-monitor', 'name: gpu-monitor-mixed'),
    ].join('---\n');

    const result = await runEverynode(['apply', '-f', '-'], { env: plane.cliEnv, input });

    expect(result).toMatchObject({
      code: 0,
      stdout:
        'namespace/logging skipped: everynode manages DaemonSets and Nodes\ndaemonset.apps/gpu-monitor-mixed created\n',
    });
  });

  it('reports what does not exist as kubectl does', async () => {
    const result = await everynode('get', 'ds', 'nope');

    expect(result).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): daemonsets.apps "nope" not found\n',
    });
  });

  it('deletes a DaemonSet and its pods go', async () => {
    const deleted = await everynode('delete', 'ds', 'broken');

    await eventually('the broken pods to go', async () => {
      const result = await everynode('get', 'pods', '-n', 'default');
      return result.stdout === '' ? true : undefined;
    });
    expect(deleted).toMatchObject({ code: 0, stdout: 'daemonset.apps "broken" deleted\n' });
  });
});
