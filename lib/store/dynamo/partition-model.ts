import { type ControllerRevision, type DaemonSetKey, fromDaemonSetKey } from '../../model/daemon-set.js';
import { byRevision, compareStrings } from '../../model/order.js';
import type { Pod } from '../../model/pod.js';
import type { DesiredPod, PodStatusRecord } from '../plan/stored-records.js';
import { merged, type PartitionContents, parsed, podPair } from './read-partition.js';
import { isStepLogItem } from './step-log.js';
import {
  fromPodItem,
  fromPodStatusItem,
  fromRevisionItem,
  type Item,
  isRemovedItem,
  POD_STATUS_SUFFIX,
  PODS_AND_STATUSES_PREFIX,
  podNameOfSortKey,
  REVISION_PREFIX,
} from './table.js';

/** More changes than this in one `update`, and to at least half the pods, re-sort them instead of moving each one. */
const BULK_CHANGES = 256;

/**
 * A warm `PartitionCache` entry's revisions and pods, kept up to date item by item: after k items of a partition
 * changed, `update` parses and merges those k and moves their pods in or out of the sorted list, instead of going
 * over every pod and status again as `readPartition` does. The result equals `readPartition` over the entry's
 * live items (checked by test/property/partition-model.property.test.ts); the object is the same from one
 * `update` to the next while nothing changed, and an unchanged pod is the same object in every result.
 *
 * Statuses pair with pods as in `readPartition`: by the status's node and the pod name in its sort key, against
 * the pod's node and name.
 */
export class PartitionModel {
  readonly #namespace: string;
  readonly #revisions = new Map<string, ControllerRevision>();
  readonly #desired = new Map<string, DesiredPod>();
  /** The sort key of the desired pod with each node and name. */
  readonly #desiredByPod = new Map<string, string>();
  readonly #statuses = new Map<string, PodStatusRecord>();
  /** The status filed under each node and pod name, with the sort key it came from. */
  readonly #statusByPod = new Map<string, Readonly<{ sortKey: string; status: PodStatusRecord }>>();
  /** Merged pods by their desired pod's sort key. */
  readonly #pods = new Map<string, Pod>();
  /** Desired pods' sort keys, by pod name, then sort key. */
  #order: string[] = [];
  /** The `update` under way rebuilds `#order` at its end. */
  #bulk = false;
  #contents: PartitionContents = { revisions: [], pods: [] };
  /** A pod came or went during the `update` under way. */
  #membershipMoved = false;

  constructor(key: DaemonSetKey) {
    this.#namespace = fromDaemonSetKey(key).namespace;
  }

  /**
   * Takes in the items at `changed` sort keys as `items` holds them now (absent, a removal marker or a step log:
   * nothing there), and returns the partition's contents.
   */
  update(items: ReadonlyMap<string, Item>, changed: ReadonlySet<string>): PartitionContents {
    const repair = new Set<string>();
    let revisionsMoved = false;
    this.#membershipMoved = false;
    // Changes to most of the partition (a whole read): sort once at the end rather than insert one by one.
    this.#bulk = changed.size > BULK_CHANGES && changed.size * 2 > this.#order.length;
    for (const sortKey of changed) {
      const found = items.get(sortKey);
      const item = found === undefined || isRemovedItem(found) || isStepLogItem(found) ? undefined : found;
      if (sortKey.startsWith(REVISION_PREFIX)) {
        revisionsMoved = this.#takeRevision(sortKey, item) || revisionsMoved;
      } else if (!sortKey.startsWith(PODS_AND_STATUSES_PREFIX)) {
        // Not a revision, pod or status: nothing readPartition would read either.
      } else if (sortKey.endsWith(POD_STATUS_SUFFIX)) {
        for (const pod of this.#takeStatus(sortKey, item)) repair.add(pod);
      } else {
        const pod = this.#takeDesired(sortKey, item);
        if (pod !== undefined) repair.add(pod);
      }
    }
    if (this.#bulk && this.#membershipMoved) {
      const named = [...this.#desired].map(([sortKey, pod]) => [pod.name, sortKey] as const);
      named.sort(([nameA, keyA], [nameB, keyB]) => inOrder(nameA, keyA, nameB, keyB));
      this.#order = named.map(([, sortKey]) => sortKey);
    }
    let podsMoved = this.#membershipMoved;
    for (const pod of repair) podsMoved = this.#merge(pod) || podsMoved;
    if (revisionsMoved || podsMoved) {
      this.#contents = {
        revisions: revisionsMoved ? [...this.#revisions.values()].sort(byRevision) : this.#contents.revisions,
        pods: podsMoved ? this.#order.map((sortKey) => this.#pods.get(sortKey) as Pod) : this.#contents.pods,
      };
    }
    return this.#contents;
  }

  #takeRevision(sortKey: string, item: Item | undefined): boolean {
    const before = this.#revisions.get(sortKey);
    const after = item === undefined ? undefined : parsed(item, fromRevisionItem);
    if (before === after) return false;
    if (after === undefined) this.#revisions.delete(sortKey);
    else this.#revisions.set(sortKey, after);
    return true;
  }

  /** Files a status (or its absence) and returns the node-and-name pairs whose pods may merge differently. */
  #takeStatus(sortKey: string, item: Item | undefined): readonly string[] {
    const before = this.#statuses.get(sortKey);
    const after = item === undefined ? undefined : parsed(item, fromPodStatusItem);
    if (before === after) return [];
    const name = podNameOfSortKey(sortKey);
    const touched: string[] = [];
    if (before !== undefined) {
      const pod = podPair(before.nodeName, name);
      if (this.#statusByPod.get(pod)?.sortKey === sortKey) this.#statusByPod.delete(pod);
      this.#statuses.delete(sortKey);
      touched.push(pod);
    }
    if (after !== undefined) {
      const pod = podPair(after.nodeName, name);
      this.#statusByPod.set(pod, { sortKey, status: after });
      this.#statuses.set(sortKey, after);
      touched.push(pod);
    }
    return touched;
  }

  /** Files a desired pod (or its absence) and returns its node-and-name pair, or undefined when nothing changed. */
  #takeDesired(sortKey: string, item: Item | undefined): string | undefined {
    const before = this.#desired.get(sortKey);
    const after = item === undefined ? undefined : parsed(item, fromPodItem);
    if (before === after) return undefined;
    this.#membershipMoved = true;
    if (before !== undefined) {
      const pod = podPair(before.nodeName, before.name);
      if (this.#desiredByPod.get(pod) === sortKey) this.#desiredByPod.delete(pod);
      if (!this.#bulk) this.#removeFromOrder(before.name, sortKey); // while `#desired` holds it: `#position` reads it
      this.#desired.delete(sortKey);
      this.#pods.delete(sortKey);
    }
    if (after !== undefined) {
      this.#desired.set(sortKey, after);
      this.#desiredByPod.set(podPair(after.nodeName, after.name), sortKey);
      if (!this.#bulk) this.#order.splice(this.#position(after.name, sortKey), 0, sortKey);
    }
    // One of the two is there: they differ.
    const pod = (after ?? before) as DesiredPod;
    return podPair(pod.nodeName, pod.name);
  }

  /** Merges the pod with this node and name, if any, with its status; true when that gave another pod. */
  #merge(pod: string): boolean {
    const sortKey = this.#desiredByPod.get(pod);
    const desired = sortKey === undefined ? undefined : this.#desired.get(sortKey);
    if (sortKey === undefined || desired === undefined) return false;
    const before = this.#pods.get(sortKey);
    const after = merged(this.#namespace, desired, this.#statusByPod.get(pod)?.status);
    this.#pods.set(sortKey, after);
    return before !== after;
  }

  #removeFromOrder(name: string, sortKey: string): void {
    const at = this.#position(name, sortKey);
    if (this.#order[at] === sortKey) this.#order.splice(at, 1);
  }

  /** Where a pod with this name and sort key sits (or would) in `#order`: by name, then sort key. */
  #position(name: string, sortKey: string): number {
    let low = 0;
    let high = this.#order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.#order[middle] as string;
      const otherName = (this.#desired.get(other) as DesiredPod).name;
      if (inOrder(otherName, other, name, sortKey) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The order of `#order`: by pod name, then sort key (`readPartition` sorts by name). */
function inOrder(nameA: string, sortKeyA: string, nameB: string, sortKeyB: string): number {
  return compareStrings(nameA, nameB) || compareStrings(sortKeyA, sortKeyB);
}
