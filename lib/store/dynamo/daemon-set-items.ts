import type { DaemonSetKey } from '../../model/daemon-set.js';
import type { DaemonSetRecord, LiveDaemonSet } from '../stored-records.js';
import { type Item, json, num, str } from './codec.js';
import { DAEMON_SET_KIND, daemonSetItemKey, daemonSetStateItemKey, KIND_INDEX_PK, KIND_INDEX_SK, TTL } from './keys.js';

/**
 * A DaemonSet record as DynamoDB holds it, in two items of its partition:
 * - the **spec item** (`DAEMONSET`): `kind`, `observedAt`, the spec (`daemonSet`), the byKind index keys,
 *   and `version`, the record's version when the item was last written. Only spec changes (apply, delete,
 *   update, a reverted template) and removal write it; a tombstone is this item alone.
 * - the **state item** (`DAEMONSET#STATE`, live DaemonSets only): the current `version`, `status`, `memory`.
 *   Every reconcile step writes only this small item, conditioned on its version.
 *
 * `specVersion` is the spec item's `version`: it changes with every write of the spec but a bare fact-time
 * advance, so conditioning on it (and `observedAt`) detects any spec change since a read.
 */
export type DaemonSetItems = Readonly<{ record: DaemonSetRecord; specVersion: number }>;

/** The spec item of a record (a tombstone for a removed one); `version` is the version being written. */
export function toDaemonSetSpecItem(key: DaemonSetKey, record: DaemonSetRecord): Item {
  const common = {
    ...daemonSetItemKey(key),
    kind: record.kind,
    version: record.version,
    observedAt: record.observedAt,
  };
  if (record.kind === 'removed') return { ...common, [TTL]: record.expiresAt };
  return {
    ...common,
    [KIND_INDEX_PK]: DAEMON_SET_KIND,
    [KIND_INDEX_SK]: key,
    daemonSet: JSON.stringify(record.daemonSet),
  };
}

/** The state item of a live record. */
export function toDaemonSetStateItem(key: DaemonSetKey, record: LiveDaemonSet): Item {
  return {
    ...daemonSetStateItemKey(key),
    version: record.version,
    ...(record.status === undefined ? {} : { status: JSON.stringify(record.status) }),
    memory: JSON.stringify(record.memory),
  };
}

/**
 * The record from its two items. Undefined without a spec item.
 *
 * @throws {Error} a live spec item has no state item (the two are only ever written together).
 */
export function fromDaemonSetItems(spec: Item | undefined, state: Item | undefined): DaemonSetItems | undefined {
  if (spec === undefined) return undefined;
  const specVersion = num(spec, 'version');
  const observedAt = str(spec, 'observedAt');
  if (spec['kind'] === 'removed') {
    return { record: { kind: 'removed', version: specVersion, observedAt, expiresAt: num(spec, TTL) }, specVersion };
  }
  if (state === undefined) throw new Error(`DaemonSet item ${String(spec['pk'])} has no state item`);
  const status = state['status'];
  const record: LiveDaemonSet = {
    kind: 'live',
    daemonSet: json(spec, 'daemonSet'),
    version: num(state, 'version'),
    observedAt,
    ...(typeof status === 'string' ? { status: JSON.parse(status) } : {}),
    memory: json(state, 'memory'),
  };
  return { record, specVersion };
}
