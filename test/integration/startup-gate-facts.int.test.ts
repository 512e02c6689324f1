import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../../lib/messages/ingest-event.js';
import type { Node } from '../../lib/model/node.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { applyIngestEvent } from '../../lib/reconcile/apply-ingest-event.js';
import { applyStartupGate } from '../../lib/reconcile/apply-startup-gate.js';
import { reconcile } from '../../lib/reconcile/reconcile-pass.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { InMemoryClusterStore } from '../../lib/store/memory/in-memory-cluster-store.js';
import { LocalLifecycleActions } from '../../local/local-lifecycle-actions.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { localDynamo } from './local-dynamo.js';
import type { MakeStore } from './store-contract-fixtures.js';

// The startup gate in the at-least-once world: redelivered, reordered and concurrent facts and checks, against the
// in-memory store and DynamoDB Local. However they arrive, the gate opens once, never before the critical pod is
// available, non-critical pods start only after it, and the launch's lifecycle action is completed exactly once.

const dynamo = localDynamo('startup-gate');
const stores: Record<string, MakeStore> = {
  memory: async (options) => new InMemoryClusterStore(options),
  'DynamoDB Local': async (options) => new DynamoClusterStore(dynamo.documentClient, await dynamo.newTable(), options),
};

const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const CNI = 'kube-system/cni';
const LOGS = 'default/logs';

const gatedNode = (): Node => ({
  ...aNode('i-1').tainted('everynode.io/startup', 'NoSchedule').build(),
  lifecycleAction: {
    transition: 'launch',
    autoScalingGroupName: 'workers',
    lifecycleHookName: 'everynode-launch',
    lifecycleActionToken: 'token-1',
    receivedAt: at(0),
  },
});

async function aCluster(makeStore: MakeStore, clock: { seconds: number }) {
  const now = () => T0 + clock.seconds * 1000;
  const store = await makeStore({ now });
  const lifecycle = new LocalLifecycleActions(now);
  const deps = { store, now, lifecycleActions: lifecycle };
  await store.applyDaemonSet(
    aDaemonSet('cni').inNamespace('kube-system').startupCritical().withMinReadySeconds(2).build(),
    at(0),
  );
  await store.applyDaemonSet(aDaemonSet('logs').build(), at(0));
  for (const key of [CNI, LOGS]) await reconcile(key, { store, now });
  return { store, lifecycle, deps };
}

const livePods = async (store: ClusterStore, key: string) =>
  (await store.listPods(key)).filter((pod) => pod.nodeName === 'i-1' && pod.deletionTimestamp === undefined);

async function report(store: ClusterStore, ready: boolean, readyAt: number, observedAt: number): Promise<IngestEvent> {
  const [pod] = await livePods(store, CNI);
  if (pod === undefined) throw new Error('no cni pod');
  return {
    type: 'PodStatusReported',
    report: {
      namespace: 'kube-system',
      daemonSet: 'cni',
      podName: pod.name,
      nodeName: 'i-1',
      revisionHash: pod.revisionHash,
      phase: 'Running',
      ready,
      ...(ready ? { readySince: at(readyAt) } : {}),
      observedAt: at(observedAt),
    },
    observedAt: at(observedAt),
  };
}

describe.each(Object.entries(stores))('the startup gate on the %s store', (_name, makeStore) => {
  it('opens once under redelivered and reordered facts and concurrent checks, completing the launch once', async () => {
    const clock = { seconds: 0 };
    const { store, lifecycle, deps } = await aCluster(makeStore, clock);
    const join: IngestEvent = { type: 'NodeJoined', node: gatedNode(), observedAt: at(0) };
    await applyIngestEvent(join, deps);
    await applyIngestEvent(join, deps);
    const pending = await report(store, false, 0, 1);
    const ready = await report(store, true, 1, 2);

    clock.seconds = 2;
    await applyIngestEvent(ready, deps);
    await applyIngestEvent(pending, deps);
    const beforeAvailable = await store.getNode('i-1');
    const logsBefore = await livePods(store, LOGS);
    clock.seconds = 3.5;
    await Promise.all([
      applyStartupGate('i-1', deps),
      applyStartupGate('i-1', deps),
      applyIngestEvent(ready, deps),
      applyStartupGate('i-1', deps),
    ]);
    await applyIngestEvent(join, deps);
    await applyIngestEvent({ type: 'NodeJoined', node: aNode('i-1').build(), observedAt: at(4) }, deps);

    const node = await store.getNode('i-1');
    expect(beforeAvailable?.taints.map((taint) => taint.key)).toEqual(['everynode.io/startup']);
    expect(logsBefore).toEqual([]);
    expect(node?.taints).toEqual([]);
    expect(node?.conditions.find((condition) => condition.type === 'everynode.io/StartupComplete')).toMatchObject({
      status: 'True',
      lastTransitionTime: at(3.5),
    });
    expect(node?.lifecycleAction).toMatchObject({ result: 'CONTINUE', completedAt: expect.any(String) });
    expect(await livePods(store, LOGS)).toHaveLength(1);
    expect(await livePods(store, CNI)).toHaveLength(1);
    expect(lifecycle.completions()).toHaveLength(1);
    expect(lifecycle.calls().filter((call) => call.call === 'CompleteLifecycleAction').length).toBeLessThanOrEqual(4);
    expect((await store.listNodeEvents('i-1')).map((event) => [event.type, event.reason, event.time])).toEqual([
      ['Normal', 'StartupGateOpened', at(3.5)],
    ]);
  });

  it('records a gate deadline as one Warning event under concurrent and redelivered checks', async () => {
    const clock = { seconds: 0 };
    const now = () => T0 + clock.seconds * 1000;
    const store = await makeStore({ now });
    const lifecycle = new LocalLifecycleActions(now);
    const deps = { store, now, lifecycleActions: lifecycle };
    await store.applyDaemonSet(aDaemonSet('cni').inNamespace('kube-system').startupCritical('true', 30).build(), at(0));
    await reconcile(CNI, { store, now });
    await applyIngestEvent({ type: 'NodeJoined', node: gatedNode(), observedAt: at(0) }, deps);

    clock.seconds = 31;
    await Promise.all([applyStartupGate('i-1', deps), applyStartupGate('i-1', deps), applyStartupGate('i-1', deps)]);
    clock.seconds = 45;
    await applyStartupGate('i-1', deps);

    const events = await store.listNodeEvents('i-1');
    expect(events).toEqual([
      {
        node: 'i-1',
        type: 'Warning',
        reason: 'StartupGateTimeout',
        message: expect.stringMatching(/^the startup gate passed its 30 s deadline; waiting for kube-system\/cni/),
        time: at(31),
      },
    ]);
    expect(await store.listNodeEvents()).toEqual(events);
    expect(lifecycle.completions()).toEqual([expect.objectContaining({ result: 'ABANDON' })]);
  });
});
