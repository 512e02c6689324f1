import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../../../lib/messages/ingest-event.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { applyIngestEvent } from '../../../lib/reconcile/apply-ingest-event.js';
import { applyNodeLifecycle } from '../../../lib/reconcile/apply-node-lifecycle.js';
import type { StartupGateDeps } from '../../../lib/reconcile/apply-startup-gate.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { LocalLifecycleActions } from '../../../local/local-lifecycle-actions.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const KEYS = ['kube-system/cni', 'default/logs', 'default/metrics'];

/** A node running a critical CNI and two ordinary DaemonSets, all pods Running. */
async function aNodeWithPods() {
  const clock = { seconds: 0 };
  const now = () => T0 + clock.seconds * 1000;
  const store = new InMemoryClusterStore({ now });
  const lifecycle = new LocalLifecycleActions(now);
  const deps: StartupGateDeps = { store, now, lifecycleActions: lifecycle };
  await store.applyDaemonSet(aDaemonSet('cni').inNamespace('kube-system').startupCritical().build(), at(0));
  await store.applyDaemonSet(aDaemonSet('logs').build(), at(0));
  await store.applyDaemonSet(aDaemonSet('metrics').build(), at(0));
  await store.putNode(aNode('i-1').build(), at(0));
  for (const key of KEYS) await reconcile(key, { store, now });
  const passes = async () => {
    for (const key of KEYS) await reconcile(key, { store, now });
  };
  const gone = async (name: string) => {
    const pod = (await store.listPods()).find((each) => each.name.startsWith(`${name}-`) && each.nodeName === 'i-1');
    if (pod === undefined) throw new Error(`no ${name} pod`);
    const namespace = name === 'cni' ? 'kube-system' : 'default';
    const event: IngestEvent = {
      type: 'PodStatusReported',
      report: {
        namespace,
        daemonSet: name,
        podName: pod.name,
        nodeName: 'i-1',
        revisionHash: pod.revisionHash,
        phase: 'Running',
        ready: false,
        observedAt: at(clock.seconds),
        gone: true,
      },
      observedAt: at(clock.seconds),
    };
    return applyIngestEvent(event, deps);
  };
  return { store, lifecycle, deps, clock, passes, gone };
}

const onNode = async (store: ClusterStore) =>
  (await store.listPods())
    .filter((pod) => pod.nodeName === 'i-1')
    .map((pod) => `${pod.name.split('-')[0]}${pod.deletionTimestamp === undefined ? '' : ' (terminating)'}`)
    .sort();

const drain = (
  seconds: number,
  extra: Partial<Extract<IngestEvent, { type: 'NodeDrainRequested' }>> = {},
): IngestEvent => ({
  type: 'NodeDrainRequested',
  name: 'i-1',
  keep: false,
  observedAt: at(seconds),
  ...extra,
});

describe('the drain', () => {
  it('deletes non-critical pods first, the critical one only once they are gone, then removes the node', async () => {
    const world = await aNodeWithPods();

    await applyIngestEvent(drain(1), world.deps);
    const first = await onNode(world.store);
    await world.passes();
    await world.gone('logs');
    const oneLeft = await onNode(world.store);
    await world.gone('metrics');
    const critical = await onNode(world.store);
    await world.passes();
    await world.gone('cni');

    expect(first).toEqual(['cni', 'logs (terminating)', 'metrics (terminating)']);
    expect(oneLeft).toEqual(['cni', 'metrics (terminating)']);
    expect(critical).toEqual(['cni (terminating)']);
    expect(await world.store.getNode('i-1')).toBeUndefined();
    expect(await onNode(world.store)).toEqual([]);
  });

  it('moves on to the critical pods when a non-critical pod outlives its grace period', async () => {
    const world = await aNodeWithPods();
    await applyIngestEvent(drain(0), world.deps);
    await world.gone('logs');

    world.clock.seconds = 29;
    const early = await applyNodeLifecycle('i-1', world.deps);
    const during = await onNode(world.store);
    world.clock.seconds = 31;
    await applyNodeLifecycle('i-1', world.deps);

    expect(early.recheckAfterSeconds).toBe(1);
    expect(during).toEqual(['cni', 'metrics (terminating)']);
    expect(await onNode(world.store)).toEqual(['cni (terminating)', 'metrics (terminating)']);
  });

  it('with --keep leaves the node cordoned and empty, and no pass puts pods back', async () => {
    const world = await aNodeWithPods();
    await applyIngestEvent(drain(1, { keep: true }), world.deps);
    for (const name of ['logs', 'metrics', 'cni']) await world.gone(name);

    await world.passes();
    await applyIngestEvent(drain(2, { keep: true }), world.deps);

    const node = await world.store.getNode('i-1');
    expect(node?.unschedulable).toBe(true);
    expect(node?.drain).toMatchObject({ keep: true, completedAt: expect.any(String) });
    expect(await onNode(world.store)).toEqual([]);
  });

  it('removes the node at --timeout whatever is left', async () => {
    const world = await aNodeWithPods();
    await applyIngestEvent(drain(0, { timeoutSeconds: 10 }), world.deps);

    world.clock.seconds = 10;
    await applyNodeLifecycle('i-1', world.deps);

    expect(await world.store.getNode('i-1')).toBeUndefined();
  });

  it('drains a terminating instance, then completes its lifecycle action with CONTINUE exactly once', async () => {
    const world = await aNodeWithPods();
    const terminating: IngestEvent = {
      type: 'NodeTerminating',
      name: 'i-1',
      lifecycleAction: {
        transition: 'terminate',
        autoScalingGroupName: 'workers',
        lifecycleHookName: 'everynode-terminate',
        lifecycleActionToken: 'token-t',
        receivedAt: at(1),
      },
      observedAt: at(1),
    };

    await applyIngestEvent(terminating, world.deps);
    await applyIngestEvent(terminating, world.deps);
    const whileDraining = world.lifecycle.calls().length;
    for (const name of ['logs', 'metrics', 'cni']) await world.gone(name);
    await applyIngestEvent(terminating, world.deps);

    expect(whileDraining).toBe(0);
    expect(await world.store.getNode('i-1')).toBeUndefined();
    expect(world.lifecycle.completions()).toEqual([
      expect.objectContaining({ result: 'CONTINUE', lifecycleActionToken: 'token-t', instanceId: 'i-1' }),
    ]);
  });

  it('a redelivered drain does not restart its clock', async () => {
    const world = await aNodeWithPods();
    await applyIngestEvent(drain(0, { timeoutSeconds: 10 }), world.deps);
    world.clock.seconds = 8;

    await applyIngestEvent(drain(8, { timeoutSeconds: 10 }), world.deps);

    expect((await world.store.getNode('i-1'))?.drain?.requestedAt).toBe(at(0));
  });
});
