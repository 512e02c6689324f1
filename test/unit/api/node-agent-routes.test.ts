import { describe, expect, it } from 'vitest';
import { checkNodeLiveness } from '../../../functions/check-node-liveness.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { parseIngestMessage } from '../../../lib/messages/parse-ingest-message.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';
import { anApi, REQUEST_TIME } from './api-harness.js';

// What a real node agent adds to the API: heartbeats, and status reports with restarts and a reason.

const EARLIER = '2026-01-01T11:00:00.000Z';
const OBSERVED_AT = new Date(REQUEST_TIME).toISOString();

describe('PUT /v1/nodes/{name}/heartbeat', () => {
  it('renews the heartbeat of a known node at the request time, without writing the node', async () => {
    const { request, store, heartbeats, ingest } = anApi();
    await store.putNode(aNode('worker-1').build(), EARLIER);

    const reply = await request('PUT', '/v1/nodes/worker-1/heartbeat');

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ kind: 'NodeHeartbeat', nodeName: 'worker-1', renewTime: OBSERVED_AT });
    expect(await heartbeats.list()).toEqual([{ nodeName: 'worker-1', renewTime: OBSERVED_AT }]);
    expect(ingest.messages).toEqual([]);
  });

  it('answers 404 for a node that does not exist (the agent registers it again)', async () => {
    const { request, heartbeats } = anApi();
    const reply = await request('PUT', '/v1/nodes/ghost/heartbeat');
    expect(reply.status).toBe(404);
    expect(reply.body['message']).toBe('nodes "ghost" not found');
    expect(await heartbeats.list()).toEqual([]);
  });
});

describe('checkNodeLiveness', () => {
  it('sends a node whose heartbeats stopped as a NodeUpdated fact, NotReady and tainted unreachable', async () => {
    const { store, heartbeats, ingest } = anApi();
    await store.putNode(aNode('worker-1').build(), EARLIER);
    await store.putNode(aNode('worker-2').build(), EARLIER);
    await heartbeats.renew('worker-1', new Date(REQUEST_TIME - 60_000).toISOString());
    await heartbeats.renew('worker-2', new Date(REQUEST_TIME - 10_000).toISOString());

    const changes = await checkNodeLiveness({ store, heartbeats, ingest, gracePeriodMs: 50_000 }, REQUEST_TIME);

    expect(changes.map(({ node, change }) => [node.name, change])).toEqual([['worker-1', 'unreachable']]);
    expect(ingest.messages).toHaveLength(1);
    // The fact is one the ingest pipeline takes as any node update.
    const fact = parseIngestMessage(JSON.stringify(ingest.messages[0]), {}, REQUEST_TIME);
    expect(fact.type).toBe('NodeUpdated');
    if (fact.type !== 'NodeUpdated') return;
    expect(fact.observedAt).toBe(OBSERVED_AT);
    expect(fact.node.taints.map((taint) => `${taint.key}:${taint.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    expect(fact.node.conditions.find((condition) => condition.type === 'Ready')?.status).toBe('Unknown');
  });
});

describe('status reports with restarts and a reason', () => {
  const aPod = async () => {
    const api = anApi();
    await api.store.putNode(aNode('worker-1').build(), EARLIER);
    const result = toDaemonSet(fixtureObject('fluentd.yaml'));
    if (!result.ok) throw new Error('fixture manifest is invalid');
    await api.store.applyDaemonSet(result.value, EARLIER);
    await reconcile('kube-system/fluentd-logger', { store: api.store, now: () => REQUEST_TIME });
    const [pod] = await api.store.listPods('kube-system/fluentd-logger');
    if (pod === undefined) throw new Error('no pod');
    return { ...api, pod };
  };

  it('takes restartCount, reason and message and shows them on the pod once stored', async () => {
    const { request, ingest, store, pod } = await aPod();
    const report = {
      namespace: 'kube-system',
      daemonSet: 'fluentd-logger',
      podName: pod.name,
      revisionHash: pod.revisionHash,
      phase: 'Running',
      ready: false,
      restartCount: 3,
      reason: 'CrashLoopBackOff',
      message: 'back-off 40s restarting failed container=fluentd',
    };

    const reply = await request('POST', '/v1/nodes/worker-1/pods/status', { body: report });

    expect(reply.status).toBe(202);
    const [message] = ingest.messages;
    expect(message).toEqual({
      type: 'PodStatusReported',
      report: { ...report, nodeName: 'worker-1', observedAt: OBSERVED_AT },
    });
    if (message?.type !== 'PodStatusReported') return;
    await store.putPodStatus({
      ...report,
      nodeName: 'worker-1',
      phase: 'Running',
      observedAt: OBSERVED_AT,
    });
    const listed = await request('GET', '/v1/nodes/worker-1/pods');
    const [item] = listed.body['items'] as { status: Record<string, unknown> }[];
    expect(item?.status).toMatchObject({
      phase: 'Running',
      reason: 'CrashLoopBackOff',
      message: 'back-off 40s restarting failed container=fluentd',
      restartCount: 3,
    });
  });

  it('refuses a reason that is not one word, and a negative restart count', async () => {
    const { request, ingest, pod } = await aPod();
    const report = {
      namespace: 'kube-system',
      daemonSet: 'fluentd-logger',
      podName: pod.name,
      revisionHash: pod.revisionHash,
      phase: 'Running',
      ready: false,
    };
    const badReason = await request('POST', '/v1/nodes/worker-1/pods/status', {
      body: { ...report, reason: 'crash loop' },
    });
    const badCount = await request('POST', '/v1/nodes/worker-1/pods/status', { body: { ...report, restartCount: -1 } });
    expect(badReason.status).toBe(422);
    expect(badReason.body['message']).toContain('reason');
    expect(badCount.status).toBe(422);
    expect(badCount.body['message']).toContain('restartCount');
    expect(ingest.messages).toEqual([]);
  });
});
