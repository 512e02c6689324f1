import { describe, expect, it } from 'vitest';
import { fixtureObject } from '../fixtures/manifests/manifest-fixtures.js';
import { scratchFolder, writePods, writeYaml } from './pod-manifests.js';
import { fixture, runEverynode } from './run-everynode.js';

const NOW = '2024-05-03T11:05:00Z';
const CURRENT_HASH = '6d8f7b9c4';
const OLD_HASH = '5c7e6a8b3';

/** The fluentd template as the API server stores it in a ControllerRevision: defaulted, quantities canonical. */
function storedTemplate(image: string): Record<string, unknown> {
  return {
    metadata: { creationTimestamp: null, labels: { name: 'fluentd-logger' } },
    spec: {
      containers: [
        {
          name: 'fluentd',
          image,
          imagePullPolicy: 'IfNotPresent',
          resources: { limits: { cpu: '100m', memory: '200Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      volumes: [{ name: 'varlog', hostPath: { path: '/var/log', type: '' } }],
    },
  };
}

function controllerRevision(hash: string, revision: number, image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `fluentd-logger-${hash}`,
      namespace: 'kube-system',
      labels: { 'controller-revision-hash': hash, name: 'fluentd-logger' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd-logger', controller: true }],
    },
    data: { spec: { template: { $patch: 'replace', ...storedTemplate(image) } } },
    revision,
  };
}

function clusterFiles(): { pods: string; revisions: string } {
  const folder = scratchFolder();
  const revisions = writeYaml(folder, 'revisions.yaml', {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      controllerRevision(OLD_HASH, 1, 'fluent/fluentd:v1.13'),
      controllerRevision(CURRENT_HASH, 2, 'fluent/fluentd:v1.14'),
    ],
  });
  const pods = writePods(folder, 'pods.yaml', [
    { node: 'control-plane-1', hash: CURRENT_HASH, ready: true },
    { node: 'gpu-1', hash: CURRENT_HASH, ready: true },
    { node: 'worker-cordoned', hash: OLD_HASH, ready: true },
  ]);
  return { pods, revisions };
}

const plan = (...extra: string[]) =>
  runEverynode([
    'plan',
    '-f',
    fixture('fluentd.yaml'),
    '--nodes',
    fixture('nodes.yaml'),
    '--now',
    NOW,
    '-o',
    'json',
    ...extra,
  ]);

describe('everynode plan --revisions', () => {
  it('counts the pods of the revision holding the manifest template as up to date', async () => {
    const { pods, revisions } = clusterFiles();

    const result = await plan('--pods', pods, '--revisions', revisions);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `note: daemonset.apps/fluentd-logger runs this template as revision ${CURRENT_HASH} in the cluster\n`,
    );
    const report = JSON.parse(result.stdout);
    expect(report.status).toMatchObject({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      updatedNumberScheduled: 2,
    });
    expect(report.actions).toEqual([
      { action: 'delete', node: 'worker-cordoned', pod: 'fluentd-logger-worker-cordoned', reason: 'outdated' },
    ]);
  });

  it('counts every real pod as outdated without them, as it cannot recompute Kubernetes hashes', async () => {
    const { pods } = clusterFiles();

    const result = await plan('--pods', pods);

    expect(JSON.parse(result.stdout).status).toMatchObject({ updatedNumberScheduled: 0 });
  });

  it('says a template no revision holds starts a rollout', async () => {
    const { pods, revisions } = clusterFiles();
    const manifest = fixtureObject('fluentd.yaml');
    const changed = JSON.parse(JSON.stringify(manifest).replace('fluent/fluentd:v1.14', 'fluent/fluentd:v1.15'));
    const file = writeYaml(scratchFolder(), 'changed.yaml', changed);

    const result = await runEverynode([
      'plan',
      '-f',
      file,
      '--nodes',
      fixture('nodes.yaml'),
      '--now',
      NOW,
      '-o',
      'json',
      '--pods',
      pods,
      '--revisions',
      revisions,
    ]);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'note: no ControllerRevision of daemonset.apps/fluentd-logger holds this template: applying starts a rollout\n',
    );
    expect(JSON.parse(result.stdout).status).toMatchObject({ updatedNumberScheduled: 0 });
  });
});
