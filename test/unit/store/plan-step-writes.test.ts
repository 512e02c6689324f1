import { describe, expect, it } from 'vitest';
import { planStepWrites } from '../../../lib/store/plan-step-writes.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aLiveRecord, aStep, STATUS } from './store-fixtures.js';

const context = { now: '2026-01-01T01:00:00.000Z', revisions: [], eventSeconds: 3600 };
const revision = {
  name: 'agent-hash-2',
  hash: 'hash-2',
  revision: 2,
  template: aDaemonSet('agent').withTemplateAnnotations({ a: 'b' }).build().template,
  creationTimestamp: '2026-01-01T00:00:00.000Z',
};

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
