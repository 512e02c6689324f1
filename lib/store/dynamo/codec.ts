import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { ControllerRevision, DaemonSetKey } from '../../model/daemon-set.js';
import type { PodPhase } from '../../model/pod.js';
import type { DaemonSetEvent, Rejection } from '../../model/status.js';
import type { DesiredPod, EventRecord, NodeRecord, PodStatusRecord } from '../stored-records.js';
import {
  eventsPartition,
  itemKey,
  KIND_INDEX_PK,
  KIND_INDEX_SK,
  NODE_INDEX_PK,
  NODE_INDEX_SK,
  NODE_SEQ,
  nodeIndexPartition,
  nodeItemKey,
  PK,
  podIndexSort,
  podItemKey,
  podStatusItemKey,
  REJECTION_KIND,
  REJECTION_SK,
  rejectionPartition,
  revisionItemKey,
  SK,
  statusIndexSort,
  TTL,
} from './keys.js';

/**
 * Items as the document client reads and writes them. Nested model values (specs, templates, status,
 * memory) are kept as JSON text: DynamoDB maps do not keep key order, and the text round-trips exactly.
 */
export type Item = Record<string, NativeAttributeValue>;

/** A node (or its tombstone); `nodeSeq` is when it was written (epoch ms), for the bySeq index. */
export function toNodeItem(name: string, record: NodeRecord, nodeSeq: number): Item {
  return {
    ...nodeItemKey(name),
    [NODE_SEQ]: nodeSeq,
    observedAt: record.observedAt,
    ...(record.node === undefined ? {} : { node: JSON.stringify(record.node) }),
    ...(record.expiresAt === undefined ? {} : { [TTL]: record.expiresAt }),
  };
}

export function fromNodeItem(item: Item): NodeRecord {
  const node = item['node'];
  const expiresAt = item[TTL];
  return {
    observedAt: str(item, 'observedAt'),
    ...(typeof node === 'string' ? { node: JSON.parse(node) } : {}),
    ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
  };
}

export function toPodItem(key: DaemonSetKey, pod: DesiredPod): Item {
  return {
    ...podItemKey(key, pod.nodeName, pod.name),
    [NODE_INDEX_PK]: nodeIndexPartition(pod.nodeName),
    [NODE_INDEX_SK]: podIndexSort(key, pod.name),
    ...pod,
  };
}

export function fromPodItem(item: Item): DesiredPod {
  const deletionTimestamp = item['deletionTimestamp'];
  return {
    name: str(item, 'name'),
    nodeName: str(item, 'nodeName'),
    revisionHash: str(item, 'revisionHash'),
    labels: (item['labels'] ?? {}) as Record<string, string>,
    creationTimestamp: str(item, 'creationTimestamp'),
    ...(typeof deletionTimestamp === 'string' ? { deletionTimestamp } : {}),
  };
}

export function toPodStatusItem(key: DaemonSetKey, podName: string, status: PodStatusRecord): Item {
  const { expiresAt, ...rest } = status;
  return {
    ...podStatusItemKey(key, status.nodeName, podName),
    [NODE_INDEX_PK]: nodeIndexPartition(status.nodeName),
    [NODE_INDEX_SK]: statusIndexSort(key, podName),
    podName,
    ...rest,
    ...(expiresAt === undefined ? {} : { [TTL]: expiresAt }),
  };
}

export function fromPodStatusItem(item: Item): PodStatusRecord {
  const readySince = item['readySince'];
  const expiresAt = item[TTL];
  return {
    nodeName: str(item, 'nodeName'),
    revisionHash: str(item, 'revisionHash'),
    phase: str(item, 'phase') as PodPhase,
    ready: item['ready'] === true,
    ...(typeof readySince === 'string' ? { readySince } : {}),
    observedAt: str(item, 'observedAt'),
    gone: item['gone'] === true,
    ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
  };
}

/** The revision number is its own attribute so renumbering is a one-attribute update. */
export function toRevisionItem(key: DaemonSetKey, revision: ControllerRevision): Item {
  return { ...revisionItemKey(key, revision.name), revision: revision.revision, body: JSON.stringify(revision) };
}

export function fromRevisionItem(item: Item): ControllerRevision {
  return { ...json<ControllerRevision>(item, 'body'), revision: num(item, 'revision') };
}

/** One step's events as one item: `events` is the JSON list. */
export function toEventItem(key: DaemonSetKey, record: EventRecord): Item {
  return {
    ...itemKey(eventsPartition(key), record.sortKey),
    events: JSON.stringify(record.events),
    [TTL]: record.expiresAt,
  };
}

/** The events of an event item, in the order the step listed them. */
export function fromEventItem(item: Item): readonly DaemonSetEvent[] {
  return json(item, 'events');
}

export function toRejectionItem(rejection: Rejection, expiresAt: number): Item {
  return {
    ...itemKey(rejectionPartition(rejection.id), REJECTION_SK),
    [KIND_INDEX_PK]: REJECTION_KIND,
    [KIND_INDEX_SK]: `${rejection.time}#${rejection.id}`,
    rejection: JSON.stringify(rejection),
    [TTL]: expiresAt,
  };
}

export function fromRejectionItem(item: Item): Rejection {
  return json(item, 'rejection');
}

/** The sort key of an item, to tell apart what one partition query returned. */
export const sortKeyOf = (item: Item): string => str(item, SK);
export const partitionOf = (item: Item): string => str(item, PK);

/** The string attribute `name` of an item. @throws {Error} it is missing or not a string. */
export function str(item: Item, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw new Error(`item ${describe(item)} has no string ${name}`);
  return value;
}

/** The number attribute `name` of an item. @throws {Error} it is missing or not a number. */
export function num(item: Item, name: string): number {
  const value = item[name];
  if (typeof value !== 'number') throw new Error(`item ${describe(item)} has no number ${name}`);
  return value;
}

/** The JSON text attribute `name` of an item, parsed. */
export function json<T>(item: Item, name: string): T {
  return JSON.parse(str(item, name)) as T;
}

const describe = (item: Item): string => `${String(item[PK])} ${String(item[SK])}`;
