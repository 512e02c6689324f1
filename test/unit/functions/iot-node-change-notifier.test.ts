import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IotNodeChangeNotifier } from '../../../functions/shared/iot-node-change-notifier.js';
import { METRIC } from '../../../functions/shared/observability.js';
import { withNodeChangeNotices } from '../../../functions/shared/with-node-change-notices.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { notifyPodChanges } from '../../../lib/store/notify-pod-changes.js';
import { observeStoreChanges } from '../../../lib/store/observe-store-changes.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { aStep, createPod } from '../../integration/store-contract-fixtures.js';

const T1 = '2026-01-01T00:00:01.000Z';
const T2 = '2026-01-01T00:00:02.000Z';
const iot = mockClient(IoTDataPlaneClient);

beforeEach(() => {
  iot.reset();
  iot.on(PublishCommand).resolves({});
});

/** An in-memory store that publishes through the IoT notifier, with one DaemonSet applied. */
async function aNotifyingStore(concurrency?: number) {
  const observability = aRecordingObservability();
  const inner = new InMemoryClusterStore();
  const notifier = new IotNodeChangeNotifier(new IoTDataPlaneClient({ region: 'eu-west-1' }), {
    observability,
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  const store = observeStoreChanges(inner, notifyPodChanges(notifier));
  await store.applyDaemonSet(aDaemonSet('agent').build(), T1);
  const version = (await inner.loadSnapshot('default/agent'))?.version ?? 0;
  return { store, inner, version, metrics: observability.metrics };
}

/** Each publish as `topic <- payload`, in the order sent. */
function published(): string[] {
  return iot.commandCalls(PublishCommand).map(({ args: [command] }) => {
    const { topic, payload, qos } = command.input;
    return `${topic} <- ${new TextDecoder().decode(payload as Uint8Array)} (QoS ${qos})`;
  });
}

describe('IotNodeChangeNotifier behind the store', () => {
  it('tells each node whose pods a step creates once, on its own topic', async () => {
    const { store, version } = await aNotifyingStore();

    await store.applyStep(
      'default/agent',
      aStep({
        actions: [createPod('agent-a', 'worker-1'), createPod('agent-b', 'worker-2'), createPod('agent-c', 'worker-1')],
      }),
      version,
    );

    expect(published().sort()).toEqual([
      'everynode/nodes/worker-1/changed <- {"node":"worker-1"} (QoS 1)',
      'everynode/nodes/worker-2/changed <- {"node":"worker-2"} (QoS 1)',
    ]);
  });

  it('publishes nothing for a write that changes no pods', async () => {
    const { store, version } = await aNotifyingStore();

    await store.putNode(aNode('worker-1').build(), T2);
    await store.putNode(aNode('worker-1').build(), T2);
    await store.applyStep('default/agent', aStep(), version);

    expect(published()).toEqual([]);
  });

  it("tells a pod's node when a user deletes the pod", async () => {
    const { store, inner, version } = await aNotifyingStore();
    await inner.applyStep('default/agent', aStep({ actions: [createPod('agent-a', 'worker-3')] }), version);
    const [pod] = await inner.listPods('default/agent');

    await store.deletePod(
      'default/agent',
      { name: pod?.name ?? '', nodeName: 'worker-3', creationTimestamp: pod?.creationTimestamp ?? '' },
      T2,
    );

    expect(published()).toEqual(['everynode/nodes/worker-3/changed <- {"node":"worker-3"} (QoS 1)']);
  });

  it('stores the step when a publish fails, tells the other nodes, and counts the failure', async () => {
    iot.on(PublishCommand, { topic: 'everynode/nodes/worker-1/changed' }).rejects(new Error('throttled'));
    const { store, inner, version, metrics } = await aNotifyingStore();

    await store.applyStep(
      'default/agent',
      aStep({ actions: [createPod('agent-a', 'worker-1'), createPod('agent-b', 'worker-2')] }),
      version,
    );

    expect((await inner.listPods('default/agent')).map((pod) => pod.nodeName).sort()).toEqual(['worker-1', 'worker-2']);
    expect(iot.commandCalls(PublishCommand)).toHaveLength(2);
    expect(metrics.counts.get(METRIC.nodeNoticesFailed)).toBe(1);
    expect(metrics.counts.get(METRIC.nodeNoticesPublished)).toBe(1);
  });

  it('keeps at most `concurrency` publishes in flight and still tells every node', async () => {
    let inFlight = 0;
    let most = 0;
    iot.on(PublishCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return {};
    });
    const { store, version } = await aNotifyingStore(3);
    const nodes = Array.from({ length: 10 }, (_, index) => `worker-${index}`);

    await store.applyStep(
      'default/agent',
      aStep({ actions: nodes.map((node, index) => createPod(`agent-${index}`, node)) }),
      version,
    );

    expect(iot.commandCalls(PublishCommand)).toHaveLength(10);
    expect(most).toBe(3);
  });

  it('publishes nothing for a node name that cannot be a topic level, and counts it', async () => {
    const observability = aRecordingObservability();
    const notifier = new IotNodeChangeNotifier(new IoTDataPlaneClient({ region: 'eu-west-1' }), { observability });

    await notifier.podsChanged(['a/b', '+', '#', '']);

    expect(published()).toEqual([]);
    expect(observability.metrics.counts.get(METRIC.nodeNoticesFailed)).toBe(4);
  });
});

describe('withNodeChangeNotices', () => {
  it('leaves the store as it is when no IoT endpoint is configured', () => {
    const store = new InMemoryClusterStore();

    expect(withNodeChangeNotices(store, undefined, aRecordingObservability())).toBe(store);
  });

  it('publishes to the configured endpoint once one is', async () => {
    const inner = new InMemoryClusterStore();
    const store = withNodeChangeNotices(inner, 'abc123-ats.iot.eu-west-1.amazonaws.com', aRecordingObservability());
    await store.applyDaemonSet(aDaemonSet('agent').build(), T1);
    const version = (await inner.loadSnapshot('default/agent'))?.version ?? 0;

    await store.applyStep('default/agent', aStep({ actions: [createPod('agent-a', 'worker-1')] }), version);

    expect(published()).toEqual(['everynode/nodes/worker-1/changed <- {"node":"worker-1"} (QoS 1)']);
  });
});
