import {
  type ControllerRevision,
  type DaemonSet,
  type DaemonSetKey,
  fromDaemonSetKey,
  type KeptOnApply,
  type RolloutSwitch,
  toDaemonSetKey,
} from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import { byRevision, compareStrings } from '../../model/order.js';
import type { Pod, PodDeletionRequest, PodStatusReport } from '../../model/pod.js';
import type { DaemonSetEvent, NodeEvent, Rejection } from '../../model/status.js';
import type { ClusterSnapshot, NodeSnapshot } from '../../ports/cluster-snapshot.js';
import type {
  ClusterStore,
  FactOutcome,
  NodeFact,
  PendingReconcile,
  StoredDaemonSet,
} from '../../ports/cluster-store.js';
import { DaemonSetNotFoundError, VersionConflictError } from '../../ports/errors.js';
import type { ReconcileStep } from '../../ports/reconcile-step.js';
import {
  planApplyDaemonSet,
  planDeleteDaemonSet,
  planNodeFact,
  planPodStatus,
  planRolloutSwitch,
  planUpdateDaemonSet,
  toFactTime,
  toNodeRecord,
} from '../plan/plan-fact.js';
import { planPodDeletion } from '../plan/plan-pod-deletion.js';
import { isRemovalStep, planChunks, planRemoval, planStepWrites } from '../plan/plan-step-writes.js';
import {
  type ClusterStoreOptions,
  MAX_EVENTS_PER_DAEMON_SET,
  MAX_WRITE_ATTEMPTS,
  type StoreSettings,
  toStoreSettings,
  type WriteOperation,
} from '../plan/store-options.js';
import { toStoredDaemonSet } from '../plan/stored-records.js';
import {
  commitChunk,
  commitEvents,
  groupOf,
  type InMemoryStoreState,
  type InMemoryTables,
  podsOf,
  podsOnNode,
  toState,
  toTables,
} from './in-memory-tables.js';

export type InMemoryClusterStoreOptions = ClusterStoreOptions & Readonly<{ state?: InMemoryStoreState }>;

/**
 * A `ClusterStore` in process memory, for unit tests, the offline CLI and the local control plane without
 * DynamoDB. It keeps the DynamoDB adapter's semantics (the same planners decide every write, under the same
 * conditions, chunk by chunk), and copies values in and out so callers cannot change what it holds.
 * The integration contract suite runs against both to keep them alike.
 *
 * @example
 * const store = new InMemoryClusterStore({ state: JSON.parse(saved) });
 * await store.putNode(node, new Date().toISOString());
 * saved = JSON.stringify(store.exportState());
 */
export class InMemoryClusterStore implements ClusterStore {
  readonly #tables: InMemoryTables;
  readonly #settings: StoreSettings;
  readonly #pending = new InMemoryPendingReconciles();

  constructor(options: InMemoryClusterStoreOptions = {}) {
    this.#tables = toTables(options.state);
    this.#settings = toStoreSettings(options);
  }

  /** Everything stored, as plain data (see `InMemoryStoreState`). */
  exportState(): InMemoryStoreState {
    return toState(this.#tables);
  }

  async putNode(node: Node, observedAt: string): Promise<FactOutcome> {
    await this.#beforeWrite('putNode', node.name);
    return this.#nodeFact(node.name, structuredClone(node), toFactTime(observedAt));
  }

  async replaceNode(node: Node, observedAt: string, expectedObservedAt: string): Promise<FactOutcome> {
    await this.#beforeWrite('putNode', node.name);
    const time = toFactTime(observedAt);
    const stored = this.#tables.nodes.get(node.name);
    if (stored?.node === undefined || stored.observedAt !== toFactTime(expectedObservedAt)) return 'stale';
    return this.#nodeFact(node.name, structuredClone(node), time);
  }

  async removeNode(name: string, observedAt: string): Promise<FactOutcome> {
    await this.#beforeWrite('removeNode', name);
    return this.#nodeFact(name, undefined, toFactTime(observedAt));
  }

  async applyDaemonSet(
    daemonSet: DaemonSet,
    observedAt: string,
    keeps: readonly KeptOnApply[] = [],
  ): Promise<{ outcome: FactOutcome; generation: number }> {
    const key = toDaemonSetKey(daemonSet.namespace, daemonSet.name);
    await this.#beforeWrite('applyDaemonSet', key);
    const plan = planApplyDaemonSet(
      this.#tables.daemonSets.get(key),
      structuredClone(daemonSet),
      toFactTime(observedAt),
      keeps,
    );
    this.#writeDaemonSet(key, plan);
    return { outcome: plan.outcome, generation: plan.generation };
  }

  async setRolloutSwitch(
    key: DaemonSetKey,
    name: RolloutSwitch,
    on: boolean,
    observedAt: string,
  ): Promise<FactOutcome> {
    await this.#beforeWrite('setRolloutSwitch', key);
    const plan = planRolloutSwitch(key, this.#tables.daemonSets.get(key), name, on, toFactTime(observedAt));
    this.#writeDaemonSet(key, plan);
    return plan.outcome;
  }

  async deleteDaemonSet(key: DaemonSetKey, observedAt: string): Promise<FactOutcome> {
    fromDaemonSetKey(key);
    await this.#beforeWrite('deleteDaemonSet', key);
    const time = toFactTime(observedAt);
    const plan = planDeleteDaemonSet(this.#tables.daemonSets.get(key), time, this.#settings.tombstoneSeconds);
    this.#writeDaemonSet(key, plan);
    return plan.outcome;
  }

  async updateDaemonSet(
    key: DaemonSetKey,
    change: (current: DaemonSet, revisions: readonly ControllerRevision[]) => DaemonSet,
    observedAt?: string,
  ): Promise<DaemonSet> {
    await this.#beforeWrite('updateDaemonSet', key);
    const time = observedAt === undefined ? undefined : toFactTime(observedAt);
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
      const read = this.#tables.daemonSets.get(key);
      if (read?.kind !== 'live') throw new DaemonSetNotFoundError(key);
      const changed = change(structuredClone(read.daemonSet), await this.listRevisions(key));
      const next = planUpdateDaemonSet(read, changed, time);
      if (next === undefined) return structuredClone(read.daemonSet);
      await this.#settings.hooks.beforeUpdateWrite?.(key, attempt);
      if (this.#tables.daemonSets.get(key) !== read) continue; // moved under us: decide again from fresh state
      this.#tables.daemonSets.set(key, structuredClone(next));
      return structuredClone(next.daemonSet);
    }
    throw new VersionConflictError(key);
  }

  async putPodStatus(report: PodStatusReport): Promise<FactOutcome> {
    const key = toDaemonSetKey(report.namespace, report.daemonSet);
    await this.#beforeWrite('putPodStatus', key);
    const pods = groupOf(this.#tables.pods, key);
    const statuses = groupOf(this.#tables.podStatuses, key);
    const normalised = { ...structuredClone(report), observedAt: toFactTime(report.observedAt) };
    const plan = planPodStatus(
      pods.get(report.podName),
      statuses.get(report.podName),
      normalised,
      this.#settings.orphanStatusSeconds,
    );
    if (plan.status !== undefined) statuses.set(report.podName, plan.status);
    if (plan.removeDesired) pods.delete(report.podName);
    return plan.outcome;
  }

  async deletePod(key: DaemonSetKey, request: PodDeletionRequest, observedAt: string): Promise<FactOutcome> {
    await this.#beforeWrite('deletePod', key);
    const pods = groupOf(this.#tables.pods, key);
    const plan = planPodDeletion(pods.get(request.name), request);
    const stored = pods.get(request.name);
    if (plan.write === 'remove') {
      pods.delete(request.name);
      groupOf(this.#tables.podStatuses, key).delete(request.name);
    } else if (plan.write === 'markDeleted' && stored !== undefined) {
      pods.set(request.name, { ...stored, deletionTimestamp: toFactTime(observedAt) });
    }
    return plan.outcome;
  }

  async recordRejection(rejection: Rejection): Promise<void> {
    await this.#beforeWrite('recordRejection', rejection.id);
    if (!this.#tables.rejections.has(rejection.id))
      this.#tables.rejections.set(rejection.id, structuredClone(rejection));
  }

  async recordNodeEvent(event: NodeEvent): Promise<void> {
    await this.#beforeWrite('recordNodeEvent', event.node);
    const id = `${event.node}#${event.time}#${event.reason}`;
    if (this.#tables.nodeEvents.has(id)) return;
    this.#tables.nodeEvents.set(id, structuredClone(event));
    // As DynamoDB's listing reads one page per node, keep the newest of each node (there, a TTL expires them).
    const ofNode = [...this.#tables.nodeEvents.keys()].filter((key) => key.startsWith(`${event.node}#`)).sort();
    for (const old of ofNode.slice(0, -MAX_EVENTS_PER_DAEMON_SET)) this.#tables.nodeEvents.delete(old);
  }

  async markReconcilePending(key: DaemonSetKey, now: number, timeoutSeconds: number): Promise<PendingReconcile> {
    await this.#beforeWrite('markReconcilePending', key);
    return this.#pending.mark(key, this.#tables.daemonSets.get(key)?.kind === 'live', now, timeoutSeconds);
  }

  async clearReconcilePending(key: DaemonSetKey): Promise<void> {
    await this.#beforeWrite('clearReconcilePending', key);
    this.#pending.clear(key);
  }

  async readReconcilePending(key: DaemonSetKey): Promise<number | undefined> {
    return this.#pending.get(key);
  }

  async loadSnapshot(key: DaemonSetKey): Promise<ClusterSnapshot | undefined> {
    const record = this.#tables.daemonSets.get(key);
    if (record?.kind !== 'live') return undefined;
    return structuredClone({
      daemonSet: record.daemonSet,
      version: record.version,
      revisions: await this.listRevisions(key),
      nodes: await this.listNodes(),
      pods: podsOf(this.#tables, key),
      ...(record.status === undefined ? {} : { status: record.status }),
      memory: record.memory,
    });
  }

  async loadNodeSnapshot(key: DaemonSetKey, nodeName: string): Promise<NodeSnapshot | undefined> {
    const record = this.#tables.daemonSets.get(key);
    if (record?.kind !== 'live') return undefined;
    const pendingSince = this.#pending.get(key);
    return structuredClone({
      daemonSet: record.daemonSet,
      version: record.version,
      pods: podsOf(this.#tables, key).filter((pod) => pod.nodeName === nodeName),
      ...(record.status === undefined ? {} : { status: record.status }),
      memory: record.memory,
      ...(pendingSince === undefined ? {} : { pendingSince }),
    });
  }

  async applyStep(key: DaemonSetKey, step: ReconcileStep, expectedVersion: number): Promise<void> {
    await this.#beforeWrite('applyStep', key);
    const current = this.#tables.daemonSets.get(key);
    if (current?.kind !== 'live' || current.version !== expectedVersion) throw new VersionConflictError(key);
    if (isRemovalStep(current, step) && groupOf(this.#tables.pods, key).size === 0) {
      const { tombstone } = planRemoval(current, this.#settings.tombstoneSeconds);
      for (const tables of [this.#tables.revisions, this.#tables.pods, this.#tables.podStatuses]) tables.delete(key);
      this.#tables.daemonSets.set(key, tombstone);
      return;
    }
    const now = new Date(this.#settings.now()).toISOString();
    const revisions = [...groupOf(this.#tables.revisions, key).values()];
    const writes = planStepWrites(current, structuredClone(step), {
      now,
      revisions,
      eventSeconds: this.#settings.eventSeconds,
    });
    if (writes === undefined) return;
    const mark = step.pendingMark;
    if (mark !== undefined && 'expect' in mark && this.#pending.get(key) !== mark.expect) {
      throw new VersionConflictError(key);
    }
    const chunks = planChunks(writes, expectedVersion);
    for (const [index, chunk] of chunks.entries()) {
      commitChunk(this.#tables, key, chunk);
      if (index === 0 && mark !== undefined && 'set' in mark) this.#pending.set(key, mark.set);
      if (index < chunks.length - 1) await this.#settings.hooks.afterChunk?.(key, index, chunks.length);
    }
    commitEvents(this.#tables, key, writes.events);
  }

  async getDaemonSet(key: DaemonSetKey): Promise<StoredDaemonSet | undefined> {
    return structuredClone(toStoredDaemonSet(this.#tables.daemonSets.get(key)));
  }

  async listDaemonSets(): Promise<readonly StoredDaemonSet[]> {
    return [...this.#tables.daemonSets]
      .sort(([a], [b]) => compareStrings(a, b))
      .flatMap(([, record]) => structuredClone(toStoredDaemonSet(record)) ?? []);
  }

  async listDaemonSetKeys(): Promise<readonly DaemonSetKey[]> {
    return (await this.listDaemonSets()).map(({ daemonSet }) => toDaemonSetKey(daemonSet.namespace, daemonSet.name));
  }

  async listRevisions(key: DaemonSetKey): Promise<readonly ControllerRevision[]> {
    return structuredClone([...groupOf(this.#tables.revisions, key).values()].sort(byRevision));
  }

  async getNode(name: string): Promise<Node | undefined> {
    return structuredClone(this.#tables.nodes.get(name)?.node);
  }

  async getNodeFact(name: string): Promise<NodeFact | undefined> {
    const record = this.#tables.nodes.get(name);
    return record?.node === undefined
      ? undefined
      : structuredClone({ node: record.node, observedAt: record.observedAt });
  }

  async listNodes(): Promise<readonly Node[]> {
    const nodes = [...this.#tables.nodes.values()].flatMap((record) =>
      record.node === undefined ? [] : [record.node],
    );
    return structuredClone(nodes.sort((a, b) => compareStrings(a.name, b.name)));
  }

  async listPods(key?: DaemonSetKey): Promise<readonly Pod[]> {
    const keys = key === undefined ? [...this.#tables.pods.keys()].sort() : [key];
    return structuredClone(keys.flatMap((each) => podsOf(this.#tables, each)));
  }

  async listPodsOnNode(nodeName: string): Promise<readonly (Pod & { daemonSet: DaemonSetKey })[]> {
    return structuredClone(podsOnNode(this.#tables, nodeName));
  }

  async listEvents(key: DaemonSetKey): Promise<readonly DaemonSetEvent[]> {
    const events = (this.#tables.events.get(key) ?? []).flatMap((record) => record.events);
    return structuredClone(events.slice(-MAX_EVENTS_PER_DAEMON_SET));
  }

  async listNodeEvents(nodeName?: string): Promise<readonly NodeEvent[]> {
    const events = [...this.#tables.nodeEvents.values()].filter(
      (event) => nodeName === undefined || event.node === nodeName,
    );
    const byTime = (a: NodeEvent, b: NodeEvent): number =>
      compareStrings(a.time, b.time) || compareStrings(a.node, b.node) || compareStrings(a.reason, b.reason);
    return structuredClone(events.sort(byTime));
  }

  async listRejections(): Promise<readonly Rejection[]> {
    const byTime = (a: Rejection, b: Rejection): number => compareStrings(a.time, b.time) || compareStrings(a.id, b.id);
    return structuredClone([...this.#tables.rejections.values()].sort(byTime));
  }

  async #beforeWrite(operation: WriteOperation, key: string): Promise<void> {
    await this.#settings.hooks.beforeWrite?.(operation, key);
  }

  #nodeFact(name: string, node: Node | undefined, observedAt: string): FactOutcome {
    const decision = planNodeFact(this.#tables.nodes.get(name), node, observedAt);
    if (decision.write) this.#tables.nodes.set(name, toNodeRecord(node, observedAt, this.#settings.tombstoneSeconds));
    return decision.outcome;
  }

  #writeDaemonSet(key: DaemonSetKey, plan: ReturnType<typeof planApplyDaemonSet>): void {
    const stored = this.#tables.daemonSets.get(key);
    if (plan.write === 'put') this.#tables.daemonSets.set(key, plan.record);
    if (plan.write === 'touch' && stored !== undefined) {
      const expiry = plan.expiresAt === undefined ? {} : { expiresAt: plan.expiresAt };
      const time = plan.observedAt === undefined ? {} : { observedAt: plan.observedAt };
      const switches = plan.switchedAt === undefined || stored.kind !== 'live' ? {} : { switchedAt: plan.switchedAt };
      this.#tables.daemonSets.set(key, { ...stored, ...time, ...expiry, ...switches });
    }
  }
}

/**
 * The in-memory store's pending-reconcile markers (DynamoDB keeps them as `pendingSince` on the DaemonSet's
 * state item). They are queue bookkeeping, not cluster state: `exportState` leaves them out, so a reloaded
 * store starts with none and its first facts enqueue.
 */
class InMemoryPendingReconciles {
  readonly #since = new Map<DaemonSetKey, number>();

  /**
   * Sets the marker at `now` unless one newer than `timeoutSeconds` is set, as DynamoDB's conditional update
   * does. `live` is whether the DaemonSet has state to mark: without it nothing is marked and the caller enqueues.
   */
  mark(key: DaemonSetKey, live: boolean, now: number, timeoutSeconds: number): PendingReconcile {
    if (!live) {
      this.#since.delete(key);
      return 'enqueue';
    }
    const since = this.#since.get(key);
    if (since !== undefined && since >= now - timeoutSeconds * 1000) return 'coalesced';
    this.#since.set(key, now);
    return 'enqueue';
  }

  clear(key: DaemonSetKey): void {
    this.#since.delete(key);
  }

  /** The marker, when one is set. */
  get(key: DaemonSetKey): number | undefined {
    return this.#since.get(key);
  }

  /** Sets the marker whatever it holds (a step's `pendingMark.set`, written with the step). */
  set(key: DaemonSetKey, since: number): void {
    this.#since.set(key, since);
  }
}
