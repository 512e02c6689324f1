import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { DaemonSetPod } from '../../dashboard/build-dashboard-state.js';
import { FleetState } from '../../dashboard/fleet-state.js';
import { buildFleetView, type FleetView } from '../../dashboard/fleet-view.js';
import { STARTUP_TAINT_KEY } from '../../dashboard/node-state.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../lib/model/controller-memory.js';
import { type DaemonSet, toDaemonSetKey } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import { emptyDaemonSetStatus } from '../../lib/model/status.js';
import type { StoredDaemonSet } from '../../lib/ports/cluster-store.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../fixtures/builders/a-pod.js';

/**
 * The invariant of the maintained fleet view: after any sequence of changes, each applied where it lands (a node
 * fact, one node's pods, a DaemonSet record, a full resync) and time passing, the view serves exactly what a view
 * built from scratch from the same facts at the same time serves.
 */
const NODE_NAMES = ['n-a', 'n-b', 'n-c', 'n-d', 'n-e'];
const DAEMON_SETS = ['agent', 'gpu', 'slow'];

type World = {
  nodes: Map<string, Node>;
  daemonSets: Map<string, StoredDaemonSet>;
  pods: Map<string, Map<string, Pod[]>>;
  now: number;
};

type PodKind = 'current' | 'old' | 'pending' | 'unready-long' | 'failed' | 'terminating' | 'surge';

const arbChange = fc.oneof(
  fc.record({
    op: fc.constant('node' as const),
    name: fc.constantFrom(...NODE_NAMES),
    gpu: fc.boolean(),
    gated: fc.boolean(),
    cordoned: fc.boolean(),
  }),
  fc.record({ op: fc.constant('remove-node' as const), name: fc.constantFrom(...NODE_NAMES) }),
  fc.record({
    op: fc.constant('pods' as const),
    daemonSet: fc.constantFrom(...DAEMON_SETS),
    node: fc.constantFrom(...NODE_NAMES),
    kinds: fc.array(
      fc.constantFrom<PodKind>('current', 'old', 'pending', 'unready-long', 'failed', 'terminating', 'surge'),
      { maxLength: 2 },
    ),
  }),
  fc.record({
    op: fc.constant('daemon-set' as const),
    name: fc.constantFrom(...DAEMON_SETS),
    image: fc.constantFrom('v1', 'v2'),
    gpuOnly: fc.boolean(),
    status: fc.boolean(),
    paused: fc.boolean(),
  }),
  fc.record({ op: fc.constant('remove-daemon-set' as const), name: fc.constantFrom(...DAEMON_SETS) }),
);
/** A change, told to the state where it lands or missed (only a later resync brings it), time passing, a resync. */
const arbOp = fc.oneof(
  { arbitrary: fc.tuple(arbChange, fc.boolean()), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 40_000 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('resync' as const) }), weight: 2 },
);

function daemonSetOf(name: string, image: string, gpuOnly: boolean, paused: boolean): DaemonSet {
  let builder = aDaemonSet(name).withImage(`registry.example/${name}:${image}`).withRollout({ paused });
  if (gpuOnly) builder = builder.withNodeSelector({ hardware: 'gpu' });
  if (name === 'slow') builder = builder.withMinReadySeconds(30);
  return builder.build();
}

function podsOf(world: World, daemonSet: DaemonSet, node: string, kinds: readonly PodKind[]): Pod[] {
  const current = computeRevisionHash(daemonSet.template);
  return kinds.map((kind, index) => {
    let pod = aPod(`${daemonSet.name}-${node}-${index}`)
      .on(node)
      .atRevision(kind === 'old' ? 'old-rev' : current)
      .createdAt(world.now - 10_000 * (index + 1));
    if (kind === 'current' || kind === 'old' || kind === 'surge') pod = pod.readySince(world.now - 5_000);
    if (kind === 'pending') pod = pod.notReady();
    if (kind === 'unready-long') pod = pod.notReady().createdAt(world.now - 50_000);
    if (kind === 'failed') pod = pod.inPhase('Failed');
    if (kind === 'terminating') pod = pod.readySince(world.now - 5_000).terminating(world.now);
    return pod.build();
  });
}

function inputOf(world: World) {
  const pods: DaemonSetPod[] = [];
  for (const [key, byNode] of world.pods) {
    if (!world.daemonSets.has(key)) continue;
    for (const list of byNode.values()) for (const pod of list) pods.push({ ...pod, daemonSet: key });
  }
  return { nodes: [...world.nodes.values()], daemonSets: [...world.daemonSets.values()], pods };
}

/** What a view serves, in plain values. */
function served(view: FleetView) {
  return {
    nodes: view.nodes.map((node) => node.name),
    columns: view.columns.map((column) => ({
      key: column.key,
      currentRevision: column.currentRevision,
      states: [...column.states],
      livePods: [...column.livePods],
      pods: column.pods.map((pod) => (pod === undefined ? null : `${pod.name}:${pod.phase}:${pod.ready}`)),
      shouldRun: column.answers.map((answer) => answer.shouldRun),
      crashLooping: [...column.crashLooping].toSorted(),
      reasons: view.nodes.map((_, index) => column.reasons(index)),
      summary: column.summary,
    })),
  };
}

describe('FleetState', () => {
  test.prop([fc.array(arbOp, { minLength: 8, maxLength: 40 })], { numRuns: 300 })(
    'serves what a view built from scratch serves, after any changes applied where they land',
    (ops) => {
      const world: World = { nodes: new Map(), daemonSets: new Map(), pods: new Map(), now: POD_EPOCH + 600_000 };
      const state = new FleetState();
      // A change the state was not told of: the views may differ until the next resync.
      let missed = false;
      let lastVersion = state.view(world.now).version;
      let lastServed = served(state.view(world.now));
      for (const step of ops) {
        const [op, told] = Array.isArray(step) ? step : [step, true];
        const tell = told ? state : new FleetState();
        missed ||= !told;
        if (op.op === 'node') {
          let builder = aNode(op.name).labelled({ hardware: op.gpu ? 'gpu' : 'cpu' });
          if (op.gated) builder = builder.tainted(STARTUP_TAINT_KEY, 'NoSchedule', 'pending');
          if (op.cordoned) builder = builder.cordoned();
          const node = builder.build();
          world.nodes.set(op.name, node);
          tell.applyNode(op.name, { ...node }, world.now);
        } else if (op.op === 'remove-node') {
          world.nodes.delete(op.name);
          tell.applyNode(op.name, undefined, world.now);
        } else if (op.op === 'pods') {
          const key = toDaemonSetKey('default', op.daemonSet);
          const stored = world.daemonSets.get(key);
          if (stored === undefined) continue;
          const pods = podsOf(world, stored.daemonSet, op.node, op.kinds);
          const byNode = world.pods.get(key) ?? new Map<string, Pod[]>();
          world.pods.set(key, byNode);
          byNode.set(op.node, pods);
          tell.applyPods(key, op.node, pods, world.now);
        } else if (op.op === 'daemon-set') {
          const daemonSet = daemonSetOf(op.name, op.image, op.gpuOnly, op.paused);
          const revision = computeRevisionHash(daemonSet.template);
          const stored: StoredDaemonSet = {
            daemonSet,
            version: 1,
            memory: EMPTY_CONTROLLER_MEMORY,
            ...(op.status
              ? { status: { ...emptyDaemonSetStatus(1), desiredNumberScheduled: 2, updateRevision: revision } }
              : {}),
          };
          const key = toDaemonSetKey('default', op.name);
          const known = world.daemonSets.has(key) && !missed;
          world.daemonSets.set(key, stored);
          if (known) {
            tell.applyDaemonSet(stored, world.now);
          } else {
            // A DaemonSet seen for the first time is read with its pods (a re-created one may have pods left).
            const pods = [...(world.pods.get(key)?.values() ?? [])].flat();
            tell.applyDaemonSetWithPods(stored, pods, world.now);
          }
        } else if (op.op === 'remove-daemon-set') {
          const key = toDaemonSetKey('default', op.name);
          world.daemonSets.delete(key);
          tell.removeDaemonSet(key);
        } else if (op.op === 'time') {
          world.now += op.ms;
        } else {
          state.resync(structuredClone(inputOf(world)), world.now);
          missed = false;
        }
        if (missed) continue;
        const view = state.view(world.now);
        const now = served(view);
        expect(now).toEqual(served(buildFleetView(inputOf(world), world.now)));
        // The ETag holds exactly while nothing served changed (it may change more often, never less).
        if (view.version === lastVersion) expect(now).toEqual(lastServed);
        lastVersion = view.version;
        lastServed = now;
      }
    },
  );
});
