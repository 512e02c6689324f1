import { describe, expect, it } from 'vitest';
import { EMPTY_CONTROLLER_MEMORY } from '../../../../lib/model/controller-memory.js';
import {
  BYTES_PER_CHUNK,
  type ItemWrite,
  itemWriteBytes,
  MAX_TRANSACTION_BYTES,
  planChunks,
  planStepWrites,
  type StepWrites,
} from '../../../../lib/store/plan/plan-step-writes.js';
import { aDaemonSet } from '../../../fixtures/builders/a-daemon-set.js';
import { aLiveRecord, aStep, STATUS } from '../store-fixtures.js';

const context = { now: '2026-01-01T01:00:00.000Z', revisions: [], eventSeconds: 3600 };
const revision = {
  name: 'agent-hash-2',
  hash: 'hash-2',
  revision: 2,
  template: aDaemonSet('agent').withTemplateAnnotations({ a: 'b' }).build().template,
  creationTimestamp: '2026-01-01T00:00:00.000Z',
};

const update = { status: STATUS, memory: EMPTY_CONTROLLER_MEMORY };
const stepWrites = (count: number): StepWrites => ({
  items: Array.from(
    { length: count },
    (_, index): ItemWrite => ({ kind: 'removePodStatus', podName: `pod-${index}`, nodeName: 'node-1' }),
  ),
  update,
  events: [],
});

describe('planStepWrites', () => {
  it('orders new revisions, pod actions, then revision cleanup, and groups the events apart', () => {
    const step = aStep({
      revisions: [
        { kind: 'deleteRevision', name: 'agent-hash-0' },
        { kind: 'createRevision', revision },
      ],
      actions: [{ kind: 'createPod', podName: 'agent-a', nodeName: 'node-a', revisionHash: 'hash-2' }],
      events: [{ type: 'Normal', reason: 'SuccessfulCreate', message: 'created', time: '2026-01-01T00:30:00.000Z' }],
    });

    const writes = planStepWrites(aLiveRecord(3), step, context);

    expect(writes?.items.map((item) => item.kind)).toEqual(['createRevision', 'createPod', 'deleteRevision']);
    expect(writes?.events).toEqual([
      {
        sortKey: '2026-01-01T00:30:00.000Z#000000000003#0000',
        events: step.events,
        expiresAt: Date.parse('2026-01-01T00:30:00.000Z') / 1000 + 3600,
      },
    ]);
  });

  it('writes one event record per step, split only when its events are very many', () => {
    const event = { type: 'Normal', reason: 'SuccessfulCreate', time: '2026-01-01T00:30:00.000Z' } as const;
    const events = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ ...event, message: `Created pod: agent-${index}` }));

    const few = planStepWrites(aLiveRecord(3), aStep({ events: events(250) }), context);
    const many = planStepWrites(aLiveRecord(3), aStep({ events: events(2000) }), context);

    expect(few?.events.map((record) => record.events.length)).toEqual([250]);
    expect(many?.events.length).toBeGreaterThan(1);
    expect(many?.events.flatMap((record) => record.events)).toEqual(events(2000));
    expect(new Set(many?.events.map((record) => record.sortKey)).size).toBe(many?.events.length);
  });

  it('labels a created pod with its revision template labels and hash, stamped with the store clock', () => {
    const step = aStep({
      actions: [{ kind: 'createPod', podName: 'agent-a', nodeName: 'node-a', revisionHash: 'hash-2' }],
    });

    const writes = planStepWrites(aLiveRecord(3), step, { ...context, revisions: [revision] });

    expect(writes?.items).toEqual([
      {
        kind: 'createPod',
        pod: {
          name: 'agent-a',
          nodeName: 'node-a',
          revisionHash: 'hash-2',
          labels: { app: 'agent', 'controller-revision-hash': 'hash-2' },
          creationTimestamp: context.now,
        },
      },
    ]);
  });

  it('changes nothing when the step only repeats the stored status and memory', () => {
    const writes = planStepWrites(aLiveRecord(3), aStep({ status: { ...STATUS } }), context);

    expect(writes).toBeUndefined();
  });

  it('refuses a step that touches one pod twice', () => {
    const step = aStep({
      actions: [
        { kind: 'createPod', podName: 'agent-a', nodeName: 'node-a', revisionHash: 'hash-1' },
        { kind: 'deletePod', podName: 'agent-a', nodeName: 'node-a', reason: 'duplicate' },
      ],
    });

    expect(() => planStepWrites(aLiveRecord(3), step, context)).toThrow(/pod#agent-a twice/);
  });
});

describe('planChunks', () => {
  it('writes a step that fits one transaction at once, moving the version by one', () => {
    const chunks = planChunks(stepWrites(98), 7);

    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.guard).toEqual({ kind: 'advance', expectedVersion: 7, nextVersion: 8, update });
  });

  it('moves the version on with every chunk and writes bookkeeping with the last', () => {
    const chunks = planChunks(stepWrites(250), 7);

    expect(chunks.map((chunk) => chunk.items.length)).toEqual([98, 98, 54]);
    expect(chunks.map((chunk) => chunk.guard)).toEqual([
      { kind: 'advance', expectedVersion: 7, nextVersion: 8 },
      { kind: 'advance', expectedVersion: 8, nextVersion: 9 },
      { kind: 'advance', expectedVersion: 9, nextVersion: 10, update },
    ]);
  });

  it('keeps a slot for the spec item in every chunk of a step that reverts the template', () => {
    const revert = { ...stepWrites(250), update: { ...update, daemonSet: aDaemonSet('agent').build() } };

    const chunks = planChunks(revert, 7);

    expect(chunks.map((chunk) => chunk.items.length)).toEqual([97, 97, 56]);
  });

  it('chunks by bytes as well: 120 pods carrying 54 KB of template labels each fit no single transaction', () => {
    const labels = Object.fromEntries(Array.from({ length: 900 }, (_, index) => [`label-${index}`, 'x'.repeat(50)]));
    const pods = Array.from(
      { length: 120 },
      (_, index): ItemWrite => ({
        kind: 'createPod',
        pod: {
          name: `agent-node-${index}`,
          nodeName: `node-${index}`,
          revisionHash: 'hash-1',
          labels,
          creationTimestamp: '2026-01-01T00:00:00.000Z',
        },
      }),
    );

    const chunks = planChunks({ items: pods, update, events: [] }, 7);

    const bytes = chunks.map((chunk) => chunk.items.reduce((sum, item) => sum + itemWriteBytes(item), 0));
    expect(itemWriteBytes(pods[0] as ItemWrite)).toBeGreaterThan(54_000);
    expect(chunks.flatMap((chunk) => chunk.items)).toEqual(pods);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(BYTES_PER_CHUNK);
    expect(BYTES_PER_CHUNK).toBeLessThan(MAX_TRANSACTION_BYTES - 2 * 400 * 1024);
    expect(chunks.map((chunk) => chunk.guard.nextVersion)).toEqual(chunks.map((_, index) => 8 + index));
  });

  it('writes status alone as one chunk without items', () => {
    const chunks = planChunks(stepWrites(0), 7);

    expect(chunks).toEqual([{ items: [], guard: { kind: 'advance', expectedVersion: 7, nextVersion: 8, update } }]);
  });
});
