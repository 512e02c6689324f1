import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type PodSketch, scratchFolder, writePods, writeYaml } from './pod-manifests.js';
import { fixture, runEverynode } from './run-everynode.js';

type Plan = Readonly<{
  revision: string;
  actions: readonly Readonly<{ action: string; node: string; pod?: string; reason?: string }>[];
  status: Readonly<Record<string, number>>;
}>;

const NOW = '2024-05-03T11:05:00Z';
const folder = scratchFolder();
let step = 0;

async function plan(manifest: string, pods: readonly PodSketch[], nodes = fixture('nodes.yaml')): Promise<Plan> {
  step += 1;
  const podsFile = writePods(folder, `pods-${step}.yaml`, pods);
  const result = await runEverynode([
    'plan',
    '-f',
    manifest,
    '--nodes',
    nodes,
    '--pods',
    podsFile,
    '--now',
    NOW,
    '-o',
    'json',
  ]);
  if (result.code !== 0) throw new Error(`plan failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Plan;
}

/** The pods after applying a plan's actions: deleted pods gone, created pods present at `hash`, not ready. */
function applied(pods: readonly PodSketch[], done: Plan, hash: string): PodSketch[] {
  const deleted = new Set(done.actions.filter((action) => action.action === 'delete').map((action) => action.pod));
  const created = done.actions
    .filter((action) => action.action === 'create')
    .map((action): PodSketch => ({ node: action.node, hash, name: `fluentd-logger-${action.node}-${step}` }));
  return [...pods.filter((pod) => !deleted.has(pod.name ?? `fluentd-logger-${pod.node}`)), ...created];
}

const ready = (pods: readonly PodSketch[]): PodSketch[] => pods.map((pod) => ({ ...pod, ready: true }));

describe('repeating everynode plan after applying its actions', () => {
  const fluentd = fixture('fluentd.yaml');
  let updated = '';

  beforeAll(() => {
    const manifest = parse(readFileSync(fluentd, 'utf8'));
    manifest.spec.template.spec.containers[0].image = 'fluent/fluentd:v1.16';
    updated = writeYaml(folder, 'fluentd-v1.16.yaml', manifest);
  });

  it('places pods, waits for them, then rolls a new template out one node at a time', async () => {
    const first = await plan(fluentd, []);
    expect(first.actions.map((action) => action.action)).toEqual(['create', 'create', 'create']);

    const created = applied([], first, first.revision);
    const second = await plan(fluentd, created);
    expect(second.actions).toEqual([]);
    expect(second.status).toMatchObject({ currentNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 0 });

    const running = ready(created);
    const third = await plan(fluentd, running);
    expect(third.actions).toEqual([]);
    expect(third.status).toMatchObject({ numberReady: 3, numberAvailable: 3, numberUnavailable: 0 });

    const fourth = await plan(updated, running);
    expect(fourth.revision).not.toBe(first.revision);
    expect(fourth.actions).toEqual([
      { action: 'delete', node: expect.any(String), pod: expect.any(String), reason: 'outdated' },
    ]);
    expect(fourth.status).toMatchObject({ updatedNumberScheduled: 0, numberAvailable: 3 });

    const afterDelete = applied(running, fourth, fourth.revision);
    const fifth = await plan(updated, afterDelete);
    expect(fifth.actions).toEqual([{ action: 'create', node: fourth.actions[0]?.node }]);

    const replaced = applied(afterDelete, fifth, fourth.revision);
    const sixth = await plan(updated, replaced);
    expect(sixth.actions).toEqual([]);
    expect(sixth.status).toMatchObject({ updatedNumberScheduled: 1, numberAvailable: 2, numberUnavailable: 1 });

    const seventh = await plan(updated, ready(replaced));
    expect(seventh.actions).toEqual([
      { action: 'delete', node: expect.any(String), pod: expect.any(String), reason: 'outdated' },
    ]);
    expect(seventh.actions[0]?.node).not.toBe(fourth.actions[0]?.node);
  });

  it('deletes a failed pod, and a second pod on the same node', async () => {
    const { revision } = await plan(fluentd, []);
    const pods: PodSketch[] = [
      { node: 'control-plane-1', hash: revision, phase: 'Failed' },
      { node: 'gpu-1', hash: revision, ready: true, created: '2024-05-03T10:00:00Z' },
      { node: 'gpu-1', hash: revision, ready: true, name: 'fluentd-logger-gpu-1-second' },
      { node: 'worker-cordoned', hash: revision, ready: true },
    ];

    const result = await plan(fluentd, pods);

    expect(result.actions).toEqual(
      expect.arrayContaining([
        { action: 'delete', node: 'control-plane-1', pod: 'fluentd-logger-control-plane-1', reason: 'failed' },
        { action: 'delete', node: 'gpu-1', pod: 'fluentd-logger-gpu-1-second', reason: 'duplicate' },
      ]),
    );
    expect(result.actions).toHaveLength(2);
  });

  it('deletes the pod of a node whose NoExecute taint is not tolerated, and keeps the NotReady node pod', async () => {
    const nodes = writeYaml(folder, 'tainted-nodes.yaml', {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        ...parse(readFileSync(fixture('nodes.yaml'), 'utf8')).items,
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: 'evicting' },
          spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] },
        },
      ],
    });
    const { revision } = await plan(fluentd, [], nodes);
    const pods = ['control-plane-1', 'gpu-1', 'worker-notready', 'worker-cordoned', 'evicting'].map(
      (node): PodSketch => ({ node, hash: revision, ready: true }),
    );

    const result = await plan(fluentd, pods, nodes);

    expect(result.actions).toEqual([
      { action: 'delete', node: 'evicting', pod: 'fluentd-logger-evicting', reason: 'ineligible' },
    ]);
    // Both pods on nodes that should not run one count as misscheduled until they are gone.
    expect(result.status).toMatchObject({ desiredNumberScheduled: 3, numberMisscheduled: 2 });
  });
});
