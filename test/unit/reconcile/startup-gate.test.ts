import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../../../lib/messages/ingest-event.js';
import type { LifecycleAction, Node } from '../../../lib/model/node.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { applyIngestEvent } from '../../../lib/reconcile/apply-ingest-event.js';
import { applyStartupGate, type StartupGateDeps } from '../../../lib/reconcile/apply-startup-gate.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { LocalLifecycleActions } from '../../../local/local-lifecycle-actions.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const CNI = 'kube-system/cni';
const LOGS = 'default/logs';

type World = Readonly<{
  store: InMemoryClusterStore;
  lifecycle: LocalLifecycleActions;
  clock: { seconds: number };
  deps: StartupGateDeps;
  ingest: (event: IngestEvent) => ReturnType<typeof applyIngestEvent>;
  check: (node: string) => ReturnType<typeof applyStartupGate>;
  reportReady: (key: string, node: string, ready: boolean, readyAt?: number) => Promise<unknown>;
}>;

/** A settled cluster with a startup-critical CNI (minReadySeconds 5) and an ordinary log shipper. */
async function aWorld(cni = aDaemonSet('cni').inNamespace('kube-system').startupCritical().withMinReadySeconds(5)) {
  const clock = { seconds: 0 };
  const now = () => T0 + clock.seconds * 1000;
  const store = new InMemoryClusterStore({ now });
  const lifecycle = new LocalLifecycleActions(now);
  const deps: StartupGateDeps = { store, now, lifecycleActions: lifecycle, heartbeatIntervalSeconds: 600 };
  await store.applyDaemonSet(cni.build(), at(0));
  await store.applyDaemonSet(aDaemonSet('logs').build(), at(0));
  for (const key of [CNI, LOGS]) await reconcile(key, { store, now });
  const world: World = {
    store,
    lifecycle,
    clock,
    deps,
    ingest: (event) => applyIngestEvent(event, deps),
    check: (node) => applyStartupGate(node, deps),
    reportReady: async (key, node, ready, readyAt = clock.seconds) => {
      const [pod] = await podsOn(store, key, node);
      if (pod === undefined) throw new Error(`no ${key} pod on ${node}`);
      const [namespace = '', daemonSet = ''] = key.split('/');
      return world.ingest({
        type: 'PodStatusReported',
        report: {
          namespace,
          daemonSet,
          podName: pod.name,
          nodeName: node,
          revisionHash: pod.revisionHash,
          phase: 'Running',
          ready,
          readySince: at(readyAt),
          observedAt: at(clock.seconds),
        },
        observedAt: at(clock.seconds),
      });
    },
  };
  return world;
}

const podsOn = async (store: ClusterStore, key: string, nodeName: string) =>
  (await store.listPods(key)).filter((pod) => pod.nodeName === nodeName && pod.deletionTimestamp === undefined);

const gated = (name: string, extra: Partial<Node> = {}): Node => ({
  ...aNode(name).tainted('everynode.io/startup', 'NoSchedule').build(),
  ...extra,
});

const launch = (token = 'token-1'): LifecycleAction => ({
  transition: 'launch',
  autoScalingGroupName: 'workers',
  lifecycleHookName: 'everynode-launch',
  lifecycleActionToken: token,
  receivedAt: at(0),
});

const conditionOf = async (store: ClusterStore, name: string) =>
  (await store.getNode(name))?.conditions.find((condition) => condition.type === 'everynode.io/StartupComplete');

describe('the startup gate', () => {
  it('starts only the critical DaemonSet on a gated node, and says what the gate waits for', async () => {
    const world = await aWorld();

    const applied = await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });

    expect(await podsOn(world.store, CNI, 'worker-1')).toHaveLength(1);
    expect(await podsOn(world.store, LOGS, 'worker-1')).toHaveLength(0);
    expect(await conditionOf(world.store, 'worker-1')).toMatchObject({
      status: 'False',
      reason: 'WaitingForCriticalPods',
      message: expect.stringContaining('kube-system/cni (pod'),
    });
    expect(applied.gateRecheck).toEqual({ node: 'worker-1', afterSeconds: 60 });
  });

  it('opens once the critical pod is available (minReadySeconds counts), then the other DaemonSets start', async () => {
    const world = await aWorld();
    await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });
    world.clock.seconds = 2;

    const ready = await world.reportReady(CNI, 'worker-1', true);

    expect((await world.store.getNode('worker-1'))?.taints).toHaveLength(1);
    expect(ready).toMatchObject({ gateRecheck: { node: 'worker-1', afterSeconds: 6 } });
    world.clock.seconds = 7.5;
    const opened = await world.check('worker-1');

    const node = await world.store.getNode('worker-1');
    expect(opened.plan?.opened).toBe(true);
    expect(node?.taints).toEqual([]);
    expect(await conditionOf(world.store, 'worker-1')).toEqual({
      type: 'everynode.io/StartupComplete',
      status: 'True',
      reason: 'CriticalPodsAvailable',
      message: '1 startup-critical DaemonSet available after 7.5 s',
      lastTransitionTime: at(7.5),
    });
    expect(await podsOn(world.store, LOGS, 'worker-1')).toHaveLength(1);
    expect(opened.affected).toContain(LOGS);
  });

  it('opens at once on a gated node no critical DaemonSet selects', async () => {
    const world = await aWorld(
      aDaemonSet('cni').inNamespace('kube-system').startupCritical().withNodeSelector({ a: 'b' }),
    );

    await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });

    expect((await world.store.getNode('worker-1'))?.taints).toEqual([]);
    expect(await podsOn(world.store, LOGS, 'worker-1')).toHaveLength(1);
  });

  it('keeps the taint past the deadline, says why, and abandons the launch exactly once', async () => {
    const world = await aWorld(aDaemonSet('cni').inNamespace('kube-system').startupCritical('true', 30));
    await world.ingest({ type: 'NodeJoined', node: gated('i-1', { lifecycleAction: launch() }), observedAt: at(0) });
    world.clock.seconds = 31;

    const timedOut = await world.check('i-1');
    await world.check('i-1');

    expect(timedOut.plan?.timedOut).toBe(true);
    expect((await world.store.getNode('i-1'))?.taints.map((taint) => taint.key)).toEqual(['everynode.io/startup']);
    expect(await conditionOf(world.store, 'i-1')).toMatchObject({
      status: 'False',
      reason: 'StartupTimeout',
      message: expect.stringMatching(
        /30 s deadline; waiting for kube-system\/cni \(pod cni-\w+ is not scheduled yet\)/,
      ),
    });
    expect(world.lifecycle.calls()).toEqual([
      expect.objectContaining({ call: 'CompleteLifecycleAction', result: 'ABANDON', outcome: 'accepted' }),
    ]);
    expect((await world.store.getNode('i-1'))?.lifecycleAction).toMatchObject({
      result: 'ABANDON',
      completedAt: at(31),
    });
    // One Warning event about the node, however often the check runs again.
    expect(await world.store.listNodeEvents('i-1')).toEqual([
      {
        node: 'i-1',
        type: 'Warning',
        reason: 'StartupGateTimeout',
        message: (await conditionOf(world.store, 'i-1'))?.message,
        time: at(31),
      },
    ]);
  });

  it('records the gate opening as a Normal event, once under redelivered pod reports and checks', async () => {
    const world = await aWorld(aDaemonSet('cni').inNamespace('kube-system').startupCritical());
    await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });
    world.clock.seconds = 2;

    await world.reportReady(CNI, 'worker-1', true, 1);
    await world.reportReady(CNI, 'worker-1', true, 1);
    await world.check('worker-1');

    expect(await world.store.listNodeEvents()).toEqual([
      {
        node: 'worker-1',
        type: 'Normal',
        reason: 'StartupGateOpened',
        message: '1 startup-critical DaemonSet available after 2.0 s',
        time: at(2),
      },
    ]);
  });

  it('completes the launch with CONTINUE when the gate opens, once however often the check runs', async () => {
    const world = await aWorld(aDaemonSet('cni').inNamespace('kube-system').startupCritical());
    await world.ingest({ type: 'NodeJoined', node: gated('i-1', { lifecycleAction: launch() }), observedAt: at(0) });

    await world.reportReady(CNI, 'i-1', true);
    await world.check('i-1');
    await world.reportReady(CNI, 'i-1', true);

    expect(world.lifecycle.calls()).toEqual([
      expect.objectContaining({
        call: 'CompleteLifecycleAction',
        result: 'CONTINUE',
        lifecycleActionToken: 'token-1',
        autoScalingGroupName: 'workers',
        lifecycleHookName: 'everynode-launch',
        instanceId: 'i-1',
      }),
    ]);
  });

  it('retries a completion that failed: the decision stays on the node until the call goes through', async () => {
    const world = await aWorld(aDaemonSet('cni').inNamespace('kube-system').startupCritical());
    let failures = 1;
    const flaky = {
      complete: async (...args: Parameters<LocalLifecycleActions['complete']>) => {
        if (failures-- > 0) throw new Error('Rate exceeded');
        return world.lifecycle.complete(...args);
      },
      recordHeartbeat: (...args: Parameters<LocalLifecycleActions['recordHeartbeat']>) =>
        world.lifecycle.recordHeartbeat(...args),
    };
    const deps = { ...world.deps, lifecycleActions: flaky };
    await applyIngestEvent(
      { type: 'NodeJoined', node: gated('i-1', { lifecycleAction: launch() }), observedAt: at(0) },
      deps,
    );
    const [pod] = await podsOn(world.store, CNI, 'i-1');
    const report: IngestEvent = {
      type: 'PodStatusReported',
      report: {
        namespace: 'kube-system',
        daemonSet: 'cni',
        podName: pod?.name ?? '',
        nodeName: 'i-1',
        revisionHash: pod?.revisionHash ?? '',
        phase: 'Running',
        ready: true,
        readySince: at(0),
        observedAt: at(0),
      },
      observedAt: at(0),
    };

    await expect(applyIngestEvent(report, deps)).rejects.toThrow('Rate exceeded');
    expect((await world.store.getNode('i-1'))?.lifecycleAction?.result).toBe('CONTINUE');
    await applyIngestEvent(report, deps);

    expect(world.lifecycle.completions()).toHaveLength(1);
    expect((await world.store.getNode('i-1'))?.lifecycleAction?.completedAt).toBeDefined();
  });

  it('sends lifecycle heartbeats while a long gate waits', async () => {
    const world = await aWorld();
    await world.ingest({ type: 'NodeJoined', node: gated('i-1', { lifecycleAction: launch() }), observedAt: at(0) });

    world.clock.seconds = 300;
    const early = await world.check('i-1');
    world.clock.seconds = 601;
    await world.check('i-1');
    await world.check('i-1');

    expect(early.recheckAfterSeconds).toBe(60);
    expect(world.lifecycle.calls().map((call) => call.call)).toEqual(['RecordLifecycleActionHeartbeat']);
    expect((await world.store.getNode('i-1'))?.lifecycleAction?.heartbeatAt).toBe(at(601));
  });

  it('continuous: the taint comes back while a critical pod is unavailable, and goes when it recovers', async () => {
    const world = await aWorld(aDaemonSet('cni').inNamespace('kube-system').startupCritical('continuous'));
    await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });
    world.clock.seconds = 1;
    await world.reportReady(CNI, 'worker-1', true);
    expect((await world.store.getNode('worker-1'))?.taints).toEqual([]);

    world.clock.seconds = 2;
    await world.reportReady(CNI, 'worker-1', false);
    const regated = await world.store.getNode('worker-1');
    world.clock.seconds = 3;
    await world.reportReady(CNI, 'worker-1', true);

    expect(regated?.taints).toEqual([{ key: 'everynode.io/startup', effect: 'NoSchedule', timeAdded: at(2) }]);
    expect(regated?.conditions.at(-1)).toMatchObject({ status: 'False', reason: 'CriticalPodUnavailable' });
    expect((await world.store.getNode('worker-1'))?.taints).toEqual([]);
    expect(await conditionOf(world.store, 'worker-1')).toMatchObject({ status: 'True', lastTransitionTime: at(3) });
    expect(
      (await world.store.listNodeEvents('worker-1')).map((event) => [event.type, event.reason, event.time]),
    ).toEqual([
      ['Normal', 'StartupGateOpened', at(1)],
      ['Warning', 'StartupGateClosed', at(2)],
      ['Normal', 'StartupGateOpened', at(3)],
    ]);
  });

  it("continuous: a pod of a DaemonSet that is not critical leaves the open node alone, reading no other DaemonSet's pods", async () => {
    const world = await aWorld(aDaemonSet('cni').inNamespace('kube-system').startupCritical('continuous'));
    await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });
    world.clock.seconds = 1;
    await world.reportReady(CNI, 'worker-1', true);
    await reconcile(LOGS, { store: world.store, now: () => T0 + 1_000 });
    const read: string[] = [];
    const loadNodeSnapshot = world.store.loadNodeSnapshot.bind(world.store);
    world.store.loadNodeSnapshot = async (key, nodeName) => {
      read.push(key);
      return loadNodeSnapshot(key, nodeName);
    };

    world.clock.seconds = 2;
    await world.reportReady(LOGS, 'worker-1', false);
    const afterLogs = await world.store.getNode('worker-1');
    const readForLogs = [...read];
    await world.reportReady(CNI, 'worker-1', false);

    expect(afterLogs?.taints).toEqual([]);
    expect(readForLogs).toEqual([]);
    expect((await world.store.getNode('worker-1'))?.taints).toEqual([
      { key: 'everynode.io/startup', effect: 'NoSchedule', timeAdded: at(2) },
    ]);
  });

  it('bootstrap only: a critical pod that fails later leaves the open node alone', async () => {
    const world = await aWorld(aDaemonSet('cni').inNamespace('kube-system').startupCritical('true'));
    await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });
    await world.reportReady(CNI, 'worker-1', true);
    world.clock.seconds = 2;

    await world.reportReady(CNI, 'worker-1', false);

    expect((await world.store.getNode('worker-1'))?.taints).toEqual([]);
  });

  it('a later join of the same node (EC2 running after the lifecycle action) neither opens nor closes the gate', async () => {
    const world = await aWorld();
    await world.ingest({ type: 'NodeJoined', node: gated('i-1', { lifecycleAction: launch() }), observedAt: at(0) });

    await world.ingest({ type: 'NodeJoined', node: aNode('i-1').build(), observedAt: at(1) });

    const node = await world.store.getNode('i-1');
    expect(node?.taints.map((taint) => taint.key)).toEqual(['everynode.io/startup']);
    expect(node?.lifecycleAction?.lifecycleActionToken).toBe('token-1');
    expect(await podsOn(world.store, LOGS, 'i-1')).toHaveLength(0);
  });

  it('decides again when another fact about the node lands between its read and its write', async () => {
    const world = await aWorld();
    await world.ingest({ type: 'NodeJoined', node: gated('worker-1'), observedAt: at(0) });
    let raced = false;
    const replaceNode = async (...args: Parameters<ClusterStore['replaceNode']>) => {
      if (!raced) {
        raced = true;
        await world.store.putNode(gated('worker-1', { labels: { zone: 'a' } }), at(0.5));
      }
      return world.store.replaceNode(...args);
    };
    const racing = new Proxy(world.store, {
      get: (target, property) => {
        if (property === 'replaceNode') return replaceNode;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await world.reportReady(CNI, 'worker-1', true, -10);

    world.clock.seconds = 10;
    await applyStartupGate('worker-1', { ...world.deps, store: racing });

    const node = await world.store.getNode('worker-1');
    expect(raced).toBe(true);
    expect(node?.labels).toEqual({ zone: 'a' });
    expect(node?.taints).toEqual([]);
  });

  it('completes the terminate lifecycle action of an instance it never saw at once; a redelivery closes nothing twice', async () => {
    const world = await aWorld();
    const terminating: IngestEvent = {
      type: 'NodeTerminating',
      name: 'i-1',
      lifecycleAction: { ...launch('token-t'), transition: 'terminate' },
      observedAt: at(5),
    };

    await world.ingest(terminating);
    await world.ingest(terminating);

    expect(await world.store.getNode('i-1')).toBeUndefined();
    expect(world.lifecycle.completions()).toEqual([
      expect.objectContaining({ result: 'CONTINUE', lifecycleActionToken: 'token-t', instanceId: 'i-1' }),
    ]);
    expect(world.lifecycle.calls().map((call) => call.outcome)).toEqual(['accepted', 'alreadyClosed']);
  });
});
