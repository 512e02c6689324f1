import { describe, expect, it } from 'vitest';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { fixtureObject } from '../fixtures/manifests/manifest-fixtures.js';
import { scratchFolder, writeYaml } from './pod-manifests.js';
import { fixture, runEverynode } from './run-everynode.js';

const NOW = '2024-05-03T11:05:00Z';
const planArgs = ['plan', '-f', fixture('fluentd.yaml'), '--nodes', fixture('nodes.yaml'), '--now', NOW];

function fluentdRevision(): string {
  const result = toDaemonSet(fixtureObject('fluentd.yaml'));
  if (!result.ok) throw new Error('the fluentd fixture is invalid');
  return computeRevisionHash(result.value.template);
}

describe('everynode plan -o json', () => {
  it('prints the documented shape: daemonSet, revision, nodes, actions, status, rollingUpdate', async () => {
    const result = await runEverynode([...planArgs, '-o', 'json']);

    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(Object.keys(plan)).toEqual(['daemonSet', 'revision', 'nodes', 'actions', 'status', 'rollingUpdate']);
    expect(plan.daemonSet).toEqual({ namespace: 'kube-system', name: 'fluentd-logger', apiVersion: 'apps/v1' });
    expect(plan.revision).toBe(fluentdRevision());
    expect(plan.rollingUpdate).toEqual({ maxUnavailable: 1, maxSurge: 0 });
  });

  it('decides every node of the seed cluster as Kubernetes does, in input order', async () => {
    const result = await runEverynode([...planArgs, '-o', 'json']);

    expect(JSON.parse(result.stdout).nodes).toEqual([
      // The manifest tolerates the control-plane taint.
      { name: 'control-plane-1', shouldRun: true, shouldContinueRunning: true, reasons: [] },
      { name: 'gpu-1', shouldRun: true, shouldContinueRunning: true, reasons: [] },
      // Default tolerations cover not-ready:NoExecute (so a pod may stay) but not not-ready:NoSchedule.
      {
        name: 'worker-notready',
        shouldRun: false,
        shouldContinueRunning: true,
        reasons: ['taint node.kubernetes.io/not-ready:NoSchedule is not tolerated'],
      },
      // unschedulable:NoSchedule is a default toleration; spec.unschedulable is never consulted.
      { name: 'worker-cordoned', shouldRun: true, shouldContinueRunning: true, reasons: [] },
    ]);
  });

  it('creates a pod on each eligible node of an empty cluster and reports the status', async () => {
    const result = await runEverynode([...planArgs, '-o', 'json']);

    const plan = JSON.parse(result.stdout);
    expect(plan.actions).toEqual([
      { action: 'create', node: 'control-plane-1' },
      { action: 'create', node: 'gpu-1' },
      { action: 'create', node: 'worker-cordoned' },
    ]);
    // The status the step writes counts its own creates (the next pass would write the same).
    expect(plan.status).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 0,
      updatedNumberScheduled: 3,
      numberAvailable: 0,
      numberUnavailable: 3,
    });
  });

  it('leaves out rollingUpdate for an OnDelete DaemonSet', async () => {
    const manifest = fixtureObject('fluentd.yaml');
    const onDelete = writeYaml(scratchFolder(), 'on-delete.yaml', {
      ...manifest,
      spec: { ...(manifest['spec'] as object), updateStrategy: { type: 'OnDelete' } },
    });

    const result = await runEverynode(['plan', '-f', onDelete, '--nodes', fixture('nodes.yaml'), '-o', 'json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).not.toHaveProperty('rollingUpdate');
  });

  it('exits 2 with the field errors of an invalid DaemonSet, exactly as validate does', async () => {
    const invalid = ['-f', fixture('invalid-tolerations.yaml')];

    const planned = await runEverynode(['plan', ...invalid, '--nodes', fixture('nodes.yaml'), '-o', 'json']);
    const validated = await runEverynode(['validate', ...invalid]);

    expect(planned.code).toBe(2);
    expect(planned.stdout).toBe('');
    expect(planned.stderr).toBe(validated.stderr);
  });

  it('exits 2 when --nodes is missing', async () => {
    const result = await runEverynode(['plan', '-f', fixture('fluentd.yaml')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--nodes <file> is required');
  });

  it('plans each DaemonSet of a multi-document file and prints a list', async () => {
    const both = writeYaml(scratchFolder(), 'both.yaml', {
      apiVersion: 'v1',
      kind: 'List',
      items: [fixtureObject('fluentd.yaml'), fixtureObject('gpu-monitor.yaml')],
    });

    const result = await runEverynode(['plan', '-f', both, '--nodes', fixture('nodes.yaml'), '-o', 'json']);

    expect(result.code).toBe(0);
    const plans = JSON.parse(result.stdout);
    expect(plans.map((plan: { daemonSet: { name: string } }) => plan.daemonSet.name)).toEqual([
      'fluentd-logger',
      'gpu-monitor',
    ]);
  });

  it('plans only the DaemonSet named with --name, as one object', async () => {
    const both = writeYaml(scratchFolder(), 'both.yaml', {
      apiVersion: 'v1',
      kind: 'List',
      items: [fixtureObject('fluentd.yaml'), fixtureObject('gpu-monitor.yaml')],
    });

    const result = await runEverynode([
      'plan',
      '-f',
      both,
      '--name',
      'gpu-monitor',
      '--nodes',
      fixture('nodes.yaml'),
      '-o',
      'json',
    ]);
    const missing = await runEverynode(['plan', '-f', both, '--name', 'nope', '--nodes', fixture('nodes.yaml')]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).daemonSet.name).toBe('gpu-monitor');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: no DaemonSet named "nope" in ${both} (it holds fluentd-logger, gpu-monitor)\n`);
  });

  it('exits 2 when the -f file holds no DaemonSet', async () => {
    const result = await runEverynode(['plan', '-f', fixture('nodes.yaml'), '--nodes', fixture('nodes.yaml')]);

    expect(result).toMatchObject({ code: 2, stderr: 'error: no DaemonSet in test/fixtures/manifests/nodes.yaml\n' });
  });

  it('warns and exits 2 when the --nodes file holds no Node', async () => {
    const result = await runEverynode(['plan', '-f', fixture('fluentd.yaml'), '--nodes', fixture('fluentd.yaml')]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: no Node in test/fixtures/manifests/fluentd.yaml: give the nodes to plan against, e.g. from `kubectl get nodes -o yaml`\n',
    );
  });

  it('exits 2 on a --now that is not RFC 3339', async () => {
    const result = await runEverynode([...planArgs.slice(0, -2), '--now', 'yesterday']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --now "yesterday" is not an RFC 3339 time\n');
  });
});

describe('everynode plan (table)', () => {
  it('prints one row per node with a mark, the node and the reasons, then the actions and status', async () => {
    const result = await runEverynode(planArgs);

    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      `daemonset.apps/fluentd-logger (kube-system) · revision ${fluentdRevision()} · RollingUpdate maxUnavailable=1 maxSurge=0`,
    );
    expect(lines).toContainEqual(expect.stringMatching(/^✓ +control-plane-1 +yes$/));
    expect(lines).toContainEqual(expect.stringMatching(/^✓ +gpu-1 +yes$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^◐ +worker-notready +keeps running +taint node\.kubernetes\.io\/not-ready:NoSchedule is not tolerated$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^✓ +worker-cordoned +yes$/));
    expect(lines).toContain('  + create a pod on gpu-1');
    expect(lines).toContain(
      'Status: desired 3 · current 3 · up-to-date 3 · ready 0 · available 0 · unavailable 3 · misscheduled 0',
    );
  });

  it('prints one section per DaemonSet of the file', async () => {
    const both = writeYaml(scratchFolder(), 'both.yaml', {
      apiVersion: 'v1',
      kind: 'List',
      items: [fixtureObject('fluentd.yaml'), fixtureObject('gpu-monitor.yaml')],
    });

    const result = await runEverynode(['plan', '-f', both, '--nodes', fixture('nodes.yaml')]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^daemonset\.apps\/fluentd-logger \(kube-system\) · /m);
    expect(result.stdout).toMatch(/\n\ndaemonset\.apps\/gpu-monitor \(monitoring\) · /);
  });

  it('marks a node that may run nothing with ✗ and says why', async () => {
    const result = await runEverynode(['plan', '-f', fixture('gpu-monitor.yaml'), '--nodes', fixture('nodes.yaml')]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✗ +control-plane-1 +no +.+$/m);
  });
});
