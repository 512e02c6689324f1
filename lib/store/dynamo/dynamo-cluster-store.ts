import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ControllerRevision,
  DaemonSet,
  DaemonSetKey,
  KeptOnApply,
  RolloutSwitch,
} from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
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
import type { ReconcileStep } from '../../ports/reconcile-step.js';
import { toFactTime } from '../plan/plan-fact.js';
import { type ClusterStoreOptions, toStoreSettings, type WriteOperation } from '../plan/store-options.js';
import { toStoredDaemonSet } from '../plan/stored-records.js';
import { applyStep } from './apply-step.js';
import { FLEET_SCOPE, FleetCache, PartitionCache } from './caches.js';
import { deletePod } from './delete-pod.js';
import type { InFlightWrites } from './in-flight-writes.js';
import {
  getNode,
  getNodeFact,
  type Loaded,
  listDaemonSetKeys,
  listDaemonSets,
  listEvents,
  listNodeEvents,
  listPodsOnNode,
  listRejections,
  loadNodeSnapshot,
  loadSnapshot,
  readDaemonSetItems,
  readNodes,
  readPods,
  readPodsThroughCache,
  readReconcilePending,
  readRevisions,
  type StepBasis,
} from './reads.js';
import type { DynamoContext } from './table.js';
import {
  applyDaemonSet,
  clearReconcilePending,
  deleteDaemonSet,
  markReconcilePending,
  putNodeFact,
  putPodStatus,
  recordNodeEvent,
  recordRejection,
  replaceNodeFact,
  setRolloutSwitch,
  updateDaemonSet,
} from './writes.js';

/** `ClusterStoreOptions`, and what only the DynamoDB store takes. */
export type DynamoClusterStoreOptions = ClusterStoreOptions &
  Readonly<{
    /**
     * Only when this process is the table's only writer (the local control plane): its writes under way, shared
     * by all its stores of the table, so warm reads look back only past them instead of `writeLagMs`.
     */
    inFlightWrites?: InFlightWrites;
  }>;

/**
 * The `ClusterStore` on one DynamoDB table (single-table design, see docs/store-design.md). Every write is
 * conditional; condition failures that mean "the DaemonSet moved" become `VersionConflictError`, anything
 * else is rethrown untouched. The client and table name come from the caller, never from the environment.
 *
 * @example
 * const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
 * const store = new DynamoClusterStore(client, 'everynode');
 */
export class DynamoClusterStore implements ClusterStore {
  readonly #context: DynamoContext;
  /**
   * The nodes and DaemonSet partitions this instance has read, kept fresh incrementally: a warm function
   * rereads neither the fleet nor a partition, only what was written since it last looked.
   */
  readonly #caches: Readonly<{ fleet: FleetCache; partitions: PartitionCache }>;
  /**
   * What the last snapshot of each DaemonSet read, so the step planned from it is written without reading
   * the record again; used only when the step's expected version is the one read (the guard then protects
   * exactly that record), and forgotten once used.
   */
  readonly #bases = new Map<DaemonSetKey, StepBasis>();

  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoClusterStoreOptions = {}) {
    const { inFlightWrites, ...rest } = options;
    this.#context = {
      client,
      tableName,
      settings: toStoreSettings(rest),
      ...(inFlightWrites === undefined ? {} : { inFlightWrites }),
    };
    this.#caches = { fleet: new FleetCache(this.#context), partitions: new PartitionCache(this.#context) };
  }

  async putNode(node: Node, observedAt: string): Promise<FactOutcome> {
    return this.#write('putNode', node.name, async () => {
      return putNodeFact(this.#context, node.name, node, observedAt);
    });
  }

  async replaceNode(node: Node, observedAt: string, expectedObservedAt: string): Promise<FactOutcome> {
    return this.#write('putNode', node.name, async () => {
      return replaceNodeFact(this.#context, node, observedAt, expectedObservedAt);
    });
  }

  async removeNode(name: string, observedAt: string): Promise<FactOutcome> {
    return this.#write('removeNode', name, async () => {
      return putNodeFact(this.#context, name, undefined, observedAt);
    });
  }

  async applyDaemonSet(
    daemonSet: DaemonSet,
    observedAt: string,
    keeps: readonly KeptOnApply[] = [],
  ): Promise<{ outcome: FactOutcome; generation: number }> {
    return this.#write('applyDaemonSet', `${daemonSet.namespace}/${daemonSet.name}`, async () => {
      return applyDaemonSet(this.#context, daemonSet, observedAt, keeps);
    });
  }

  async setRolloutSwitch(
    key: DaemonSetKey,
    name: RolloutSwitch,
    on: boolean,
    observedAt: string,
  ): Promise<FactOutcome> {
    return this.#write('setRolloutSwitch', key, async () => {
      return setRolloutSwitch(this.#context, key, name, on, observedAt);
    });
  }

  async deleteDaemonSet(key: DaemonSetKey, observedAt: string): Promise<FactOutcome> {
    return this.#write('deleteDaemonSet', key, async () => {
      return deleteDaemonSet(this.#context, key, observedAt);
    });
  }

  async updateDaemonSet(
    key: DaemonSetKey,
    change: (current: DaemonSet, revisions: readonly ControllerRevision[]) => DaemonSet,
    observedAt?: string,
  ): Promise<DaemonSet> {
    return this.#write('updateDaemonSet', key, async () => {
      return updateDaemonSet(this.#context, key, change, observedAt === undefined ? undefined : toFactTime(observedAt));
    });
  }

  async putPodStatus(report: PodStatusReport): Promise<FactOutcome> {
    return this.#write('putPodStatus', `${report.namespace}/${report.daemonSet}`, async () => {
      return putPodStatus(this.#context, report);
    });
  }

  async deletePod(key: DaemonSetKey, request: PodDeletionRequest, observedAt: string): Promise<FactOutcome> {
    return this.#write('deletePod', key, async () => {
      return deletePod(this.#context, key, request, toFactTime(observedAt));
    });
  }

  async recordNodeEvent(event: NodeEvent): Promise<void> {
    await this.#write('recordNodeEvent', event.node, async () => {
      await recordNodeEvent(this.#context, event);
    });
  }

  async recordRejection(rejection: Rejection): Promise<void> {
    await this.#write('recordRejection', rejection.id, async () => {
      await recordRejection(this.#context, rejection);
    });
  }

  async markReconcilePending(key: DaemonSetKey, now: number, timeoutSeconds: number): Promise<PendingReconcile> {
    return this.#write('markReconcilePending', key, async () => {
      return markReconcilePending(this.#context, key, now, timeoutSeconds);
    });
  }

  async clearReconcilePending(key: DaemonSetKey): Promise<void> {
    await this.#write('clearReconcilePending', key, async () => {
      await clearReconcilePending(this.#context, key);
    });
  }

  async readReconcilePending(key: DaemonSetKey): Promise<number | undefined> {
    return readReconcilePending(this.#context, key);
  }

  async loadSnapshot(key: DaemonSetKey): Promise<ClusterSnapshot | undefined> {
    return this.#remember(key, await loadSnapshot(this.#context, key, this.#caches));
  }

  async loadNodeSnapshot(key: DaemonSetKey, nodeName: string): Promise<NodeSnapshot | undefined> {
    return this.#remember(key, await loadNodeSnapshot(this.#context, key, nodeName));
  }

  async applyStep(key: DaemonSetKey, step: ReconcileStep, expectedVersion: number): Promise<void> {
    await this.#write('applyStep', key, async () => {
      const basis = this.#bases.get(key);
      this.#bases.delete(key);
      // What it wrote whole goes into the partition cache, so the next pass does not read it back.
      const mark = this.#caches.partitions.mark(key);
      const written = await applyStep(this.#context, key, step, expectedVersion, basis);
      this.#caches.partitions.remember(key, written, mark);
    });
  }

  async getDaemonSet(key: DaemonSetKey): Promise<StoredDaemonSet | undefined> {
    return toStoredDaemonSet((await readDaemonSetItems(this.#context, key, true))?.record);
  }

  listDaemonSets(): Promise<readonly StoredDaemonSet[]> {
    return listDaemonSets(this.#context);
  }

  listDaemonSetKeys(): Promise<readonly DaemonSetKey[]> {
    return listDaemonSetKeys(this.#context);
  }

  listRevisions(key: DaemonSetKey): Promise<readonly ControllerRevision[]> {
    return readRevisions(this.#context, key, false);
  }

  getNode(name: string): Promise<Node | undefined> {
    return getNode(this.#context, name);
  }

  getNodeFact(name: string): Promise<NodeFact | undefined> {
    return getNodeFact(this.#context, name);
  }

  listNodes(): Promise<readonly Node[]> {
    return readNodes(this.#context, false);
  }

  async listPods(key?: DaemonSetKey): Promise<readonly Pod[]> {
    if (key !== undefined) return readPodsThroughCache(key, this.#caches.partitions);
    const keys = await listDaemonSetKeys(this.#context);
    const pods = await Promise.all(keys.map((each) => readPods(this.#context, each)));
    return pods.flat();
  }

  listPodsOnNode(nodeName: string): Promise<readonly (Pod & { daemonSet: DaemonSetKey })[]> {
    return listPodsOnNode(this.#context, nodeName);
  }

  listEvents(key: DaemonSetKey): Promise<readonly DaemonSetEvent[]> {
    return listEvents(this.#context, key);
  }

  listRejections(): Promise<readonly Rejection[]> {
    return listRejections(this.#context);
  }

  listNodeEvents(nodeName?: string): Promise<readonly NodeEvent[]> {
    return listNodeEvents(this.#context, nodeName);
  }

  #remember<T>(key: DaemonSetKey, loaded: Loaded<T> | undefined): T | undefined {
    if (loaded === undefined) return undefined;
    this.#bases.set(key, loaded.basis);
    return loaded.snapshot;
  }

  /**
   * Runs one write method: the test hook first, then the write, tracked as under way when this process is the
   * table's only writer (`InFlightWrites`), so warm reads look back only past what may still land.
   */
  async #write<T>(operation: WriteOperation, key: string, write: () => Promise<T>): Promise<T> {
    await this.#context.settings.hooks.beforeWrite?.(operation, key);
    const tracker = this.#context.inFlightWrites;
    if (tracker === undefined) return write();
    // The calls that write node items (the fleet cache skips its read while none ran: `FLEET_SCOPE`).
    const scope = operation === 'putNode' || operation === 'removeNode' ? FLEET_SCOPE : undefined;
    return tracker.track(this.#context.settings.now(), write, scope);
  }
}
