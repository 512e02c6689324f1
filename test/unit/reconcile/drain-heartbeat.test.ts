import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AutoScalingLifecycleActions } from '../../../functions/shared/auto-scaling-lifecycle-actions.js';
import type { IngestEvent } from '../../../lib/messages/ingest-event.js';
import type { DaemonSet } from '../../../lib/model/daemon-set.js';
import type { LifecycleActions } from '../../../lib/ports/lifecycle-actions.js';
import { applyIngestEvent } from '../../../lib/reconcile/apply-ingest-event.js';
import { applyNodeLifecycle } from '../../../lib/reconcile/apply-node-lifecycle.js';
import type { StartupGateDeps } from '../../../lib/reconcile/apply-startup-gate.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { LocalLifecycleActions } from '../../../local/local-lifecycle-actions.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';

// A terminate hook waits for the drain; a drain that waits out a long terminationGracePeriodSeconds must keep the
// hook alive with RecordLifecycleActionHeartbeat before the hook's timeout, as the startup gate does for launches.

const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const INTERVAL = 600;
const autoScaling = mockClient(AutoScalingClient);

/** An ordinary DaemonSet whose pods take an hour to stop, and a startup-critical one. */
function slowToStop(): DaemonSet {
  const built = aDaemonSet('logs').build();
  return {
    ...built,
    template: { ...built.template, spec: { ...built.template.spec, terminationGracePeriodSeconds: 3600 } },
  };
}

const terminating: IngestEvent = {
  type: 'NodeTerminating',
  name: 'i-1',
  lifecycleAction: {
    transition: 'terminate',
    autoScalingGroupName: 'workers',
    lifecycleHookName: 'everynode-terminate',
    lifecycleActionToken: 'token-t',
    receivedAt: at(0),
  },
  observedAt: at(0),
};

/** The calls made through the port, as `[call, seconds since T0]`. */
type Calls = () => readonly (readonly [string, number])[];

const ports: Record<string, (now: () => number) => Readonly<{ port: LifecycleActions; calls: Calls }>> = {
  'the local port': (now) => {
    const local = new LocalLifecycleActions(now);
    return {
      port: local,
      calls: () => local.calls().map((call) => [call.call, (Date.parse(call.at) - T0) / 1000] as const),
    };
  },
  'the Auto Scaling adapter (aws-sdk-client-mock)': (now) => {
    const seen: (readonly [string, number])[] = [];
    autoScaling.on(RecordLifecycleActionHeartbeatCommand).callsFake(() => {
      seen.push(['RecordLifecycleActionHeartbeat', (now() - T0) / 1000]);
      return {};
    });
    autoScaling.on(CompleteLifecycleActionCommand).callsFake(() => {
      seen.push(['CompleteLifecycleAction', (now() - T0) / 1000]);
      return {};
    });
    return {
      port: new AutoScalingLifecycleActions(new AutoScalingClient({ region: 'eu-west-1' }), { sleep: async () => {} }),
      calls: () => seen,
    };
  },
};

beforeEach(() => {
  autoScaling.reset();
});

describe.each(Object.entries(ports))('a long terminate drain through %s', (name, makePort) => {
  async function aDrainingNode() {
    const clock = { seconds: 0 };
    const now = () => T0 + clock.seconds * 1000;
    const store = new InMemoryClusterStore({ now });
    const { port, calls } = makePort(now);
    const deps: StartupGateDeps = { store, now, lifecycleActions: port, heartbeatIntervalSeconds: INTERVAL };
    await store.applyDaemonSet(aDaemonSet('cni').inNamespace('kube-system').startupCritical().build(), at(0));
    await store.applyDaemonSet(slowToStop(), at(0));
    await store.putNode(aNode('i-1').build(), at(0));
    for (const key of ['kube-system/cni', 'default/logs']) await reconcile(key, { store, now });
    await applyIngestEvent(terminating, deps);
    return { clock, store, deps, calls };
  }

  it('sends a heartbeat every interval while it waits, never twice for one, and asks to be looked at in time', async () => {
    const world = await aDrainingNode();
    world.clock.seconds = 590;
    const before = await applyNodeLifecycle('i-1', world.deps);

    world.clock.seconds = 600;
    await applyNodeLifecycle('i-1', world.deps);
    await applyNodeLifecycle('i-1', world.deps);
    const after = await applyNodeLifecycle('i-1', world.deps);
    world.clock.seconds = 1210;
    await applyNodeLifecycle('i-1', world.deps);

    expect(before.recheckAfterSeconds).toBe(10);
    expect(after.recheckAfterSeconds).toBe(INTERVAL);
    expect(world.calls()).toEqual([
      ['RecordLifecycleActionHeartbeat', 600],
      ['RecordLifecycleActionHeartbeat', 1210],
    ]);
    expect((await world.store.getNode('i-1'))?.lifecycleAction).toMatchObject({ heartbeatAt: at(1210) });
    expect(autoScaling.commandCalls(RecordLifecycleActionHeartbeatCommand).map((call) => call.args[0].input)).toEqual(
      name.includes('aws-sdk')
        ? [0, 1].map(() => ({
            AutoScalingGroupName: 'workers',
            LifecycleHookName: 'everynode-terminate',
            LifecycleActionToken: 'token-t',
            InstanceId: 'i-1',
          }))
        : [],
    );
  });

  it('completes with CONTINUE once the pods outlived their grace, and sends no heartbeat after', async () => {
    const world = await aDrainingNode();
    world.clock.seconds = 600;
    await applyNodeLifecycle('i-1', world.deps);
    world.clock.seconds = 3600;
    await applyNodeLifecycle('i-1', world.deps); // logs' grace ends: the critical wave starts
    world.clock.seconds = 3630;
    await applyNodeLifecycle('i-1', world.deps); // cni's 30 s grace ends: the drain finishes
    world.clock.seconds = 4300;
    await applyNodeLifecycle('i-1', world.deps);

    expect(world.calls()).toEqual([
      ['RecordLifecycleActionHeartbeat', 600],
      ['RecordLifecycleActionHeartbeat', 3600],
      ['CompleteLifecycleAction', 3630],
    ]);
    expect(await world.store.getNode('i-1')).toBeUndefined();
  });
});
