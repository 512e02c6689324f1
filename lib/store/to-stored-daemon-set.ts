import type { StoredDaemonSet } from '../ports/cluster-store.js';
import type { DaemonSetRecord } from './stored-records.js';

/** A DaemonSet record as `getDaemonSet` returns it; undefined unless it is live. */
export function toStoredDaemonSet(record: DaemonSetRecord | undefined): StoredDaemonSet | undefined {
  if (record?.kind !== 'live') return undefined;
  const { daemonSet, version, status, memory } = record;
  return { daemonSet, version, ...(status === undefined ? {} : { status }), memory };
}
