import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { IngestEvent } from '../../messages/ingest-event.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../model/controller-memory.js';
import { type DaemonSet, toDaemonSetKey } from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import { TerminalError } from '../../ports/errors.js';
import { MAX_ITEM_BYTES } from '../plan/plan-step-writes.js';
import { type Item, toDaemonSetSpecItem, toNodeItem, type WriteStamp } from './table.js';

/**
 * What the store adds to an object before writing it (generation, creation time, a larger version or fact
 * time than the estimate uses): bytes kept free below DynamoDB's limit so an object that passes the check
 * is never refused by DynamoDB.
 */
const STORE_ALLOWANCE_BYTES = 1024;

/** The largest stamp a write carries: a 13-digit epoch-ms `seq` and a 12-character `writeId`. */
const LARGEST_STAMP: WriteStamp = { seq: 9_999_999_999_999, writeId: 'x'.repeat(12) };

const LATEST_TIME = '9999-12-31T23:59:59.999Z';

/**
 * The size DynamoDB counts for an item (its documented rules): each attribute's name in UTF-8 plus its value;
 * strings in UTF-8, numbers about one byte per two significant digits plus one (21 at most), booleans and
 * nulls one byte, lists and maps 3 bytes plus one per element plus their elements (a map's names included).
 */
export function dynamoItemBytes(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) bytes += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: NativeAttributeValue): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return numberBytes(String(value));
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, entry) => sum + 1 + valueBytes(entry), 3);
  if (value instanceof Set) return [...value].reduce((sum: number, entry) => sum + valueBytes(entry), 0);
  return Object.entries(value as Record<string, NativeAttributeValue>).reduce(
    (sum, [name, entry]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueBytes(entry),
    3,
  );
}

function numberBytes(text: string): number {
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.min(21, Math.ceil(Math.max(1, digits.length) / 2) + 1);
}

/**
 * The bytes of the largest item storing this DaemonSet makes: its spec item, which holds the whole object as
 * JSON (the template's tolerations appear both in the template and in the placement spec; ControllerRevision
 * items hold only the template, so they are smaller), plus `STORE_ALLOWANCE_BYTES`.
 */
export function storedDaemonSetBytes(daemonSet: DaemonSet): number {
  const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
  const record = {
    kind: 'live',
    daemonSet,
    version: Number.MAX_SAFE_INTEGER,
    observedAt: LATEST_TIME,
    memory: EMPTY_CONTROLLER_MEMORY,
  } as const;
  return dynamoItemBytes(toDaemonSetSpecItem(key, record)) + STORE_ALLOWANCE_BYTES;
}

/**
 * The bytes of the item storing this node: the node as JSON, where a quantity such as `1e20` is written out
 * in full (`100000000000000000000`), plus `STORE_ALLOWANCE_BYTES`.
 */
export function storedNodeBytes(node: Node): number {
  return (
    dynamoItemBytes(toNodeItem(node.name, { node, observedAt: LATEST_TIME }, LARGEST_STAMP)) + STORE_ALLOWANCE_BYTES
  );
}

/** An object that cannot be stored: its item would be larger than DynamoDB allows. Retrying cannot help. */
export class ItemTooLargeError extends TerminalError {
  readonly bytes: number;

  constructor(what: string, bytes: number) {
    super(
      `${what} is too large to store: it makes a ${bytes}-byte DynamoDB item, more than the ${MAX_ITEM_BYTES} bytes (400 KB) DynamoDB allows`,
    );
    this.bytes = bytes;
  }
}

/**
 * Refuses a fact whose object would not fit in one DynamoDB item, before anything is written: DynamoDB
 * would refuse the write, and the message would be retried until it is dead-lettered.
 *
 * @throws ItemTooLargeError naming the object and both sizes.
 */
export function assertStorable(event: IngestEvent): void {
  if (event.type === 'DaemonSetApplied') {
    const bytes = storedDaemonSetBytes(event.daemonSet);
    const { namespace, name } = event.daemonSet;
    if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(`DaemonSet.apps "${namespace}/${name}"`, bytes);
  }
  if (event.type === 'NodeJoined' || event.type === 'NodeUpdated') {
    const bytes = storedNodeBytes(event.node);
    if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(`Node "${event.node.name}"`, bytes);
  }
}
