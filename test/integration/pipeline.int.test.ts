import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { IngestMessage } from '../../lib/messages/ingest-message.js';
import type { Pod } from '../../lib/model/pod.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { createTable } from '../../lib/store/dynamo/table.js';
import { aDaemonSetManifest, aNodeManifest, type NodeManifestOptions } from '../fixtures/events/manifests.js';
import { SimulatedPipeline } from '../fixtures/events/simulated-pipeline.js';
import { SimulatedClock } from '../fixtures/events/simulated-queue.js';

const START = Date.UTC(2026, 5, 1);
const EVENTBRIDGE_SAMPLES = joinPath(import.meta.dirname, '../fixtures/events/eventbridge-extra');
const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: 'eu-west-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
let tableCount = 0;
let pipeline: SimulatedPipeline;

beforeAll(() => {
  tableCount = 0;
});

beforeEach(async () => {
  tableCount += 1;
  const tableName = `pipeline-${process.pid}-${tableCount}`;
  await createTable(client, tableName);
  const clock = new SimulatedClock(START);
  pipeline = new SimulatedPipeline(new DynamoClusterStore(documentClient, tableName, { now: clock.now }), clock);
});

afterAll(() => {
  client.destroy();
});

const join = (name: string, options: NodeManifestOptions = {}): IngestMessage => ({
  type: 'NodeJoined',
  node: aNodeManifest(name, options),
  observedAt: new Date(pipeline.clock.now()).toISOString(),
});
const update = (name: string, options: NodeManifestOptions): IngestMessage => ({
  type: 'NodeUpdated',
  node: aNodeManifest(name, options),
  observedAt: new Date(pipeline.clock.now()).toISOString(),
});
const apply = (name: string, options: Parameters<typeof aDaemonSetManifest>[1] = {}): IngestMessage => ({
  type: 'DaemonSetApplied',
  manifest: aDaemonSetManifest(name, options),
  observedAt: new Date(pipeline.clock.now()).toISOString(),
});

const live = (pods: readonly Pod[]) => pods.filter((pod) => pod.deletionTimestamp === undefined);
const nodesOf = async (key: string) =>
  live(await pipeline.store.listPods(key))
    .map((pod) => pod.nodeName)
    .sort();

describe('the serverless pipeline', () => {
  it('creates the pods of every matching daemon set when a node joins', async () => {
    pipeline.send(apply('logs'), apply('gpu-monitor', { nodeSelector: { gpu: 'true' } }), join('node-a'));
    await pipeline.drain({ agents: true });

    pipeline.clock.advance(1000);
    pipeline.send(join('node-b', { labels: { gpu: 'true' } }));
    await pipeline.drain({ agents: true });

    expect(await nodesOf('default/logs')).toEqual(['node-a', 'node-b']);
    expect(await nodesOf('default/gpu-monitor')).toEqual(['node-b']);
  });

  it('removes the pods of a node that leaves', async () => {
    pipeline.send(apply('logs'), join('node-a'), join('node-b'));
    await pipeline.drain({ agents: true });

    pipeline.clock.advance(1000);
    pipeline.send({ type: 'NodeRemoved', name: 'node-b', observedAt: new Date(pipeline.clock.now()).toISOString() });
    await pipeline.drain({ agents: true });

    expect(await nodesOf('default/logs')).toEqual(['node-a']);
  });

  it('evicts the pod from a node tainted NoExecute', async () => {
    pipeline.send(apply('logs'), join('node-a'), join('node-b'));
    await pipeline.drain({ agents: true });

    pipeline.clock.advance(1000);
    pipeline.send(update('node-b', { taints: [{ key: 'maintenance', effect: 'NoExecute' }] }));
    await pipeline.drain({ agents: true });

    expect(await nodesOf('default/logs')).toEqual(['node-a']);
  });

  it('keeps the pod on a node tainted NoSchedule', async () => {
    pipeline.send(apply('logs'), join('node-a'), join('node-b'));
    await pipeline.drain({ agents: true });

    pipeline.clock.advance(1000);
    pipeline.send(update('node-b', { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] }));
    await pipeline.drain({ agents: true });

    expect(await nodesOf('default/logs')).toEqual(['node-a', 'node-b']);
  });

  it('rolls a template change out as pods report, never exceeding maxUnavailable', async () => {
    const nodes = ['node-a', 'node-b', 'node-c', 'node-d', 'node-e'];
    pipeline.send(apply('logs', { maxUnavailable: 2 }), ...nodes.map((name) => join(name)));
    await pipeline.drain({ agents: true });
    const before = live(await pipeline.store.listPods('default/logs'));
    const unavailable: number[] = [];

    pipeline.clock.advance(1000);
    pipeline.send(apply('logs', { maxUnavailable: 2, image: 'registry.example/agent:2.0' }));
    await pipeline.drain({
      agents: true,
      afterEach: async () => {
        const available = live(await pipeline.store.listPods('default/logs')).filter((pod) => pod.ready);
        unavailable.push(nodes.filter((node) => !available.some((pod) => pod.nodeName === node)).length);
      },
    });

    const after = live(await pipeline.store.listPods('default/logs'));
    expect(after.map((pod) => pod.nodeName).sort()).toEqual(nodes);
    expect(after.every((pod) => pod.ready)).toBe(true);
    expect(new Set(after.map((pod) => pod.revisionHash)).size).toBe(1);
    expect(after[0]?.revisionHash).not.toBe(before[0]?.revisionHash);
    expect(Math.max(...unavailable)).toBe(2);
  });

  it('waits minReadySeconds through delayed re-checks before taking down the next node', async () => {
    const nodes = ['node-a', 'node-b', 'node-c'];
    pipeline.send(apply('logs', { minReadySeconds: 30 }), ...nodes.map((name) => join(name)));
    await pipeline.drain({ agents: true });
    const startedAt = pipeline.clock.now();

    pipeline.send(apply('logs', { minReadySeconds: 30, image: 'registry.example/agent:2.0' }));
    await pipeline.drain({ agents: true });

    const after = live(await pipeline.store.listPods('default/logs'));
    expect(new Set(after.map((pod) => pod.revisionHash)).size).toBe(1);
    expect(after.map((pod) => pod.nodeName).sort()).toEqual(nodes);
    expect(pipeline.clock.now() - startedAt).toBeGreaterThanOrEqual(3 * 30_000);
  });

  it('replaces a pod a user deletes, and a redelivered or duplicate deletion leaves the replacement alone', async () => {
    pipeline.send(apply('logs'), join('node-a'), join('node-b'));
    await pipeline.drain({ agents: true });
    const [victim] = (await pipeline.store.listPods('default/logs')).filter((pod) => pod.nodeName === 'node-a');
    if (victim === undefined) throw new Error('no pod on node-a');
    const deletion: IngestMessage = {
      type: 'PodDeleted',
      namespace: 'default',
      daemonSet: 'logs',
      podName: victim.name,
      nodeName: 'node-a',
      creationTimestamp: victim.creationTimestamp,
      observedAt: new Date(pipeline.clock.now()).toISOString(),
    };

    // Delivered twice at once (an SQS duplicate), then once more after the replacement is running.
    pipeline.send(deletion, deletion);
    await pipeline.drain({ agents: true });
    const replaced = live(await pipeline.store.listPods('default/logs')).filter((pod) => pod.nodeName === 'node-a');
    pipeline.clock.advance(60_000);
    pipeline.send(deletion);
    await pipeline.drain({ agents: true });

    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.name).not.toBe(victim.name);
    expect(replaced[0]).toMatchObject({ phase: 'Running', ready: true });
    expect(await pipeline.store.listPods('default/logs')).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: replaced[0]?.name, ready: true })]),
    );
    expect((await pipeline.store.listPods('default/logs')).map((pod) => pod.deletionTimestamp)).toEqual([
      undefined,
      undefined,
    ]);
    expect(await nodesOf('default/logs')).toEqual(['node-a', 'node-b']);
    expect(await pipeline.store.listRejections()).toEqual([]);
  });

  it('joins and removes an Auto Scaling instance from its EventBridge events', async () => {
    const launch = readFileSync(joinPath(EVENTBRIDGE_SAMPLES, 'asg-launch-successful.json'), 'utf8');
    const terminate = readFileSync(joinPath(EVENTBRIDGE_SAMPLES, 'asg-terminate-successful.json'), 'utf8');
    pipeline.send(
      apply('logs'),
      apply('eu-west-1b-only', { nodeSelector: { 'topology.kubernetes.io/zone': 'eu-west-1b' } }),
    );
    pipeline.send(launch);
    await pipeline.drain({ agents: true });
    const joined = [await nodesOf('default/logs'), await nodesOf('default/eu-west-1b-only')];

    pipeline.send(terminate);
    await pipeline.drain({ agents: true });

    expect(joined).toEqual([['i-0b188560f1a2b3c4d'], ['i-0b188560f1a2b3c4d']]);
    expect(await nodesOf('default/logs')).toEqual([]);
    expect(await pipeline.store.listNodes()).toEqual([]);
  });

  it('records a refused fact and still applies the good ones around it', async () => {
    const [, bad] = pipeline.send(apply('logs'), '{"type":"NodeJoined"}', join('node-a'));

    await pipeline.drain({ agents: true });

    expect(await nodesOf('default/logs')).toEqual(['node-a']);
    expect((await pipeline.store.listRejections()).map((rejection) => rejection.id)).toEqual([bad]);
  });
});
