import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../lib/model/node.js';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { CACHE_MAX_AGE_MS, PartitionCache } from '../../lib/store/dynamo/caches.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { toStoreSettings, DEFAULT_WRITE_LAG_MS as WRITE_LAG_MS } from '../../lib/store/plan/store-options.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { localDynamo } from './local-dynamo.js';
import { aReport, aRevision, aStep, createPod, deletePod } from './store-contract-fixtures.js';

const { documentClient, newTable } = localDynamo('warm-caches');
const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const KEY = 'default/agent';

/** A table with one DaemonSet, and a clock per store (writers and the reader keep their own time). */
async function aTable(): Promise<
  ((clock: () => number, dynamo?: DynamoDBDocumentClient) => DynamoClusterStore) & { tableName: string }
> {
  const tableName = await newTable();
  const store = (clock: () => number, dynamo = documentClient) =>
    new DynamoClusterStore(dynamo, tableName, { now: clock });
  await store(() => T0).applyDaemonSet(aDaemonSet('agent').build(), at(0));
  return Object.assign(store, { tableName });
}

/** What the helpers below see of a request: its class name and input. */
type Sent = Readonly<{ constructor: { name: string }; input: Record<string, unknown> }>;

/** A document client that shows every request to `see` (which may hold it back) before sending it. */
function spying(see: (command: Sent) => void | Promise<void>): DynamoDBDocumentClient {
  return Object.assign(Object.create(documentClient), {
    send: async (command: Sent) => {
      await see(command);
      return documentClient.send(command as never);
    },
  }) as DynamoDBDocumentClient;
}

const valuesOf = (command: Sent) => command.input['ExpressionAttributeValues'] as Record<string, unknown> | undefined;

/** A base-table query of a whole partition (no index, no sort-key prefix). */
const isWholeQuery = (command: Sent) =>
  command.input['IndexName'] === undefined && valuesOf(command)?.[':prefix'] === undefined;

const names = (nodes: readonly Node[]) => nodes.map((node) => `${node.name}:${Object.keys(node.labels).length}`);

describe('the fleet a warm store reads', () => {
  it('is what a fresh strongly consistent read sees, after joins, updates and removals by other writers', async () => {
    const store = await aTable();
    let now = T0;
    const reader = store(() => now);
    const writer = store(() => now);
    for (let index = 0; index < 30; index += 1) await writer.putNode(aNode(`node-${index}`).build(), at(1));
    const first = await reader.loadSnapshot(KEY);

    now += 60_000;
    await writer.putNode(aNode('node-30').build(), at(2));
    await writer.putNode(aNode('node-3').labelled({ zone: 'b' }).build(), at(2));
    await writer.removeNode('node-7', at(2));
    const warm = await reader.loadSnapshot(KEY);
    const fresh = await store(() => now).loadSnapshot(KEY);

    expect(first?.nodes).toHaveLength(30);
    expect(names(warm?.nodes ?? [])).toEqual(names(fresh?.nodes ?? []));
    expect(warm?.nodes.map((node) => node.name)).toContain('node-30');
    expect(warm?.nodes.map((node) => node.name)).not.toContain('node-7');
  });

  it('sees a write that lands after its read although the writer stamped it before, within the lag', async () => {
    const store = await aTable();
    let now = T0 + 600_000;
    const reader = store(() => now);
    await store(() => now).putNode(aNode('node-a').build(), at(1));
    await reader.loadSnapshot(KEY);

    now += 1_000;
    await store(() => now - WRITE_LAG_MS / 2).putNode(aNode('node-late').build(), at(2));
    const warm = await reader.loadSnapshot(KEY);

    expect(warm?.nodes.map((node) => node.name)).toEqual(['node-a', 'node-late']);
  });

  it('reads only the nodes written since, not the fleet, once warm', async () => {
    const store = await aTable();
    let now = T0;
    const sent: string[] = [];
    const counting = store(() => now);
    const recording = spying((command) => {
      sent.push(`${command.constructor.name}:${String(command.input['IndexName'] ?? '')}`);
    });
    const reader = store(() => now, recording);
    for (let index = 0; index < 40; index += 1) await counting.putNode(aNode(`node-${index}`).build(), at(1));
    await reader.loadSnapshot(KEY);
    sent.length = 0;

    now += WRITE_LAG_MS + 60_000;
    await counting.putNode(aNode('node-40').build(), at(2));
    await reader.loadSnapshot(KEY);

    // 8 node shards and the DaemonSet's partition; one item read for the new node; the DaemonSet's two items.
    expect(sent.filter((line) => line === 'QueryCommand:bySeq')).toHaveLength(9);
    expect(sent.filter((line) => /^(Batch)?GetCommand/.test(line))).toEqual(['GetCommand:']);
    expect(sent.filter((line) => line === 'QueryCommand:')).toHaveLength(1);
  });
});

describe('the fleet read by DaemonSets loaded side by side', () => {
  const isNodeShardQuery = (command: Sent) =>
    command.constructor.name === 'QueryCommand' && String(valuesOf(command)?.[':pk']).startsWith('NODES#');

  it('gives a DaemonSet loaded while a fleet read is under way a read that began after it asked', async () => {
    const store = await aTable();
    let now = T0;
    const writer = store(() => now);
    await writer.applyDaemonSet(aDaemonSet('other').build(), at(1));
    await writer.putNode(aNode('node-a').build(), at(1));
    const gate: { held?: Promise<void> | undefined } = {};
    // The fleet's queries go out at once, and their answers are held back: a read under way saw the table as it was.
    const holding = Object.assign(Object.create(documentClient), {
      send: async (command: Sent) => {
        const answer: unknown = await documentClient.send(command as never);
        if (isNodeShardQuery(command)) await gate.held;
        return answer;
      },
    }) as DynamoDBDocumentClient;
    const reader = store(() => now, holding);
    await reader.loadSnapshot(KEY);
    now += 60_000;
    let release = () => {};
    gate.held = new Promise((resolve) => {
      release = resolve;
    });

    const first = reader.loadSnapshot(KEY);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writer.putNode(aNode('node-b').build(), at(2));
    const second = reader.loadSnapshot('default/other');
    await new Promise((resolve) => setTimeout(resolve, 100));
    gate.held = undefined;
    release();

    expect((await second)?.nodes.map((node) => node.name)).toEqual(['node-a', 'node-b']);
    expect((await first)?.nodes.map((node) => node.name)).toContain('node-a');
  });
});

/** What a snapshot says of the DaemonSet's partition, in a form `toEqual` compares whole. */
function partitionOf(snapshot: ClusterSnapshot | undefined) {
  return {
    version: snapshot?.version,
    revisions: snapshot?.revisions.map((revision) => `${revision.name}:${revision.revision}`),
    pods: snapshot?.pods,
    status: snapshot?.status,
  };
}

describe('the DaemonSet partition a warm store reads', () => {
  it('is what a fresh strongly consistent read sees, after steps, reports, removals and renumbering by other writers', async () => {
    const store = await aTable();
    let now = T0;
    const reader = store(() => now);
    const writer = store(() => now);
    const template = aDaemonSet('agent').build().template;
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    await writer.applyStep(
      KEY,
      aStep({
        revisions: [{ kind: 'createRevision', revision: aRevision('hash-1', 1, template) }],
        actions: ['a', 'b', 'c', 'd'].map((node) => createPod(`agent-${node}`, `node-${node}`)),
      }),
      await version(),
    );
    await writer.putPodStatus(aReport('agent-a', 'node-a', at(10)));
    await writer.putPodStatus(aReport('agent-b', 'node-b', at(10)));
    const first = await reader.loadSnapshot(KEY);

    now += 60_000;
    await writer.applyStep(
      KEY,
      aStep({
        revisions: [
          { kind: 'createRevision', revision: aRevision('hash-2', 2, template) },
          { kind: 'renumberRevision', name: 'agent-hash-1', revision: 3 },
        ],
        actions: [
          deletePod('agent-a', 'node-a'),
          deletePod('agent-c', 'node-c', 'orphaned'),
          createPod('agent-e', 'node-e'),
        ],
      }),
      await version(),
    );
    await writer.putPodStatus(aReport('agent-a', 'node-a', at(20), { phase: 'Succeeded', gone: true }));
    await writer.putPodStatus(aReport('agent-b', 'node-b', at(20), { ready: false }));
    const warm = await reader.loadSnapshot(KEY);
    const fresh = await store(() => now).loadSnapshot(KEY);

    expect(first?.pods.map((pod) => pod.name)).toEqual(['agent-a', 'agent-b', 'agent-c', 'agent-d']);
    expect(partitionOf(warm)).toEqual(partitionOf(fresh));
    expect(warm?.pods.map((pod) => pod.name)).toEqual(['agent-b', 'agent-d', 'agent-e']);
    expect(warm?.pods.find((pod) => pod.name === 'agent-b')?.ready).toBe(false);
    expect(warm?.revisions.map((revision) => revision.revision)).toEqual([2, 3]);
  });

  it('creates a pod again over the removal marker of one with the same name', async () => {
    const store = await aTable();
    const now = T0;
    const writer = store(() => now);
    const reader = store(() => now);
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    await writer.applyStep(KEY, aStep({ actions: [createPod('agent-a', 'node-a')] }), await version());
    await reader.loadSnapshot(KEY);
    await writer.applyStep(KEY, aStep({ actions: [deletePod('agent-a', 'node-a', 'orphaned')] }), await version());
    expect((await reader.loadSnapshot(KEY))?.pods).toEqual([]);

    await writer.applyStep(KEY, aStep({ actions: [createPod('agent-a', 'node-a')] }), await version());

    expect((await reader.loadSnapshot(KEY))?.pods.map((pod) => pod.name)).toEqual(['agent-a']);
    expect((await store(() => now).listPodsOnNode('node-a')).map((pod) => pod.name)).toEqual(['agent-a']);
  });

  it('reads a DaemonSet removed and applied again afresh, not from what it kept of the old one', async () => {
    const store = await aTable();
    let now = T0;
    const writer = store(() => now);
    const reader = store(() => now);
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    await writer.applyStep(
      KEY,
      aStep({
        revisions: [{ kind: 'createRevision', revision: aRevision('hash-1', 1, aDaemonSet('agent').build().template) }],
      }),
      await version(),
    );
    expect((await reader.loadSnapshot(KEY))?.revisions).toHaveLength(1);
    await writer.deleteDaemonSet(KEY, at(5));
    await writer.applyStep(KEY, aStep(), await version());
    expect(await writer.getDaemonSet(KEY)).toBeUndefined();

    now += 60_000;
    await writer.applyDaemonSet(aDaemonSet('agent').build(), at(6));
    const warm = await reader.loadSnapshot(KEY);

    expect(warm?.revisions).toEqual([]);
    expect(partitionOf(warm)).toEqual(partitionOf(await store(() => now).loadSnapshot(KEY)));
  });

  it('reads only what was written since, not the partition, once warm', async () => {
    const store = await aTable();
    let now = T0;
    const sent: string[] = [];
    const writer = store(() => now);
    const recording = spying((command) => {
      const keys = (command.input['RequestItems'] as Record<string, { Keys?: unknown[] }> | undefined) ?? {};
      const count = Object.values(keys).reduce((total, request) => total + (request.Keys?.length ?? 0), 0);
      sent.push(`${command.constructor.name}:${String(command.input['IndexName'] ?? '')}:${count}`);
    });
    const reader = store(() => now, recording);
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    const nodes = Array.from({ length: 40 }, (_, index) => `node-${index}`);
    await writer.applyStep(
      KEY,
      aStep({ actions: nodes.map((node) => createPod(`agent-${node}`, node)) }),
      await version(),
    );
    await reader.loadSnapshot(KEY);
    sent.length = 0;

    now += WRITE_LAG_MS + 60_000;
    await writer.putPodStatus(aReport('agent-node-3', 'node-3', at(30)));
    const warm = await reader.loadSnapshot(KEY);

    expect(warm?.pods).toHaveLength(40);
    expect(warm?.pods.find((pod) => pod.name === 'agent-node-3')?.ready).toBe(true);
    // The status, and the log of the 40-pod step (its entry falls in the look-back of the whole read, which left
    // logs out): never the 40 pods, whose write ids the whole read holds.
    expect(sent.filter((line) => /^(Batch)?GetCommand/.test(line))).toEqual(['BatchGetCommand::2']);
    expect(sent.filter((line) => line === 'QueryCommand::0')).toHaveLength(1);

    // Once read, the log is known: the next read fetches only the new status.
    sent.length = 0;
    now += 60_000;
    await writer.putPodStatus(aReport('agent-node-5', 'node-5', at(40)));
    await reader.loadSnapshot(KEY);
    expect(sent.filter((line) => /^(Batch)?GetCommand/.test(line))).toEqual(['GetCommand::0']);
  });

  it('parses an unchanged partition once: passes share its pods until something in it is written', async () => {
    const store = await aTable();
    let now = T0;
    const writer = store(() => now);
    const reader = store(() => now);
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    const nodes = ['a', 'b', 'c', 'd', 'e'];
    const actions = nodes.map((node) => createPod(`agent-${node}`, `node-${node}`));
    await writer.applyStep(KEY, aStep({ actions }), await version());

    const first = await reader.loadSnapshot(KEY);
    now += 1_000;
    const second = await reader.loadSnapshot(KEY);
    await writer.putPodStatus(aReport('agent-a', 'node-a', at(2)));
    now += 1_000;
    const third = await reader.loadSnapshot(KEY);

    expect(second?.pods).toBe(first?.pods);
    expect(third?.pods).not.toBe(second?.pods);
    expect(third?.pods.find((pod) => pod.name === 'agent-a')?.ready).toBe(true);
    expect(third?.version).toBe(await version());
  });

  it('parses only the items that changed: every other pod is the very object the last read gave', async () => {
    const store = await aTable();
    let now = T0;
    const writer = store(() => now);
    const reader = store(() => now);
    await createPods(
      writer,
      ['a', 'b', 'c'].map((node) => [`agent-${node}`, `node-${node}`]),
    );

    const before = await reader.loadSnapshot(KEY);
    await writer.putPodStatus(aReport('agent-a', 'node-a', at(2)));
    now += 1_000;
    const after = await reader.loadSnapshot(KEY);
    const fresh = await store(() => now).loadSnapshot(KEY);

    const byName = (snapshot: ClusterSnapshot | undefined, name: string) =>
      snapshot?.pods.find((pod) => pod.name === name);
    expect(byName(after, 'agent-a')).not.toBe(byName(before, 'agent-a'));
    expect(byName(after, 'agent-a')?.ready).toBe(true);
    expect(byName(after, 'agent-b')).toBe(byName(before, 'agent-b'));
    expect(byName(after, 'agent-c')).toBe(byName(before, 'agent-c'));
    expect(partitionOf(after)).toEqual(partitionOf(fresh));
  });

  it('lists pods through the cache once warm, reading what changed, as a fresh read lists them', async () => {
    const store = await aTable();
    let now = T0;
    const writer = store(() => now);
    const sent: string[] = [];
    const lister = store(
      () => now,
      spying((command) => {
        const prefix = valuesOf(command)?.[':prefix'];
        sent.push(`${command.constructor.name}:${String(command.input['IndexName'] ?? prefix ?? 'whole')}`);
      }),
    );
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    await createPods(
      writer,
      Array.from({ length: 30 }, (_, index) => [`agent-node-${index}`, `node-${index}`]),
    );
    await lister.listPods(KEY);
    now += WRITE_LAG_MS + 60_000;
    sent.length = 0;

    await writer.putPodStatus(aReport('agent-node-3', 'node-3', at(30)));
    await writer.applyStep(KEY, aStep({ actions: [deletePod('agent-node-4', 'node-4')] }), await version());
    const listed = await lister.listPods(KEY);

    expect(listed).toEqual(await store(() => now).listPods(KEY));
    expect(listed.find((pod) => pod.name === 'agent-node-3')?.ready).toBe(true);
    expect(listed.find((pod) => pod.name === 'agent-node-4')?.deletionTimestamp).toBeDefined();
    // The record, what was written since, and the few items behind it: never the 30 pods again.
    expect(sent.filter((line) => line.startsWith('QueryCommand'))).toEqual([
      'QueryCommand:DAEMONSET',
      'QueryCommand:bySeq',
    ]);
  });

  it('lists the pods of a DaemonSet being deleted, its pods still going, as a fresh read lists them', async () => {
    const store = await aTable();
    const now = T0;
    const writer = store(() => now);
    const lister = store(() => now);
    await createPods(writer, [['agent-a', 'node-a']]);
    expect((await lister.listPods(KEY)).map((pod) => pod.name)).toEqual(['agent-a']);

    await writer.deleteDaemonSet(KEY, at(5));

    expect(await lister.listPods(KEY)).toEqual(await store(() => now).listPods(KEY));
  });

  it('reads one partition one read at a time: a second read waits for the first to end', async () => {
    const store = await aTable();
    const now = T0;
    const writer = store(() => now);
    await createPods(writer, [['agent-a', 'node-a']]);
    const sent: string[] = [];
    let hold: Promise<void> | undefined;
    let release = () => {};
    const reader = store(
      () => now,
      spying(async (command) => {
        sent.push(`${command.constructor.name}:${String(command.input['IndexName'] ?? '')}`);
        if (hold !== undefined && command.input['IndexName'] === 'bySeq') {
          const held = hold;
          hold = undefined;
          await held;
        }
      }),
    );
    await reader.loadSnapshot(KEY);
    hold = new Promise((resolve) => {
      release = resolve;
    });
    sent.length = 0;

    const first = reader.loadSnapshot(KEY);
    await waitUntil(() => sent.includes('QueryCommand:bySeq'));
    const second = reader.listPods(KEY);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sentWhileHeld = [...sent];
    release();
    const [snapshot, listed] = await Promise.all([first, second]);

    expect(sentWhileHeld).toEqual(['QueryCommand:', 'QueryCommand:bySeq']);
    expect(listed).toEqual(snapshot?.pods);
  });

  it('lets the next read of a partition go on when the read before it failed', async () => {
    const store = await aTable();
    const now = T0;
    const writer = store(() => now);
    await createPods(writer, [['agent-a', 'node-a']]);
    let failNext = false;
    const reader = store(
      () => now,
      spying(async (command) => {
        if (failNext && command.input['IndexName'] === 'bySeq') {
          failNext = false;
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('connection reset');
        }
      }),
    );
    await reader.listPods(KEY);
    failNext = true;

    const failing = reader.listPods(KEY);
    const next = reader.listPods(KEY);

    await expect(failing).rejects.toThrow('connection reset');
    expect((await next).map((pod) => pod.name)).toEqual(['agent-a']);
  });

  it('finds what a logged step of another writer wrote through its log, fetching only the items it names', async () => {
    const store = await aTable();
    let now = T0;
    const fetched: number[] = [];
    const writer = store(() => now);
    const reader = store(
      () => now,
      spying((command) => {
        const keys = (command.input['RequestItems'] as Record<string, { Keys?: unknown[] }> | undefined) ?? {};
        const count = Object.values(keys).reduce((total, request) => total + (request.Keys?.length ?? 0), 0);
        if (command.constructor.name === 'BatchGetCommand') fetched.push(count);
        if (command.constructor.name === 'GetCommand') fetched.push(1);
      }),
    );
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    const nodes = Array.from({ length: 40 }, (_, index) => `node-${index}`);
    await writer.applyStep(KEY, aStep({ actions: [createPod('agent-node-0', 'node-0')] }), await version());
    // A user's deletion stamps the pod for bySeq; the logged step below removes it, and its entry with it.
    await writer.deletePod(
      KEY,
      { name: 'agent-node-0', nodeName: 'node-0', creationTimestamp: at(0), gracePeriodSeconds: 30 },
      at(1),
    );
    await reader.loadSnapshot(KEY);
    now += WRITE_LAG_MS + 60_000;
    fetched.length = 0;

    await writer.applyStep(
      KEY,
      aStep({
        actions: [
          deletePod('agent-node-0', 'node-0', 'orphaned'),
          ...nodes.slice(1).map((node) => createPod(`agent-${node}`, node)),
        ],
      }),
      await version(),
    );
    const warm = await reader.loadSnapshot(KEY);
    const fresh = await store(() => now).loadSnapshot(KEY);

    expect(partitionOf(warm)).toEqual(partitionOf(fresh));
    expect(warm?.pods.map((pod) => pod.name)).not.toContain('agent-node-0');
    expect(warm?.pods).toHaveLength(39);
    // The log, then what it names: 39 pods and the removal markers of the pod and of its status.
    expect(fetched).toEqual([1, 41]);
  });

  it('does not read back the pods its own step created, and still sees what others wrote over them since', async () => {
    const store = await aTable();
    let now = T0;
    const fetched: number[] = [];
    const stepper = store(
      () => now,
      spying((command) => {
        const keys = (command.input['RequestItems'] as Record<string, { Keys?: unknown[] }> | undefined) ?? {};
        const count = Object.values(keys).reduce((total, request) => total + (request.Keys?.length ?? 0), 0);
        if (command.constructor.name === 'BatchGetCommand') fetched.push(count);
        if (command.constructor.name === 'GetCommand') fetched.push(1);
      }),
    );
    const other = store(() => now);
    const template = aDaemonSet('agent').build().template;
    const first = await stepper.loadSnapshot(KEY);
    const nodes = Array.from({ length: 30 }, (_, index) => `node-${index}`);
    await stepper.applyStep(
      KEY,
      aStep({
        revisions: [{ kind: 'createRevision', revision: aRevision('hash-1', 1, template) }],
        actions: nodes.map((node) => createPod(`agent-${node}`, node)),
      }),
      first?.version ?? 0,
    );
    fetched.length = 0;
    now += 1_000;
    const afterOwnStep = await stepper.loadSnapshot(KEY);
    const fetchedAfterOwnStep = [...fetched];

    await other.putPodStatus(aReport('agent-node-3', 'node-3', at(30)));
    const version = (await other.getDaemonSet(KEY))?.version ?? 0;
    await other.applyStep(KEY, aStep({ actions: [deletePod('agent-node-4', 'node-4')] }), version);
    now += 1_000;
    const warm = await stepper.loadSnapshot(KEY);
    const fresh = await store(() => now).loadSnapshot(KEY);

    expect(afterOwnStep?.pods).toHaveLength(30);
    expect(fetchedAfterOwnStep).toEqual([]);
    expect(partitionOf(warm)).toEqual(partitionOf(fresh));
    expect(warm?.pods.find((pod) => pod.name === 'agent-node-3')?.ready).toBe(true);
    expect(warm?.pods.find((pod) => pod.name === 'agent-node-4')?.deletionTimestamp).toBeDefined();
  });
});

/**
 * A reader whose next read of the DaemonSet's two `DAEMONSET` items waits until `before` ran: a step committed
 * by another writer just before the record is read, while the reader may already have asked for the rest.
 */
function withStepBeforeRecordRead(before: () => Promise<void>): DynamoDBDocumentClient {
  let armed = true;
  return spying(async (command) => {
    if (armed && valuesOf(command)?.[':prefix'] === 'DAEMONSET') {
      armed = false;
      await before();
    }
  });
}

describe('a snapshot read while a step commits', () => {
  it('never shows a version without the pods its steps created (warm partition)', async () => {
    const store = await aTable();
    const now = T0;
    const writer = store(() => now);
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    let arm = false;
    const client = withStepBeforeRecordRead(async () => {
      if (arm) await writer.applyStep(KEY, aStep({ actions: [createPod('agent-z', 'node-z')] }), await version());
    });
    const reader = store(() => now, client);
    await writer.putNode(aNode('node-z').build(), at(1));
    await reader.loadSnapshot(KEY);
    arm = true;

    const snapshot = await reader.loadSnapshot(KEY);

    expect(snapshot?.version).toBe(await version());
    expect(snapshot?.pods.map((pod) => pod.name)).toEqual(['agent-z']);
  });

  it('never shows a version without the pods its steps created (the node path)', async () => {
    const store = await aTable();
    const now = T0;
    const writer = store(() => now);
    const version = async () => (await writer.getDaemonSet(KEY))?.version ?? 0;
    const client = withStepBeforeRecordRead(async () => {
      await writer.applyStep(KEY, aStep({ actions: [createPod('agent-z', 'node-z')] }), await version());
    });

    const snapshot = await store(() => now, client).loadNodeSnapshot(KEY, 'node-z');

    expect(snapshot?.version).toBe(await version());
    expect(snapshot?.pods.map((pod) => pod.name)).toEqual(['agent-z']);
  });
});

describe('the partition cache bound', () => {
  it('drops the least recently read partition when over its item bound, and reads it whole again', async () => {
    const store = await aTable();
    const now = T0;
    const writer = store(() => now);
    await writer.applyDaemonSet(aDaemonSet('other').build(), at(0));
    for (const key of [KEY, 'default/other']) {
      const version = (await writer.getDaemonSet(key))?.version ?? 0;
      const pods = ['a', 'b', 'c'].map((node) => createPod(`${key.split('/')[1]}-${node}`, `node-${node}`));
      await writer.applyStep(key, aStep({ actions: pods }), version);
    }
    const sent: string[] = [];
    const recording = spying((command) => {
      sent.push(`${String(valuesOf(command)?.[':pk'])}:${isWholeQuery(command) ? 'whole' : 'part'}`);
    });
    const cache = new PartitionCache(
      { client: recording, tableName: store.tableName, settings: toStoreSettings({ now: () => now }) },
      4,
    );

    await cache.items(KEY);
    await cache.items(KEY);
    await cache.items('default/other');
    await cache.items(KEY);

    expect(sent.filter((line) => line.endsWith(':whole'))).toEqual([
      'DS#default/agent:whole',
      'DS#default/other:whole',
      'DS#default/agent:whole',
    ]);
    expect((await cache.items(KEY)).length).toBe(5);
  });

  it('reads a partition whole again once its last whole read is older than the cache may be', async () => {
    const store = await aTable();
    let now = T0;
    const sent: string[] = [];
    const recording = spying((command) => {
      if (isWholeQuery(command)) sent.push('whole');
    });
    const cache = new PartitionCache({
      client: recording,
      tableName: store.tableName,
      settings: toStoreSettings({ now: () => now }),
    });

    await cache.items(KEY);
    now += CACHE_MAX_AGE_MS;
    await cache.items(KEY);
    now += 1;
    await cache.items(KEY);

    expect(sent).toEqual(['whole', 'whole']);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** One step of `writer`, at the DaemonSet's version as it stands, creating each pod (its name, its node). */
async function createPods(writer: DynamoClusterStore, pods: readonly (readonly [string, string])[]): Promise<void> {
  const version = (await writer.getDaemonSet(KEY))?.version ?? 0;
  await writer.applyStep(KEY, aStep({ actions: pods.map(([name, node]) => createPod(name, node)) }), version);
}
