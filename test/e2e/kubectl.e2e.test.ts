import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEMO_NODES } from '../../local/demo-seed.js';
import { eventually, startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

/**
 * Issue 16: real kubectl (/usr/bin/kubectl; `.ci/run` installs Debian's kubernetes-client when it is absent)
 * drives one local control plane through the whole DaemonSet life cycle, with nothing but the kubeconfig
 * `npm start` writes.
 */

const FLUENTD = 'test/fixtures/manifests/fluentd.yaml';
const GPU_MONITOR = 'test/fixtures/manifests/gpu-monitor.yaml';

type Result = Readonly<{ code: number; stdout: string; stderr: string }>;

let plane: TestControlPlane;

/** Waits and test time on a loaded machine (the full suite shares two cores): a rollout can take ten times longer. */
const SETTLE_MS = 90_000;
const SLOW_TEST = { timeout: 240_000 } as const;

const settled = (what: string, check: () => Promise<true | undefined>) => eventually(what, check, SETTLE_MS);

function kubectl(args: readonly string[], input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      [...args],
      { env: { ...process.env, KUBECONFIG: plane.kubeconfig }, timeout: 200_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function ok(...args: string[]): Promise<string> {
  const result = await kubectl(args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** The data rows of a `kubectl get` table, split on its column gaps. */
const rows = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(/\s{2,}/));

/** The node each fluentd pod runs on, sorted. */
async function fluentdNodes(): Promise<string[]> {
  const table = await ok('get', 'pods', '-n', 'kube-system', '-l', 'name=fluentd-logger', '-o', 'wide');
  return rows(table)
    .filter((row) => row[2] === 'Running')
    .map((row) => row[6] ?? '')
    .sort();
}

const fluentdImages = () =>
  ok(
    'get',
    'pods',
    '-n',
    'kube-system',
    '-l',
    'name=fluentd-logger',
    '-o',
    'jsonpath={.items[*].spec.containers[0].image}',
  );

beforeAll(async () => {
  plane = await startTestControlPlane({ demo: false });
});

afterAll(async () => {
  await plane?.stop();
});

describe('kubectl against the local control plane', () => {
  it('discovers the API: version, resources and their short names', async () => {
    // kubectl 1.32 prints `Server Version: v1.32.0-everynode`, Debian 12's kubectl 1.20 the whole version.Info.
    expect(await ok('version')).toMatch(/Server Version: .*v1\.32\.0-everynode/);
    const resources = rows(await ok('api-resources'));
    expect(resources).toEqual(
      expect.arrayContaining([
        ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet'],
        ['nodes', 'no', 'v1', 'false', 'Node'],
        ['pods', 'po', 'v1', 'true', 'Pod'],
        ['controllerrevisions', 'apps/v1', 'true', 'ControllerRevision'],
      ]),
    );
  });

  it('discovers everything in two requests with aggregated discovery', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
    const result = await kubectl(['get', 'ds', '-A', '-v=6', `--cache-dir=${cacheDir}`]);
    const requests = result.stderr
      .split('\n')
      .flatMap((line) => /\] GET https:\/\/[^/]+(\/[^?\s]*)/.exec(line)?.[1] ?? []);

    // kubectl 1.32 asks /api and /apis for APIGroupDiscoveryList and, answered so, reads no group version
    // (with the legacy documents it reads /api/v1 and each group version as well).
    expect(result.code, result.stderr).toBe(0);
    expect(requests).toEqual(['/api', '/apis', '/apis/apps/v1/daemonsets']);
  });

  it('creates nodes and lists them with the columns of a real cluster', async () => {
    const list = stringify({ apiVersion: 'v1', kind: 'List', items: DEMO_NODES });
    const created = await kubectl(['create', '-f', '-'], list);
    expect(created.stdout.trim().split('\n')).toEqual([
      'node/control-plane-1 created',
      'node/gpu-1 created',
      'node/worker-1 created',
    ]);

    const table = await ok('get', 'nodes');
    expect(table.split('\n')[0]?.split(/\s+/).filter(Boolean)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(rows(table).map((row) => row.slice(0, 3))).toEqual([
      ['control-plane-1', 'Ready', 'control-plane'],
      ['gpu-1', 'Ready', '<none>'],
      ['worker-1', 'Ready', '<none>'],
    ]);
  });

  it('applies fluentd, rolls it out and shows it as kubectl shows a DaemonSet', SLOW_TEST, async () => {
    expect((await ok('apply', '-f', FLUENTD)).trim()).toBe('daemonset.apps/fluentd-logger created');
    expect(await ok('rollout', 'status', 'ds/fluentd-logger', '-n', 'kube-system', '--timeout=180s')).toMatch(
      /daemon set "fluentd-logger" successfully rolled out/,
    );

    const table = await ok('get', 'ds', '-n', 'kube-system', '-o', 'wide');
    expect(table.split('\n')[0]?.split(/\s{2,}/)).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(rows(table)[0]).toEqual([
      'fluentd-logger',
      '3',
      '3',
      '3',
      '3',
      '3',
      '<none>',
      expect.stringMatching(/^\d+s$/),
      'fluentd',
      'fluent/fluentd:v1.14',
      'name=fluentd-logger',
    ]);
    expect(await fluentdNodes()).toEqual(['control-plane-1', 'gpu-1', 'worker-1']);
    const onWorker = rows(await ok('get', 'pods', '-A', '--field-selector', 'spec.nodeName=worker-1'));
    expect(onWorker.map((row) => [row[0], row[1], row[2]])).toEqual([
      ['kube-system', expect.stringMatching(/^fluentd-logger-/), '1/1'],
    ]);
  });

  it('rolls out a new image, lists the history, undoes it and describes the DaemonSet', SLOW_TEST, async () => {
    const updated = readFileSync(FLUENTD, 'utf8').replace('fluent/fluentd:v1.14', 'fluent/fluentd:v1.16');
    expect((await kubectl(['apply', '-f', '-'], updated)).stdout.trim()).toBe(
      'daemonset.apps/fluentd-logger configured',
    );
    const status = await ok('rollout', 'status', 'ds/fluentd-logger', '-n', 'kube-system', '--timeout=180s');
    expect(status).toMatch(
      /Waiting for daemon set "fluentd-logger" rollout to finish: \d out of 3 new pods have been updated/,
    );
    expect(status).toMatch(/successfully rolled out/);
    expect(await fluentdImages()).toBe('fluent/fluentd:v1.16 fluent/fluentd:v1.16 fluent/fluentd:v1.16');

    const history = await ok('rollout', 'history', 'ds/fluentd-logger', '-n', 'kube-system');
    expect(rows(history.split('\n').slice(1).join('\n'))).toEqual([
      ['1', '<none>'],
      ['2', '<none>'],
    ]);

    expect((await ok('rollout', 'undo', 'ds/fluentd-logger', '-n', 'kube-system')).trim()).toBe(
      'daemonset.apps/fluentd-logger rolled back',
    );
    await ok('rollout', 'status', 'ds/fluentd-logger', '-n', 'kube-system', '--timeout=180s');
    expect(await fluentdImages()).toBe('fluent/fluentd:v1.14 fluent/fluentd:v1.14 fluent/fluentd:v1.14');
    const after = await ok('rollout', 'history', 'ds/fluentd-logger', '-n', 'kube-system');
    expect(rows(after.split('\n').slice(1).join('\n')).map((row) => row[0])).toEqual(['2', '3']);

    const described = await ok('describe', 'ds', 'fluentd-logger', '-n', 'kube-system');
    expect(described).toMatch(/^Name:\s+fluentd-logger$/m);
    expect(described).toMatch(/^Desired Number of Nodes Scheduled: 3$/m);
    expect(described).toMatch(/^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(described).toMatch(/^\s+Image:\s+fluent\/fluentd:v1\.14$/m);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: fluentd-logger-/);
    expect(described).toMatch(/Normal\s+SuccessfulDelete\s+\S+\s+daemonset-controller\s+Deleted pod: fluentd-logger-/);
  });

  it('follows labels, taints and cordons on nodes', SLOW_TEST, async () => {
    expect((await ok('apply', '-f', GPU_MONITOR)).trim()).toBe('daemonset.apps/gpu-monitor created');
    const gpuNodes = async () =>
      rows(await ok('get', 'pods', '-n', 'monitoring', '-o', 'wide'))
        .map((row) => row[6] ?? '')
        .sort();
    await settled('gpu-monitor on gpu-1', async () =>
      JSON.stringify(await gpuNodes()) === '["gpu-1"]' ? true : undefined,
    );

    expect((await ok('label', 'node', 'worker-1', 'hardware=gpu')).trim()).toBe('node/worker-1 labeled');
    await settled('gpu-monitor on the newly labelled node', async () =>
      JSON.stringify(await gpuNodes()) === '["gpu-1","worker-1"]' ? true : undefined,
    );

    expect((await ok('taint', 'node', 'worker-1', 'dedicated=infra:NoExecute')).trim()).toBe('node/worker-1 tainted');
    await settled('fluentd evicted from the NoExecute-tainted node', async () =>
      JSON.stringify(await fluentdNodes()) === '["control-plane-1","gpu-1"]' ? true : undefined,
    );

    expect((await ok('cordon', 'gpu-1')).trim()).toBe('node/gpu-1 cordoned');
    expect(rows(await ok('get', 'node', 'gpu-1'))[0]?.[1]).toBe('Ready,SchedulingDisabled');

    await ok('taint', 'node', 'worker-1', 'dedicated-');
    await ok('uncordon', 'gpu-1');
    await settled('fluentd back on every node', async () =>
      JSON.stringify(await fluentdNodes()) === '["control-plane-1","gpu-1","worker-1"]' ? true : undefined,
    );
    // A cordon never moves DaemonSet pods (they tolerate node.kubernetes.io/unschedulable).
    const node = JSON.parse(await ok('get', 'node', 'gpu-1', '-o', 'json')) as { spec: Record<string, unknown> };
    expect(node.spec['unschedulable']).toBeUndefined();
  });

  it('server-side applies with field managers and reports conflicts as Kubernetes does', async () => {
    expect((await ok('apply', '--server-side', '-f', GPU_MONITOR)).trim()).toBe(
      'daemonset.apps/gpu-monitor serverside-applied',
    );
    const other = readFileSync(GPU_MONITOR, 'utf8').replace(/image: .*/, 'image: example/exporter:2');
    const refused = await kubectl(['apply', '--server-side', '--field-manager=platform', '-f', '-'], other);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /Apply failed with 1 conflict: conflict with "kubectl" using apps\/v1: \.spec\.template\.spec\.containers\[name="dcgm-exporter"\]\.image/,
    );
    const forced = await kubectl(
      ['apply', '--server-side', '--field-manager=platform', '--force-conflicts', '-f', '-'],
      other,
    );
    expect(forced.stdout.trim()).toBe('daemonset.apps/gpu-monitor serverside-applied');
    expect(
      await ok(
        'get',
        'ds',
        'gpu-monitor',
        '-n',
        'monitoring',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ),
    ).toBe('example/exporter:2');
  });

  it('streams changes to kubectl get -w', SLOW_TEST, async () => {
    const watcher: ChildProcess = spawn('kubectl', ['get', 'ds', 'fluentd-logger', '-n', 'kube-system', '-w'], {
      env: { ...process.env, KUBECONFIG: plane.kubeconfig },
    });
    let output = '';
    watcher.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await settled('the first row', async () => (output.includes('fluentd-logger') ? true : undefined));
      await ok('set', 'image', 'ds/fluentd-logger', '-n', 'kube-system', 'fluentd=fluent/fluentd:v1.17');
      // The rollout's status changes arrive as new rows: UP-TO-DATE drops, then climbs back to 3.
      await settled('the rollout as rows', async () => {
        const seen = rows(output).filter((row) => row[0] === 'fluentd-logger');
        return seen.length >= 3 && seen.at(-1)?.[4] === '3' && seen.some((row) => row[4] !== '3') ? true : undefined;
      });
    } finally {
      watcher.kill();
    }
  });

  it('refuses bad requests with the API server errors kubectl prints', async () => {
    const invalid = await kubectl(['apply', '-f', 'test/fixtures/manifests/invalid-selector-mismatch.yaml']);
    expect(invalid.stderr).toMatch(
      /The DaemonSet "mismatch" is invalid: spec\.template\.metadata\.labels: Invalid value/,
    );
    const missing = await kubectl(['get', 'ds', 'nope', '-n', 'kube-system']);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): daemonsets.apps "nope" not found');
    const unknownField = readFileSync(FLUENTD, 'utf8').replace('  updateStrategy:', '  replicas: 3\n  updateStrategy:');
    const strict = await kubectl(['apply', '-f', '-'], unknownField);
    // kubectl 1.27+ asks for fieldValidation=Strict (refused); older ones get the server's default, Warn.
    expect(strict.stderr).toMatch(
      /strict decoding error: unknown field "spec\.replicas"|Warning: unknown field "spec\.replicas"/,
    );
  });

  it(
    'deletes a pod: it terminates on its node and the DaemonSet replaces it, as in Kubernetes',
    SLOW_TEST,
    async () => {
      await settled('fluentd running on every node', async () =>
        JSON.stringify(await fluentdNodes()) === '["control-plane-1","gpu-1","worker-1"]' ? true : undefined,
      );
      const onGpu = ['-n', 'kube-system', '-l', 'name=fluentd-logger', '--field-selector', 'spec.nodeName=gpu-1'];
      const victim = await ok('get', 'pods', ...onGpu, '-o', 'jsonpath={.items[0].metadata.name}');
      expect(victim).toMatch(/^fluentd-logger-/);

      // kubectl waits until the pod is gone (its agent stopped it) before it prints this.
      expect((await ok('delete', 'pod', victim, '-n', 'kube-system')).trim()).toBe(`pod "${victim}" deleted`);
      const gone = await kubectl(['get', 'pod', victim, '-n', 'kube-system']);
      expect(gone.stderr.trim()).toBe(`Error from server (NotFound): pods "${victim}" not found`);
      const replacementOf = async (old: string) => {
        const running = rows(await ok('get', 'pods', ...onGpu)).filter((row) => row[2] === 'Running');
        return running.length === 1 && running[0]?.[0] !== old ? running[0]?.[0] : undefined;
      };
      let replacement: string | undefined;
      await settled('a replacement running on gpu-1', async () => {
        replacement = await replacementOf(victim);
        return replacement === undefined ? undefined : true;
      });
      // Deleting the old name again finds nothing: the replacement is left alone.
      const again = await kubectl(['delete', 'pod', victim, '-n', 'kube-system']);
      expect(again.stderr.trim()).toBe(`Error from server (NotFound): pods "${victim}" not found`);

      // A forced deletion removes the pod at once, without waiting for its node.
      const forced = await kubectl([
        'delete',
        'pod',
        String(replacement),
        '-n',
        'kube-system',
        '--force',
        '--grace-period=0',
      ]);
      expect(forced.stdout.trim()).toBe(`pod "${replacement}" force deleted`);
      await settled('another replacement running on gpu-1', async () =>
        (await replacementOf(String(replacement))) === undefined ? undefined : true,
      );
    },
  );

  it('deletes a DaemonSet, its pods going with it', async () => {
    expect((await ok('delete', 'ds', 'gpu-monitor', '-n', 'monitoring')).trim()).toBe(
      'daemonset.apps "gpu-monitor" deleted',
    );
    const left = await kubectl(['get', 'ds,pods', '-n', 'monitoring']);
    expect(left.stderr.trim()).toBe('No resources found in monitoring namespace.');
  });
});
