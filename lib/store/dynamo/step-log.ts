import { gunzipSync, gzipSync } from 'node:zlib';
import { dynamoItemBytes } from './item-size.js';
import {
  type Item,
  itemKey,
  type LoggedStamp,
  partitionOf,
  sortKeyOf,
  stampAttributes,
  TTL,
  WRITE_ID,
  type WriteStamp,
} from './table.js';

// A step chunk's log: one item, written in the chunk's own transaction, that lists the sort keys the chunk wrote.
// The chunk's items then carry its write id and no `seq`, so they have no `bySeq` entry of their own: a warm
// reader finds the log through `bySeq` and fetches the listed items it has not seen (`caches.ts`). The log
// commits with its items or not at all, so no item of a logged chunk is ever written without a log naming it.
// Each `bySeq` entry costs one write unit, so a chunk is logged only when its log costs fewer units than the
// entries it replaces (`logPays`): a rollout's or an apply's chunk of many pods, never the node path's one pod.

/** Step logs sort after every other item of a DaemonSet partition, so a whole read of the rest leaves them out. */
export const STEP_LOG_PREFIX = 'STEP#';

/** The attribute that lists the sort keys a logged chunk wrote, one per line. */
const LOGGED_KEYS = 'keys';
/** The same list gzipped (a binary attribute), in its place when that is smaller: sort keys repeat their prefixes. */
const LOGGED_KEYS_GZIP = 'keysGzip';

export const isStepLogItem = (item: Item): boolean => sortKeyOf(item).startsWith(STEP_LOG_PREFIX);

/** What the items of a logged chunk carry: the log's write id, no `seq`. */
export const loggedStamp = (stamp: WriteStamp): LoggedStamp => ({ writeId: stamp.writeId });

/**
 * The log of a chunk stamped `stamp` that wrote `sortKeys` in `partition`: stamped itself (so `bySeq` orders it),
 * expiring at `expiresAt`, long after any warm reader has read the partition whole again.
 */
export function toStepLogItem(
  partition: string,
  stamp: WriteStamp,
  sortKeys: readonly string[],
  expiresAt: number,
): Item {
  const text = sortKeys.join('\n');
  const compressed = gzipSync(text);
  return {
    ...itemKey(partition, `${STEP_LOG_PREFIX}${stamp.seq}#${stamp.writeId}`),
    ...stampAttributes(stamp),
    ...(compressed.byteLength < Buffer.byteLength(text, 'utf8')
      ? { [LOGGED_KEYS_GZIP]: compressed }
      : { [LOGGED_KEYS]: text }),
    [TTL]: expiresAt,
  };
}

/** The items a log names, as `bySeq` entries would: keys and the write id they were written with. */
export function loggedEntries(log: Item): readonly Item[] {
  const compressed = log[LOGGED_KEYS_GZIP];
  const keys = compressed instanceof Uint8Array ? gunzipSync(compressed).toString('utf8') : log[LOGGED_KEYS];
  if (typeof keys !== 'string' || keys === '') return [];
  const partition = partitionOf(log);
  return keys.split('\n').map((sortKey) => ({ ...itemKey(partition, sortKey), [WRITE_ID]: log[WRITE_ID] }));
}

/**
 * Whether logging `count` items costs fewer write units than their `bySeq` entries (one each): the log is put
 * inside the chunk's transaction (twice its started kilobytes) and has its own entry (one).
 */
export function logPays(log: Item, count: number): boolean {
  return 2 * Math.ceil(dynamoItemBytes(log) / 1024) + 1 < count;
}
