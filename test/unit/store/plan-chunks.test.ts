import { describe, expect, it } from 'vitest';
import { EMPTY_CONTROLLER_MEMORY } from '../../../lib/model/controller-memory.js';
import { planChunks } from '../../../lib/store/plan-chunks.js';
import type { ItemWrite, StepWrites } from '../../../lib/store/plan-step-writes.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { STATUS } from './store-fixtures.js';

const update = { status: STATUS, memory: EMPTY_CONTROLLER_MEMORY };
const writes = (count: number): StepWrites => ({
  items: Array.from(
    { length: count },
    (_, index): ItemWrite => ({ kind: 'removePodStatus', podName: `pod-${index}`, nodeName: 'node-1' }),
  ),
  update,
  events: [],
});

describe('planChunks', () => {
  it('writes a step that fits one transaction at once, moving the version by one', () => {
    const chunks = planChunks(writes(99), 7);

    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.guard).toEqual({ kind: 'advance', expectedVersion: 7, nextVersion: 8, update });
  });

  it('moves the version on with every chunk and writes bookkeeping with the last', () => {
    const chunks = planChunks(writes(250), 7);

    expect(chunks.map((chunk) => chunk.items.length)).toEqual([99, 99, 52]);
    expect(chunks.map((chunk) => chunk.guard)).toEqual([
      { kind: 'advance', expectedVersion: 7, nextVersion: 8 },
      { kind: 'advance', expectedVersion: 8, nextVersion: 9 },
      { kind: 'advance', expectedVersion: 9, nextVersion: 10, update },
    ]);
  });

  it('keeps a slot for the spec item in every chunk of a step that reverts the template', () => {
    const revert = { ...writes(250), update: { ...update, daemonSet: aDaemonSet('agent').build() } };

    const chunks = planChunks(revert, 7);

    expect(chunks.map((chunk) => chunk.items.length)).toEqual([98, 98, 54]);
  });

  it('writes status alone as one chunk without items', () => {
    const chunks = planChunks(writes(0), 7);

    expect(chunks).toEqual([{ items: [], guard: { kind: 'advance', expectedVersion: 7, nextVersion: 8, update } }]);
  });
});
