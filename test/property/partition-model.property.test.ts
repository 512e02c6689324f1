import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { DaemonSetKey } from '../../lib/model/daemon-set.js';
import { PartitionModel } from '../../lib/store/dynamo/partition-model.js';
import { readPartition } from '../../lib/store/dynamo/read-partition.js';
import { isStepLogItem } from '../../lib/store/dynamo/step-log.js';
import {
  daemonSetPartition,
  type Item,
  isRemovedItem,
  itemKey,
  podItemKey,
  podStatusItemKey,
  revisionItemKey,
  sortKeyOf,
  toPodItem,
  toPodStatusItem,
  toRemovedItem,
  toRevisionItem,
} from '../../lib/store/dynamo/table.js';
import type { DesiredPod, PodStatusRecord } from '../../lib/store/plan/stored-records.js';

// A warm partition cache keeps its revisions and pods up to date item by item (`PartitionModel`); what it hands
// out must be what `readPartition` makes of the same live items, whatever changed in between and in what order.

const KEY: DaemonSetKey = 'kube-system/agent';
const NODES = ['node-a', 'node-b', 'node-c', 'node-d'];

/** One change to the partition's items, as a warm read or a store's own write applies it. */
type Change = Readonly<
  | { kind: 'pod'; pod: number; node: number; hash: string; terminating: boolean }
  | { kind: 'status'; pod: number; node: number; ready: boolean; gone: boolean }
  | { kind: 'revision'; revision: number }
  | { kind: 'removed' | 'absent'; of: 'pod' | 'status' | 'revision'; pod: number; node: number }
  | { kind: 'log'; seq: number }
  | { kind: 'read' }
>;

const arbChange = (pods: number): fc.Arbitrary<Change> => {
  const pod = fc.nat({ max: pods - 1 });
  const node = fc.nat({ max: NODES.length - 1 });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('pod' as const),
        pod,
        node,
        hash: fc.constantFrom('h1', 'h2'),
        terminating: fc.boolean(),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('status' as const),
        pod,
        node,
        ready: fc.boolean(),
        gone: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('revision' as const), revision: fc.nat({ max: 3 }) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constantFrom('removed' as const, 'absent' as const),
        of: fc.constantFrom('pod' as const, 'status' as const, 'revision' as const),
        pod,
        node,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('log' as const), seq: fc.nat({ max: 3 }) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'read' as const }) },
  );
};

/** Pod `p` lives on one node, so each name has one desired item; its status may be filed under any node. */
const podName = (pod: number) => `agent-${pod.toString().padStart(4, '0')}`;
const homeOf = (pod: number) => NODES[pod % NODES.length] as string;

let serial = 0;
/** A new number each time: every item written is a new object with content of its own. */
const next = (): number => {
  serial += 1;
  return serial;
};
const stamp = () => ({ seq: 1, writeId: `w${next()}` });

function itemOf(change: Change): readonly [string, Item | undefined] {
  switch (change.kind) {
    case 'pod': {
      const pod: DesiredPod = {
        name: podName(change.pod),
        nodeName: homeOf(change.pod),
        revisionHash: change.hash,
        labels: { app: 'agent', serial: String(next()) },
        creationTimestamp: '2026-12-04T19:00:00Z',
        ...(change.terminating ? { deletionTimestamp: '2026-12-04T19:01:00Z' } : {}),
      };
      const item = toPodItem(KEY, pod);
      return [sortKeyOf(item), item];
    }
    case 'status': {
      const status: PodStatusRecord = {
        nodeName: change.node % 3 === 0 ? (NODES[change.node] as string) : homeOf(change.pod),
        revisionHash: 'h1',
        phase: 'Running',
        ready: change.ready,
        observedAt: `2026-12-04T19:00:${String(next() % 60).padStart(2, '0')}Z`,
        gone: change.gone,
      };
      const item = toPodStatusItem(KEY, podName(change.pod), status);
      return [sortKeyOf(item), item];
    }
    case 'revision': {
      const item = toRevisionItem(KEY, {
        name: `agent-rev${change.revision}`,
        revision: change.revision + 1 + (next() % 2),
        hash: `h${change.revision}`,
        template: { metadata: { labels: {} }, spec: { containers: [] } },
      } as never);
      return [sortKeyOf(item), item];
    }
    case 'removed':
    case 'absent': {
      const key =
        change.of === 'pod'
          ? podItemKey(KEY, homeOf(change.pod), podName(change.pod))
          : change.of === 'status'
            ? podStatusItemKey(KEY, homeOf(change.pod), podName(change.pod))
            : revisionItemKey(KEY, `agent-rev${change.pod % 4}`);
      const sortKey = sortKeyOf(key);
      return [sortKey, change.kind === 'absent' ? undefined : toRemovedItem(key, stamp(), '2026-12-04T19:02:00Z', 1)];
    }
    case 'log': {
      const item = { ...itemKey(daemonSetPartition(KEY), `STEP#${change.seq}#w`), keys: '' };
      return [sortKeyOf(item), item];
    }
    case 'read':
      throw new Error('a read changes no item');
  }
}

const liveOf = (items: ReadonlyMap<string, Item>) =>
  [...items.values()].filter((item) => !isRemovedItem(item) && !isStepLogItem(item));

/** Applies the changes, comparing the model with a fresh parse at every read and at the end. */
function check(initial: readonly Change[], changes: readonly Change[]): void {
  const items = new Map<string, Item>();
  const changed = new Set<string>();
  const model = new PartitionModel(KEY);
  const apply = (change: Change) => {
    const [sortKey, item] = itemOf(change);
    if (item === undefined) items.delete(sortKey);
    else items.set(sortKey, item);
    changed.add(sortKey);
  };
  let last = model.update(items, changed);
  const read = () => {
    const hadChanges = changed.size > 0;
    const contents = model.update(items, changed);
    changed.clear();
    const fresh = readPartition(KEY, liveOf(items));
    expect(contents.pods).toEqual(fresh.pods);
    expect(contents.revisions).toEqual(fresh.revisions);
    if (!hadChanges) expect(contents).toBe(last);
    last = contents;
  };
  for (const change of initial) if (change.kind !== 'read') apply(change);
  read();
  for (const change of changes) {
    if (change.kind === 'read') read();
    else apply(change);
  }
  read();
}

describe('PartitionModel', () => {
  test.prop([fc.array(arbChange(12), { minLength: 10, maxLength: 80 })], { numRuns: 200 })(
    'equals readPartition over the live items after every read, a few changes at a time',
    (changes) => check([], changes),
  );

  test.prop(
    [fc.array(arbChange(400), { minLength: 300, maxLength: 600 }), fc.array(arbChange(400), { maxLength: 60 })],
    {
      numRuns: 30,
    },
  )('equals readPartition after a whole read of hundreds of items, then single changes', (initial, changes) =>
    check(initial, changes),
  );

  test.prop([fc.array(arbChange(12), { maxLength: 40 })])(
    'keeps an unchanged pod as the same object from one read to the next',
    (changes) => {
      const items = new Map<string, Item>();
      const model = new PartitionModel(KEY);
      const changed = new Set<string>();
      for (const change of changes) {
        if (change.kind === 'read') continue;
        const [sortKey, item] = itemOf(change);
        if (item === undefined) items.delete(sortKey);
        else items.set(sortKey, item);
        changed.add(sortKey);
      }
      const before = model.update(items, changed);
      const [first] = before.pods;
      if (first === undefined) return;
      // Another pod changes: the first one stays the same object.
      const other = itemOf({ kind: 'pod', pod: 11, node: 0, hash: 'h2', terminating: false });
      const touched = first.name === podName(11) ? new Set<string>() : new Set([other[0]]);
      if (touched.size > 0) items.set(other[0], other[1] as Item);
      const after = model.update(items, touched);
      expect(after.pods.find((pod) => pod.name === first.name)).toBe(first);
    },
  );
});
