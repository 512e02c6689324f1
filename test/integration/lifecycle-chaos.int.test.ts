import { describe, expect, it } from 'vitest';
import { makeIngestHandler } from '../../functions/ingest-handler.js';
import { makeReconcileHandler } from '../../functions/reconcile-handler.js';
import type { IngestMessage } from '../../lib/messages/ingest-message.js';
import type { Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { InMemoryClusterStore } from '../../lib/store/memory/in-memory-cluster-store.js';
import { LocalLifecycleActions } from '../../local/local-lifecycle-actions.js';
import { simulatedLifecycleEvent } from '../../local/simulated-lifecycle-event.js';
import { aRecordingObservability } from '../fixtures/events/recording-observability.js';
import { simulatedAgentReports } from '../fixtures/events/simulated-agents.js';
import { SimulatedClock, SimulatedQueue, SimulatedWorkQueue } from '../fixtures/events/simulated-queue.js';
import { SeededRandom } from '../fixtures/seeded-random.js';
import { localDynamo } from './local-dynamo.js';

// Gated joins and drains under chaos (issue 14): the real ingest and reconcile handlers, every message delivered
// 1-2 times in random order, agents that report some pods late, launches and terminations as Auto Scaling's
// EventBridge events. After every invocation: no ordinary DaemonSet's pod on a node whose gate never opened; a gate
// opens only when its critical pod is available; a drain deletes the critical pod only once the others are gone
// (or past their grace). At the end: every lifecycle action completed exactly once, nothing dead-lettered.

/** `EVERYNODE_LIFECYCLE_CHAOS_SEQUENCES=n` runs n in-memory sequences and n / 12 on DynamoDB Local. */
const SCALE = Number(process.env['EVERYNODE_LIFECYCLE_CHAOS_SEQUENCES'] ?? 24);
const SEQUENCES = { memory: SCALE, dynamo: Math.max(1, Math.floor(SCALE / 24)) };
const T0 = Date.UTC(2026, 0, 1);
/** Ten DaemonSets, as the aim asks of a drain: two startup-critical, eight ordinary. */
const CRITICAL = ['cni', 'kube-proxy'];
const ORDINARY = ['logs', 'metrics', 'security', 'node-exporter', 'csi', 'dns-cache', 'gpu-plugin', 'tracing'];
const isCritical = (pod: Pod): boolean => CRITICAL.some((name) => pod.name.startsWith(`${name}-`));

type Violation = string;

const dynamo = localDynamo('lifecycle-chaos');

function daemonSet(name: string, critical: boolean, minReadySeconds: number): IngestMessage {
  return {
    type: 'DaemonSetApplied',
    manifest: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name,
        namespace: 'default',
        ...(critical ? { annotations: { 'everynode.io/startup-critical': 'true' } } : {}),
      },
      spec: {
        selector: { matchLabels: { app: name } },
        minReadySeconds,
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name, image: `registry.example/${name}:1` }], terminationGracePeriodSeconds: 30 },
        },
      },
    },
    observedAt: new Date(T0).toISOString(),
  };
}

async function runSequence(
  seed: number,
  makeStore: (now: () => number) => Promise<ClusterStore>,
  maxNodes = 4,
): Promise<{ violations: Violation[]; events: number; fullDrains: number }> {
  const random = new SeededRandom(seed);
  const clock = new SimulatedClock(T0);
  const store = await makeStore(clock.now);
  const pick = (count: number) => Math.floor(random.next() * count);
  const ingestQueue = new SimulatedQueue('everynode-ingest', clock, { pick, maxReceiveCount: 100 });
  const reconcileQueue = new SimulatedQueue('everynode-reconcile', clock, { pick, maxReceiveCount: 100 });
  const workQueue = new SimulatedWorkQueue(reconcileQueue, () => random.int(1, 2));
  const lifecycle = new LocalLifecycleActions(clock.now);
  const deps = {
    store,
    workQueue,
    observability: aRecordingObservability(),
    now: clock.now,
    lifecycleActions: lifecycle,
    eventBridge: { gateJoins: true },
  };
  const ingest = makeIngestHandler(deps);
  const reconcile = makeReconcileHandler(deps);
  const send = (body: string) => ingestQueue.send(body, 0, random.int(1, 2));
  const minReadySeconds = random.pick([0, 0, 2]);

  for (const name of CRITICAL) send(JSON.stringify(daemonSet(name, true, minReadySeconds)));
  for (const name of ORDINARY) send(JSON.stringify(daemonSet(name, false, 0)));
  const nodes = Array.from(
    { length: random.int(2, maxNodes) },
    (_, index) => `i-0${String(seed).padStart(8, '0')}${index}aaa`,
  );
  const tokens: string[] = [];
  const launches = nodes.map((instanceId) => () => {
    const { token, event } = simulatedLifecycleEvent({ transition: 'launch', instanceId }, new Date(clock.now()));
    tokens.push(token);
    send(JSON.stringify(event));
  });
  const leaves = nodes.map((instanceId) => () => {
    if (random.chance(0.5)) {
      const { token, event } = simulatedLifecycleEvent({ transition: 'terminate', instanceId }, new Date(clock.now()));
      tokens.push(token);
      send(JSON.stringify(event));
    } else {
      const drain: IngestMessage = {
        type: 'NodeDrainRequested',
        name: instanceId,
        keep: random.chance(0.3),
        observedAt: new Date(clock.now()).toISOString(),
      };
      send(JSON.stringify(drain));
    }
  });

  const violations: Violation[] = [];
  const opened = new Set<string>();
  const criticalDeleted = new Set<string>();
  // Drains that began with a pod of every one of the ten DaemonSets on the node.
  const drainsSeen = new Set<string>();
  let fullDrains = 0;
  const check = async (): Promise<void> => {
    const [storedNodes, pods] = await Promise.all([store.listNodes(), store.listPods()]);
    const now = clock.now();
    for (const node of storedNodes)
      checkNode(
        node,
        pods.filter((pod) => pod.nodeName === node.name),
        now,
      );
  };
  const checkNode = (node: Node, pods: readonly Pod[], now: number): void => {
    const critical = pods.filter(isCritical);
    const ordinary = pods.filter((pod) => !isCritical(pod));
    const condition = node.conditions.find((each) => each.type === 'everynode.io/StartupComplete');
    if (!opened.has(node.name) && condition?.status === 'True') {
      opened.add(node.name);
      const openedAt = Date.parse(condition.lastTransitionTime ?? '');
      const availableOf = (name: string) =>
        critical.some(
          (pod) =>
            pod.name.startsWith(`${name}-`) &&
            pod.ready &&
            pod.readySince !== undefined &&
            Date.parse(pod.readySince) + minReadySeconds * 1000 <= openedAt,
        );
      for (const name of CRITICAL.filter((each) => !availableOf(each))) {
        violations.push(`seed ${seed}: ${node.name}'s gate opened before its ${name} pod was available`);
      }
    }
    if (!opened.has(node.name) && ordinary.some((pod) => pod.deletionTimestamp === undefined)) {
      violations.push(`seed ${seed}: an ordinary pod runs on ${node.name} before its gate opened`);
    }
    if (node.drain === undefined) return;
    if (!drainsSeen.has(node.name)) {
      drainsSeen.add(node.name);
      const owners = new Set(pods.map((pod) => pod.name.slice(0, pod.name.lastIndexOf('-'))));
      if (owners.size === CRITICAL.length + ORDINARY.length) fullDrains += 1;
    }
    if (critical.length === 0 || critical.some((pod) => pod.deletionTimestamp !== undefined)) {
      criticalDeleted.add(node.name);
    }
    const waited = ordinary.filter(
      (pod) => pod.deletionTimestamp === undefined || Date.parse(pod.deletionTimestamp) + 30_000 > now,
    );
    if (criticalDeleted.has(node.name) && opened.has(node.name) && waited.length > 0) {
      violations.push(`seed ${seed}: ${node.name}'s critical pod was deleted before its other pods were gone`);
    }
  };

  // The DaemonSets are in place before any node launches, as in a running cluster.
  for (let round = 0; ingestQueue.size + reconcileQueue.size > 0 && round < 200; round += 1) {
    const queue = ingestQueue.size > 0 ? ingestQueue : reconcileQueue;
    await queue.deliver(queue === ingestQueue ? ingest : reconcile, queue.receive(10));
    if (ingestQueue.size + reconcileQueue.size > 0 && ingestQueue.nextVisibleAt() === undefined) {
      clock.advanceTo(reconcileQueue.nextVisibleAt() ?? clock.now());
    }
  }
  const pendingLaunches = [...launches];
  const pendingLeaves = nodes.map((name, index) => ({ name, leave: leaves[index] }));
  let events = 0;
  for (let round = 0; round < 3000; round += 1) {
    if (pendingLaunches.length > 0 && (round % 5 === 0 || random.chance(0.2))) {
      pendingLaunches.shift()?.();
      events += 1;
    } else if (pendingLeaves.length > 0 && random.chance(0.05)) {
      // A node leaves once it is there (Auto Scaling terminates instances that launched).
      const index = random.int(0, pendingLeaves.length - 1);
      const candidate = pendingLeaves[index];
      if (candidate !== undefined && (await store.getNode(candidate.name)) !== undefined) {
        pendingLeaves.splice(index, 1);
        candidate.leave?.();
        events += 1;
      }
    }
    const queue = random.chance(0.5) ? ingestQueue : reconcileQueue;
    const other = queue === ingestQueue ? reconcileQueue : ingestQueue;
    const messages = queue.receive(random.int(1, 3));
    const chosen = messages.length > 0 ? queue : other;
    const batch = messages.length > 0 ? messages : other.receive(random.int(1, 3));
    if (batch.length > 0) {
      await chosen.deliver(chosen === ingestQueue ? ingest : reconcile, batch);
      await check();
      continue;
    }
    clock.advance(1000);
    const reports = await simulatedAgentReports(store, clock.now(), { reports: () => random.chance(0.7) });
    for (const report of reports) send(JSON.stringify(report));
    if (reports.length === 0 && pendingLaunches.length === 0 && pendingLeaves.length === 0) {
      const next = [ingestQueue.nextVisibleAt(), reconcileQueue.nextVisibleAt()].filter((time) => time !== undefined);
      if (next.length === 0) break;
      clock.advanceTo(Math.min(...next));
    }
  }

  const counts = new Map<string, number>();
  for (const completion of lifecycle.completions()) {
    counts.set(completion.lifecycleActionToken, (counts.get(completion.lifecycleActionToken) ?? 0) + 1);
  }
  for (const token of tokens) {
    if (counts.get(token) !== 1)
      violations.push(`seed ${seed}: lifecycle action ${token} completed ${counts.get(token) ?? 0} times`);
  }
  if (ingestQueue.deadLetters.length + reconcileQueue.deadLetters.length > 0) {
    violations.push(`seed ${seed}: messages were dead-lettered`);
  }
  for (const node of await store.listNodes()) {
    if (node.drain === undefined || node.drain.keep) {
      if (node.drain !== undefined && node.drain.completedAt === undefined)
        violations.push(`seed ${seed}: ${node.name}'s kept drain never ended`);
      continue;
    }
    violations.push(`seed ${seed}: ${node.name} was drained but never removed`);
  }
  return { violations, events, fullDrains };
}

describe('node lifecycle under chaos', () => {
  it(`keeps gates and drains in order over ${SEQUENCES.memory} sequences on the in-memory store`, async () => {
    const results = [];
    for (let seed = 1; seed <= SEQUENCES.memory; seed += 1) {
      results.push(await runSequence(seed, async (now) => new InMemoryClusterStore({ now })));
    }

    expect(results.flatMap((result) => result.violations)).toEqual([]);
    expect(results.reduce((total, result) => total + result.events, 0)).toBeGreaterThan(SEQUENCES.memory * 4);
    // Most drains start on a node running all ten DaemonSets (others start before every pod was placed).
    expect(results.reduce((total, result) => total + result.fullDrains, 0)).toBeGreaterThan(SEQUENCES.memory);
  });

  it(`keeps gates and drains in order over ${SEQUENCES.dynamo} sequences on DynamoDB Local`, async () => {
    const violations: Violation[] = [];
    let fullDrains = 0;
    for (let seed = 101; seed < 101 + SEQUENCES.dynamo; seed += 1) {
      const table = await dynamo.newTable();
      const makeStore = async (now: () => number) => new DynamoClusterStore(dynamo.documentClient, table, { now });
      // Two nodes of ten DaemonSets each keep the DynamoDB Local run within CI's time.
      const result = await runSequence(seed, makeStore, 2);
      violations.push(...result.violations);
      fullDrains += result.fullDrains;
    }

    expect(violations).toEqual([]);
    expect(fullDrains).toBeGreaterThan(0);
  });
});
