import type { DashboardParts } from '../../dashboard/dashboard-service.js';
import type { FleetInput } from '../../dashboard/fleet-view.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../lib/model/controller-memory.js';
import { type DaemonSet, toDaemonSetKey } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import { placementAnswers } from '../../lib/placement/placement-answers.js';
import type { StoredDaemonSet } from '../../lib/ports/cluster-store.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { aDaemonSet } from '../../test/fixtures/builders/a-daemon-set.js';
import { realisticNodes } from '../placement/realistic-nodes.js';
import { realisticPlacements } from '../placement/realistic-placements.js';

const OLD_REVISION = 'old0000001';

/** A fleet held in memory: what the dashboard's source returns, and a rolling update to advance. */
export type SeededFleet = Readonly<{
  input: () => FleetInput;
  /** The rolling DaemonSet's key. */
  rolling: string;
  /** Targeted reads (what a store answers for one DaemonSet, node or cell), for `DashboardService.changed`. */
  parts: DashboardParts;
  /**
   * Moves `count` more of the rolling DaemonSet's nodes from the old revision to the current one (ready); the
   * names of the nodes moved.
   */
  advance: (count: number) => readonly string[];
  pods: number;
}>;

/**
 * A realistic fleet (bench/placement's EKS-like nodes, 1% with the startup taint) with `daemonSets`
 * realistic placements, built in memory in a second or so: every eligible node has its pod, ready at the
 * current revision, except on the first DaemonSet, which is mid-rollout (a third of its nodes still on the
 * old revision, a few pending), and a few failed pods on the second. No store: the dashboard's service
 * reads it through its `load` source, so the benchmark measures the dashboard, not DynamoDB Local.
 */
export function seedFleet(nodeCount: number, daemonSetCount: number, now: number): SeededFleet {
  const nodes: Node[] = realisticNodes(nodeCount).map((node, index) =>
    index % 100 === 42
      ? { ...node, taints: [...node.taints, { key: 'everynode.io/startup', value: 'pending', effect: 'NoSchedule' }] }
      : node,
  );
  const created = new Date(now - 3_600_000).toISOString();
  const stored: StoredDaemonSet[] = realisticPlacements(daemonSetCount).map(({ name, placement }, index) => {
    const built = aDaemonSet(name).inNamespace('kube-system').withRollingUpdate({ percent: 10 }).build();
    const daemonSet: DaemonSet = {
      ...built,
      placement,
      creationTimestamp: created,
      rollout: { ...built.rollout, ...(index === 0 ? { progressDeadlineSeconds: 900 } : {}) },
    };
    const rollout =
      index === 0
        ? {
            revisionHash: computeRevisionHash(daemonSet.template),
            startedAt: now - 120_000,
            lastProgressAt: now - 5_000,
            notReadyAtStart: [],
          }
        : undefined;
    return { daemonSet, version: 1, memory: { ...EMPTY_CONTROLLER_MEMORY, ...(rollout ? { rollout } : {}) } };
  });
  const pods = new Map<string, Pod>();
  const rollingNodes: string[] = [];
  stored.forEach(({ daemonSet }, index) => {
    const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
    const current = computeRevisionHash(daemonSet.template);
    let eligible = 0;
    for (const node of nodes) {
      if (!placementAnswers(node, daemonSet.placement).shouldRun) continue;
      eligible += 1;
      const old = index === 0 && eligible % 3 === 0;
      if (old) rollingNodes.push(node.name);
      const failed = index === 1 && eligible % 500 === 7;
      const pending = index === 0 && !old && eligible % 97 === 1;
      pods.set(`${key}\u0000${node.name}`, {
        name: `${daemonSet.name}-${node.name}`,
        namespace: daemonSet.namespace,
        nodeName: node.name,
        revisionHash: old ? OLD_REVISION : current,
        labels: { 'controller-revision-hash': old ? OLD_REVISION : current },
        creationTimestamp: created,
        scheduled: true,
        phase: failed ? 'Failed' : pending ? 'Pending' : 'Running',
        ready: !failed && !pending,
        ...(failed || pending ? {} : { readySince: created }),
      });
    }
  });
  const first = stored[0]?.daemonSet;
  const rolling = first === undefined ? '' : toDaemonSetKey(first.namespace, first.name);
  const currentOfRolling = first === undefined ? '' : computeRevisionHash(first.template);
  return {
    input: () => ({
      daemonSets: stored,
      nodes,
      pods: [...pods.entries()].map(([cell, pod]) => ({ ...pod, daemonSet: cell.slice(0, cell.indexOf('\u0000')) })),
    }),
    rolling,
    parts: {
      daemonSet: async (key) => {
        const found = stored.find(({ daemonSet }) => toDaemonSetKey(daemonSet.namespace, daemonSet.name) === key);
        return { ...(found === undefined ? {} : { stored: found }), events: [] };
      },
      // Fresh copies, as a store read returns.
      pods: async (key) =>
        [...pods.entries()].filter(([cell]) => cell.startsWith(`${key}\u0000`)).map(([, pod]) => ({ ...pod })),
      podsOnNode: async (key, nodeName) => {
        const pod = pods.get(`${key}\u0000${nodeName}`);
        return pod === undefined ? [] : [{ ...pod }];
      },
      node: async (name) => nodes.find((node) => node.name === name),
    },
    advance: (count) => {
      const moved = rollingNodes.splice(0, count);
      for (const nodeName of moved) {
        const cell = `${rolling}\u0000${nodeName}`;
        const pod = pods.get(cell);
        if (pod === undefined) continue;
        pods.set(cell, {
          ...pod,
          revisionHash: currentOfRolling,
          labels: { 'controller-revision-hash': currentOfRolling },
          readySince: new Date().toISOString(),
        });
      }
      return moved;
    },
    pods: pods.size,
  };
}
