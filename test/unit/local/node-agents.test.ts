import { describe, expect, it } from 'vitest';
import type { IngestMessage } from '../../../lib/messages/ingest-message.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../../lib/model/controller-memory.js';
import type { ControllerRevision, DaemonSetKey } from '../../../lib/model/daemon-set.js';
import type { Node } from '../../../lib/model/node.js';
import type { Pod } from '../../../lib/model/pod.js';
import { NodeAgents } from '../../../local/node-agents.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';

type NodePod = Pod & Readonly<{ daemonSet: DaemonSetKey }>;

const T0 = Date.parse('2026-01-01T12:00:00.000Z');

function aNode(name: string): Node {
  return { name, labels: {}, taints: [], unschedulable: false, conditions: [], allocatable: {} };
}

function aPod(overrides: Partial<NodePod> = {}): NodePod {
  return {
    name: 'fluentd-abc',
    namespace: 'kube-system',
    daemonSet: 'kube-system/fluentd',
    nodeName: 'worker-1',
    revisionHash: 'h1',
    labels: {},
    creationTimestamp: new Date(T0).toISOString(),
    scheduled: false,
    phase: 'Pending',
    ready: false,
    ...overrides,
  };
}

function aRevision(hash: string, image: string): ControllerRevision {
  return {
    name: `fluentd-${hash}`,
    hash,
    revision: 1,
    template: { metadata: { labels: {}, annotations: {} }, spec: { containers: [{ name: 'fluentd', image }] } },
    creationTimestamp: new Date(T0).toISOString(),
  };
}

/**
 * A pod as the store's snapshots hand it out. Like the warm store, the same object each time while the pod does not
 * change (the test's pod object is the change).
 */
const snapshotPods = new WeakMap<NodePod, Pod>();

function snapshotPod(pod: NodePod): Pod {
  const { daemonSet: _owner, ...handed } = pod;
  const known = snapshotPods.get(pod) ?? handed;
  snapshotPods.set(pod, known);
  return known;
}

/** A cluster the agents read, with a clock the test moves, and the reports they send. */
function aCluster(options: { pods: NodePod[]; image?: string; failImages?: string[]; held?: Set<string> }) {
  const clock = { now: T0 };
  const sent: IngestMessage[] = [];
  const lines: string[] = [];
  const cluster = { pods: options.pods };
  const agents = new NodeAgents({
    store: {
      listDaemonSetKeys: async () => [...new Set(cluster.pods.map((pod) => pod.daemonSet))],
      // The agents' warm view: each DaemonSet's pods and the nodes that exist.
      loadSnapshot: async (key) => ({
        daemonSet: aDaemonSet('fluentd').build(),
        version: 1,
        revisions: [],
        nodes: [aNode('worker-1')],
        pods: cluster.pods.filter((pod) => pod.daemonSet === key).map((pod) => snapshotPod(pod)),
        memory: EMPTY_CONTROLLER_MEMORY,
      }),
      listRevisions: async () => [aRevision('h1', options.image ?? 'fluent/fluentd:v1.14')],
    },
    ingest: {
      send: async (messages) => void sent.push(...messages),
      // An in-process queue's receipts: message ids by count, held while the test keeps them in `held`.
      ...(options.held === undefined
        ? {}
        : {
            sendTracked: async (messages: readonly IngestMessage[]) =>
              messages.map((message) => {
                sent.push(message);
                options.held?.add(`m${sent.length}`);
                return `m${sent.length}`;
              }),
            holds: (id: string) => options.held?.has(id) === true,
          }),
    },
    readyDelayMs: 500,
    terminationDelayMs: 200,
    failImages: options.failImages ?? [],
    now: () => clock.now,
    log: (line) => lines.push(line),
  });
  const reports = () => sent.map((message) => (message.type === 'PodStatusReported' ? message.report : undefined));
  return { agents, clock, cluster, reports, lines };
}

describe('NodeAgents', () => {
  it('reports only the pods of nodes that exist (no agent runs on a removed node)', async () => {
    const { agents, reports } = aCluster({ pods: [aPod({ nodeName: 'worker-9' })] });

    await agents.syncOnce();

    expect(reports()).toEqual([]);
  });

  it('accepts a new pod at once and reports it Running and Ready after the delay', async () => {
    const { agents, clock, cluster, reports } = aCluster({ pods: [aPod()] });

    await agents.syncOnce();
    cluster.pods = [aPod({ scheduled: true })];
    clock.now = T0 + 499;
    await agents.syncOnce();
    clock.now = T0 + 500;
    await agents.syncOnce();

    expect(reports()).toEqual([
      expect.objectContaining({ podName: 'fluentd-abc', phase: 'Pending', ready: false }),
      {
        namespace: 'kube-system',
        daemonSet: 'fluentd',
        podName: 'fluentd-abc',
        nodeName: 'worker-1',
        revisionHash: 'h1',
        phase: 'Running',
        ready: true,
        readySince: '2026-01-01T12:00:00.500Z',
        observedAt: '2026-01-01T12:00:00.500Z',
      },
    ]);
  });

  it('reports nothing about a pod the store already shows in its target state', async () => {
    const { agents, clock, reports } = aCluster({ pods: [aPod({ scheduled: true, phase: 'Running', ready: true })] });

    await agents.syncOnce();
    clock.now = T0 + 1000;
    await agents.syncOnce();

    expect(reports()).toEqual([]);
  });

  it('does not repeat a report the store has not caught up with yet', async () => {
    const { agents, clock, reports } = aCluster({ pods: [aPod()] });

    await agents.syncOnce();
    clock.now = T0 + 100;
    await agents.syncOnce();

    expect(reports()).toHaveLength(1);
  });

  it('sends a report the store never shows again after 5 s, then after twice as long each time', async () => {
    const { agents, clock, reports } = aCluster({ pods: [aPod()] });
    const sentAt: number[] = [];
    for (let second = 0; second <= 40; second += 1) {
      clock.now = T0 + second * 1000;
      const before = reports().length;
      await agents.syncOnce();
      if (reports().length > before) sentAt.push(second);
    }

    // Pending at once; Running and Ready after the 0.5 s delay (first seen at 1 s), then again 5, 10 and 20 s on.
    expect(sentAt).toEqual([0, 1, 6, 16, 36]);
  });

  it('sends no copy of a report its queue still holds, and counts the wait from when the queue let it go', async () => {
    const held = new Set<string>();
    const { agents, clock, reports } = aCluster({ pods: [aPod()], held });
    const sentAt: number[] = [];
    for (let second = 0; second <= 40; second += 1) {
      clock.now = T0 + second * 1000;
      // The queue is busy for 20 s: it holds the Running and Ready report sent at 1 s until then.
      if (second === 20) held.clear();
      const before = reports().length;
      await agents.syncOnce();
      if (reports().length > before) sentAt.push(second);
    }

    // Pending at once, Ready at 1 s; no copy while held; the store still does not show it 5 s after it left.
    expect(sentAt).toEqual([0, 1, 24]);
  });

  it('confirms a terminating pod gone after the termination delay', async () => {
    const deletionTimestamp = new Date(T0).toISOString();
    const terminating = aPod({ scheduled: true, phase: 'Running', ready: true, deletionTimestamp });
    const { agents, clock, reports } = aCluster({ pods: [terminating] });

    await agents.syncOnce();
    const early = reports().length;
    clock.now = T0 + 200;
    await agents.syncOnce();

    expect(early).toBe(0);
    expect(reports()).toEqual([expect.objectContaining({ podName: 'fluentd-abc', gone: true, ready: false })]);
  });

  it('keeps a pod with a failing image Running but never Ready, and says so once', async () => {
    const { agents, clock, cluster, reports, lines } = aCluster({
      pods: [aPod()],
      image: 'fluent/fluentd:broken',
      failImages: ['fluent/fluentd:broken'],
    });

    await agents.syncOnce();
    clock.now = T0 + 500;
    await agents.syncOnce();
    cluster.pods = [aPod({ scheduled: true, phase: 'Running', ready: false })];
    clock.now = T0 + 10_000;
    await agents.syncOnce();

    expect(reports().map((report) => [report?.phase, report?.ready])).toEqual([
      ['Pending', false],
      ['Running', false],
    ]);
    expect(lines).toEqual(['worker-1: pod fluentd-abc is crash-looping (image fluent/fluentd:broken)']);
  });

  it('looks again at a pod it found settled once the store hands out a changed pod', async () => {
    const running = aPod({ scheduled: true, phase: 'Running', ready: true });
    const { agents, clock, cluster, reports } = aCluster({ pods: [running] });
    await agents.syncOnce();
    clock.now = T0 + 1000;
    await agents.syncOnce();

    // The same pod, now terminating: a new object, as the store hands out a pod that changed.
    cluster.pods = [{ ...running, deletionTimestamp: new Date(T0 + 1000).toISOString() }];
    await agents.syncOnce();
    clock.now = T0 + 1200;
    await agents.syncOnce();

    expect(reports()).toEqual([expect.objectContaining({ podName: 'fluentd-abc', gone: true })]);
  });
});
