import { fc } from '@fast-check/vitest';
import type { ControllerMemory, FailedPodBackoff } from '../../lib/model/controller-memory.js';
import {
  type ControllerRevision,
  type DaemonSet,
  DEFAULT_ROLLOUT_CONTROLS,
  type IntOrPercent,
  type RolloutControls,
  type UpdateStrategy,
} from '../../lib/model/daemon-set.js';
import type { ConditionStatus, Node } from '../../lib/model/node.js';
import type { Pod, PodPhase } from '../../lib/model/pod.js';
import { type DaemonSetStatus, emptyDaemonSetStatus } from '../../lib/model/status.js';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { POD_EPOCH } from '../fixtures/builders/a-pod.js';

/** The clock of generated clusters: an hour after pods' creation epoch. */
export const NOW = POD_EPOCH + 3_600_000;

const OLD_TEMPLATE = aDaemonSet('agent').withImage('agent:1').build().template;
export const OLD_HASH = computeRevisionHash(OLD_TEMPLATE);
const OLD_REVISION: ControllerRevision = {
  name: `agent-${OLD_HASH}`,
  hash: OLD_HASH,
  revision: 1,
  template: OLD_TEMPLATE,
  creationTimestamp: new Date(POD_EPOCH).toISOString(),
};

export const arbLimit = (): fc.Arbitrary<IntOrPercent> =>
  fc.oneof(fc.integer({ min: 0, max: 5 }), fc.record({ percent: fc.integer({ min: 0, max: 100 }) }));

/** Valid Kubernetes strategies (exactly one limit non-zero), plus the 0/0 fallback and OnDelete. */
export const arbStrategy = (): fc.Arbitrary<UpdateStrategy> =>
  fc.oneof(
    { weight: 4, arbitrary: arbLimit().map((maxUnavailable) => rolling(maxUnavailable, 0)) },
    { weight: 3, arbitrary: arbLimit().map((maxSurge) => rolling(0, maxSurge)) },
    { weight: 1, arbitrary: fc.constant(rolling(0, 0)) },
    { weight: 1, arbitrary: fc.constant<UpdateStrategy>({ type: 'OnDelete' }) },
  );

const rolling = (maxUnavailable: IntOrPercent, maxSurge: IntOrPercent): UpdateStrategy => ({
  type: 'RollingUpdate',
  maxUnavailable,
  maxSurge,
});

export const arbControls = (): fc.Arbitrary<RolloutControls> =>
  fc
    .record({
      paused: fc.boolean(),
      frozen: fc.boolean(),
      partition: fc.option(arbLimit(), { nil: undefined }),
      canary: fc.boolean(),
      progressDeadlineSeconds: fc.option(fc.integer({ min: 30, max: 600 }), { nil: undefined }),
      autoRevert: fc.boolean(),
      notReadyAware: fc.boolean(),
      burstReplicas: fc.constantFrom(250, 1, 2, 3),
    })
    .map(({ canary, partition, progressDeadlineSeconds, ...controls }) => ({
      ...controls,
      ...(partition === undefined ? {} : { partition }),
      ...(canary ? { canarySelector: { matchLabels: { canary: 'true' } } } : {}),
      ...(progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds }),
    }));

type PodShape = Readonly<{
  current: boolean;
  ready: boolean;
  readyAgo: number;
  phase: PodPhase;
  terminating: boolean;
  createdAgo: number;
  scheduled: boolean;
}>;

const arbPodShape = (minReadyAgo = 0): fc.Arbitrary<PodShape> =>
  fc.record({
    current: fc.boolean(),
    ready: fc.boolean(),
    readyAgo: fc.integer({ min: minReadyAgo, max: minReadyAgo + 120 }),
    phase: fc.oneof(
      { weight: 8, arbitrary: fc.constant<PodPhase>('Running') },
      { weight: 1, arbitrary: fc.constantFrom<PodPhase>('Pending', 'Failed', 'Succeeded') },
    ),
    terminating: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    createdAgo: fc.integer({ min: 0, max: 3000 }),
    scheduled: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  });

type NodeShape = Readonly<{
  ready: boolean;
  taint: 'none' | 'NoSchedule' | 'NoExecute';
  canary: boolean;
  pods: readonly PodShape[];
  backoff: FailedPodBackoff | undefined;
}>;

const arbNodeShape = (maxPods: number, minReadyAgo: number): fc.Arbitrary<NodeShape> =>
  fc.record({
    ready: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    taint: fc.oneof(
      { weight: 6, arbitrary: fc.constant('none' as const) },
      { weight: 1, arbitrary: fc.constantFrom('NoSchedule' as const, 'NoExecute' as const) },
    ),
    canary: fc.boolean(),
    pods: fc.array(arbPodShape(minReadyAgo), { maxLength: maxPods }),
    backoff: fc.option(
      fc.record({
        generation: fc.constantFrom(1, 2),
        delayMs: fc.constantFrom(1000, 2000, 64_000),
        lastUpdate: fc.integer({ min: NOW - 120_000, max: NOW }),
      }),
      { nil: undefined },
    ),
  });

export type ClusterOptions = Readonly<{
  controls?: fc.Arbitrary<RolloutControls>;
  maxPodsPerNode?: number;
  maxNodes?: number;
  /** A rollout that has been progressing for a while without any pod becoming available lately. */
  stalled?: boolean;
}>;

/** A random cluster mid-rollout from `agent:1` to `agent:2`: nodes, pods in every state, memory. */
export const arbSnapshot = (options: ClusterOptions = {}): fc.Arbitrary<ClusterSnapshot> =>
  fc
    .record({
      strategy: arbStrategy(),
      minReadySeconds: fc.constantFrom(0, 0, 10, 30),
      controls: options.controls ?? fc.constant(DEFAULT_ROLLOUT_CONTROLS),
      nodes: fc.array(arbNodeShape(options.maxPodsPerNode ?? 3, options.stalled ? 300 : 0), {
        minLength: 1,
        maxLength: options.maxNodes ?? 10,
      }),
      orphans: fc.array(arbPodShape(), { maxLength: 2 }),
      knowsCurrent: fc.boolean(),
      rolloutStartedAgo: options.stalled
        ? fc.integer({ min: 1000, max: 3000 })
        : fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
      progressing: options.stalled
        ? fc.constant(['True', 'NewRevisionProgressing'] as const)
        : fc.option(
            fc.constantFrom(
              ['True', 'NewRevisionProgressing'] as const,
              ['False', 'ProgressDeadlineExceeded'] as const,
              ['True', 'NewRevisionAvailable'] as const,
            ),
            { nil: undefined },
          ),
    })
    .map((shape) => {
      const daemonSet: DaemonSet = {
        ...aDaemonSet('agent').withImage('agent:2').withMinReadySeconds(shape.minReadySeconds).build(),
        updateStrategy: shape.strategy,
        rollout: shape.controls,
      };
      const hash = computeRevisionHash(daemonSet.template);
      const nodes: Node[] = shape.nodes.map((node, index) => toNode(`n${String(index).padStart(2, '0')}`, node));
      const pods = [
        ...shape.nodes.flatMap((node, index) =>
          node.pods.map((pod, podIndex) => toPod(`p${index}-${podIndex}`, nodes[index]?.name ?? '', pod, hash)),
        ),
        ...shape.orphans.map((pod, index) => toPod(`orphan-${index}`, `gone-${index}`, pod, hash)),
      ];
      const failedPodBackoff = Object.fromEntries(
        shape.nodes.flatMap((node, index) => (node.backoff === undefined ? [] : [[nodes[index]?.name, node.backoff]])),
      );
      const current: ControllerRevision = {
        ...OLD_REVISION,
        name: `agent-${hash}`,
        hash,
        revision: 2,
        template: daemonSet.template,
      };
      const memory: ControllerMemory = {
        failedPodBackoff,
        ...(shape.rolloutStartedAgo === undefined
          ? {}
          : {
              rollout: {
                revisionHash: hash,
                startedAt: NOW - shape.rolloutStartedAgo * 1000,
                lastProgressAt: NOW - shape.rolloutStartedAgo * 500,
                notReadyAtStart: nodes.filter((_, index) => !shape.nodes[index]?.ready).map((node) => node.name),
              },
              lastCompleteRevisionHash: OLD_HASH,
            }),
      };
      return {
        daemonSet,
        version: 7,
        revisions: shape.knowsCurrent ? [OLD_REVISION, current] : [OLD_REVISION],
        nodes,
        pods,
        memory,
        ...(shape.progressing === undefined ? {} : { status: statusWith(shape.progressing) }),
      };
    });

function statusWith([status, reason]: readonly [ConditionStatus, string]): DaemonSetStatus {
  const condition = { type: 'Progressing', status, reason, lastTransitionTime: new Date(POD_EPOCH).toISOString() };
  return { ...emptyDaemonSetStatus(1), conditions: [condition] };
}

function toNode(name: string, shape: NodeShape): Node {
  let builder = aNode(name);
  if (!shape.ready) builder = builder.notReady();
  if (shape.taint !== 'none') builder = builder.tainted('dedicated', shape.taint);
  if (shape.canary) builder = builder.labelled({ canary: 'true' });
  return builder.build();
}

function toPod(name: string, nodeName: string, shape: PodShape, hash: string): Pod {
  const revisionHash = shape.current ? hash : OLD_HASH;
  const terminal = shape.phase === 'Failed' || shape.phase === 'Succeeded';
  const ready = shape.ready && !terminal && shape.phase === 'Running';
  return {
    name,
    namespace: 'default',
    nodeName,
    revisionHash,
    labels: { app: 'agent', 'controller-revision-hash': revisionHash },
    creationTimestamp: new Date(NOW - shape.createdAgo * 1000).toISOString(),
    scheduled: shape.scheduled,
    phase: shape.phase,
    ready,
    ...(ready ? { readySince: new Date(NOW - shape.readyAgo * 1000).toISOString() } : {}),
    ...(shape.terminating ? { deletionTimestamp: new Date(NOW - 1000).toISOString() } : {}),
  };
}

/** A permutation of a list, for order-independence properties. */
export const arbPermutation = <T>(items: readonly T[]): fc.Arbitrary<readonly T[]> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
