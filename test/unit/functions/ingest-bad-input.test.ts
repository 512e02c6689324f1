import { describe, expect, it } from 'vitest';
import { makeIngestHandler } from '../../../functions/ingest-handler.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import {
  aDaemonSetWithManyTolerations,
  aDeepDaemonSetBody,
  aNodeBodyWithHugeQuantities,
  BAD_NAMES,
} from '../../fixtures/events/bad-inputs.js';
import { aDaemonSetManifest, aNodeManifest } from '../../fixtures/events/manifests.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { RecordingWorkQueue } from '../../fixtures/events/recording-work-queue.js';
import { anSqsEvent, anSqsRecord, SENT_AT } from '../../fixtures/events/sqs-records.js';

/** The receiver's clock. */
const NOW = SENT_AT + 60_000;
const FAR_FUTURE = '9999-12-31T00:00:00Z';

const report = (overrides: Record<string, unknown> = {}) => ({
  type: 'PodStatusReported',
  report: {
    namespace: 'default',
    daemonSet: 'agent',
    podName: 'agent-node-a-1',
    nodeName: 'node-a',
    revisionHash: '6d4cf56db6',
    phase: 'Running',
    ready: true,
    observedAt: new Date(SENT_AT).toISOString(),
    ...overrides,
  },
});

/** An AWS IoT lifecycle event, as the IoT rule puts it on the ingest queue. */
const presence = (eventType: 'connected' | 'disconnected') => ({
  clientId: 'node-a',
  timestamp: SENT_AT,
  eventType,
  sessionIdentifier: '00000000-0000-0000-0000-000000000000',
  versionNumber: 3,
  ...(eventType === 'disconnected' ? { clientInitiatedDisconnect: false, disconnectReason: 'CONNECTION_LOST' } : {}),
});

const withMetadata = (manifest: Record<string, unknown>, metadata: unknown) => ({ ...manifest, metadata });

/** Each body, and a piece of the reason its rejection must give (the field path and what is wrong). */
const BAD_BODIES: readonly (readonly [label: string, body: unknown, reason: string | RegExp])[] = [
  [
    'a DaemonSet nested 5,000 levels deep',
    `{"type":"DaemonSetApplied","manifest":${aDeepDaemonSetBody(5000)}}`,
    /^manifest\.spec\.template\.spec\.x-deep(\[0\])+: Invalid value: nested more than 100 levels deep \(the limit is 100\)$/,
  ],
  [
    'a DaemonSet whose item would be over 400 KB',
    { type: 'DaemonSetApplied', manifest: aDaemonSetWithManyTolerations() },
    /^DaemonSet\.apps "default\/tolerant" is too large to store: it makes a \d+-byte DynamoDB item, more than the 409600 bytes \(400 KB\) DynamoDB allows$/,
  ],
  [
    'a node whose 1e20 quantities make its item over 400 KB',
    `{"type":"NodeJoined","node":${aNodeBodyWithHugeQuantities('node-q')}}`,
    /^Node "node-q" is too large to store: it makes a \d+-byte DynamoDB item/,
  ],
  [
    'a NodeRemoved from the far future',
    { type: 'NodeRemoved', name: 'node-a', observedAt: FAR_FUTURE },
    'observedAt: Invalid value: "9999-12-31T00:00:00.000Z": must not be more than 300 seconds ahead',
  ],
  [
    'a pod report from the far future',
    report({ observedAt: FAR_FUTURE }),
    'report.observedAt: Invalid value: "9999-12-31T00:00:00.000Z"',
  ],
  [
    'a pod report ready since the far future',
    report({ readySince: FAR_FUTURE }),
    'report.readySince: Invalid value: "9999-12-31T00:00:00.000Z"',
  ],
  [
    'an EventBridge event from the far future',
    {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      time: FAR_FUTURE,
      detail: { 'instance-id': 'i-0abcd1111aaaa2222', state: 'running' },
    },
    'time: Invalid value: "9999-12-31T00:00:00.000Z"',
  ],
  ...BAD_NAMES.flatMap(([label, name]) => [
    [`a NodeRemoved whose name has ${label}`, { type: 'NodeRemoved', name }, 'name: Invalid value: '] as const,
    [
      `a DaemonSetDeleted whose name has ${label}`,
      { type: 'DaemonSetDeleted', namespace: 'default', name },
      'name: Invalid value: ',
    ] as const,
    [
      `a DaemonSetDeleted whose namespace has ${label}`,
      { type: 'DaemonSetDeleted', namespace: name, name: 'agent' },
      'namespace: Invalid value: ',
    ] as const,
    [
      `a pod report whose node name has ${label}`,
      report({ nodeName: name }),
      'report.nodeName: Invalid value: ',
    ] as const,
    [`a pod report whose pod name has ${label}`, report({ podName: name }), 'report.podName: Invalid value: '] as const,
    [
      `a rollout command whose name has ${label}`,
      { type: 'RolloutCommand', namespace: 'default', name, command: 'pause' },
      'name: Invalid value: ',
    ] as const,
    [
      `a node whose name has ${label}`,
      { type: 'NodeJoined', node: aNodeManifest(name) },
      'metadata.name: Invalid value: ',
    ] as const,
    [
      `a DaemonSet whose name has ${label}`,
      { type: 'DaemonSetApplied', manifest: aDaemonSetManifest(name) },
      'metadata.name: Invalid value: ',
    ] as const,
  ]),
  [
    'a pod report with a 200 KB revision hash',
    report({ revisionHash: 'a'.repeat(200_000) }),
    /^invalid PodStatusReported message: report\.revisionHash: Invalid value: "a{64}\.\.\.": must be no more than 63 characters$/,
  ],
  [
    'a restart with a revision',
    { type: 'RolloutCommand', namespace: 'default', name: 'agent', command: 'restart', toRevision: 3 },
    'toRevision: Forbidden: only undo takes a revision',
  ],
  [
    'a pause with a revision hash',
    { type: 'RolloutCommand', namespace: 'default', name: 'agent', command: 'pause', revisionHash: 'abc' },
    'revisionHash: Forbidden: only undo takes a revision',
  ],
  [
    'a node labelled __proto__',
    `{"type":"NodeJoined","node":${JSON.stringify(aNodeManifest('node-p')).replace('"labels":{', '"labels":{"__proto__":"x",')}}`,
    'metadata.labels: Invalid value: "__proto__"',
  ],
  [
    'a DaemonSet labelled __proto__',
    `{"type":"DaemonSetApplied","manifest":${JSON.stringify(aDaemonSetManifest('agent')).replace('"labels":{', '"labels":{"__proto__":"x",')}}`,
    'labels: Invalid value: "__proto__"',
  ],
  [
    'a node whose metadata is a string',
    { type: 'NodeJoined', node: withMetadata(aNodeManifest('node-m'), 'x') },
    'metadata: Invalid value: "x": must be an object',
  ],
  [
    'a DaemonSet whose metadata is a string',
    { type: 'DaemonSetApplied', manifest: withMetadata(aDaemonSetManifest('agent'), 'x') },
    'metadata: Invalid value: "x": must be an object',
  ],
  [
    'a node created at "not a date"',
    {
      type: 'NodeJoined',
      node: withMetadata(aNodeManifest('node-t'), { name: 'node-t', creationTimestamp: 'not a date' }),
    },
    'metadata.creationTimestamp: Invalid value: "not a date": must be an RFC 3339 time',
  ],
  [
    'an AWS IoT presence event whose client id is not a node name',
    { ...presence('disconnected'), clientId: 'Worker_1' },
    'invalid AWS IoT disconnected event: clientId: Invalid value: "Worker_1": a lowercase RFC 1123 subdomain',
  ],
  [
    'an AWS IoT presence event without its version number',
    { ...presence('connected'), versionNumber: undefined },
    'invalid AWS IoT connected event: versionNumber: Invalid input: expected number',
  ],
  [
    'an AWS IoT presence event from the far future',
    { ...presence('connected'), timestamp: Date.parse(FAR_FUTURE) },
    'timestamp: Invalid value: "9999-12-31T00:00:00.000Z": must not be more than 300 seconds ahead',
  ],
  [
    'a DaemonSet created at "not a date"',
    {
      type: 'DaemonSetApplied',
      manifest: withMetadata(aDaemonSetManifest('agent'), { name: 'agent', creationTimestamp: 'not a date' }),
    },
    'metadata.creationTimestamp: Invalid value: "not a date": must be an RFC 3339 time',
  ],
];

describe('the ingest function, given input that can never be stored', () => {
  it.each(BAD_BODIES)('records %s as a rejection and acknowledges it', async (_label, body, reason) => {
    const store = new InMemoryClusterStore({ now: () => NOW });
    const workQueue = new RecordingWorkQueue();
    const handler = makeIngestHandler({ store, workQueue, observability: aRecordingObservability(), now: () => NOW });
    const record = anSqsRecord(body);

    const response = await handler(anSqsEvent([record]));

    expect(response.batchItemFailures).toEqual([]);
    const rejections = await store.listRejections();
    expect(rejections).toHaveLength(1);
    expect(rejections[0]?.id).toBe(record.messageId);
    expect(rejections[0]?.reason).toMatch(typeof reason === 'string' ? escaped(reason) : reason);
    expect(rejections[0]?.reason.length).toBeLessThan(2_000);
    expect(await store.listNodes()).toEqual([]);
    expect(await store.listDaemonSets()).toEqual([]);
    expect(workQueue.enqueued).toEqual([]);
  });
});

const escaped = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
