import type {
  ControllerRevision,
  DaemonSet,
  DaemonSetKey,
  KeptOnApply,
  RolloutSwitch,
} from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { Action, Pod, PodDeletionRequest, PodStatusReport } from '../../lib/model/pod.js';
import type { NodeEvent, Rejection } from '../../lib/model/status.js';
import type { ClusterSnapshot, NodeSnapshot } from '../../lib/ports/cluster-snapshot.js';
import type {
  ClusterStore,
  FactOutcome,
  NodeFact,
  PendingReconcile,
  StoredDaemonSet,
} from '../../lib/ports/cluster-store.js';
import type { ReconcileStep } from '../../lib/ports/reconcile-step.js';
import type { CapacityMeter } from './capacity-meter.js';

/** One reconcile step that was written: what the node agents will act on. */
export type AppliedStep = Readonly<{ key: DaemonSetKey; actions: readonly Action[]; at: number }>;

/**
 * A `ClusterStore` that labels every DynamoDB request with the store method that sent it (so the meter
 * can say where units go) and remembers the actions of every step that was written (so simulated node
 * agents can report on the pods they were given).
 */
export class MeteredStore implements ClusterStore {
  readonly #inner: ClusterStore;
  readonly #meter: CapacityMeter;
  readonly #now: () => number;
  readonly applied: AppliedStep[] = [];
  /** Steps the store refused (a version conflict, or a chunk that failed after earlier chunks landed). */
  readonly failedSteps: (AppliedStep & Readonly<{ error: string }>)[] = [];
  snapshotLoads = 0;

  /**
   * A second warm store on the same table, for what the agents see: each agent watches its own node, so
   * together they see what changed, not the whole DaemonSet again after every batch.
   */
  readonly #agents: ClusterStore;

  constructor(inner: ClusterStore, meter: CapacityMeter, now: () => number, agents: ClusterStore) {
    this.#inner = inner;
    this.#agents = agents;
    this.#meter = meter;
    this.#now = now;
  }

  putNode(node: Node, observedAt: string): Promise<FactOutcome> {
    return this.#meter.during('putNode', () => this.#inner.putNode(node, observedAt));
  }
  replaceNode(node: Node, observedAt: string, expectedObservedAt: string): Promise<FactOutcome> {
    return this.#meter.during('putNode', () => this.#inner.replaceNode(node, observedAt, expectedObservedAt));
  }
  removeNode(name: string, observedAt: string): Promise<FactOutcome> {
    return this.#meter.during('removeNode', () => this.#inner.removeNode(name, observedAt));
  }
  applyDaemonSet(
    daemonSet: DaemonSet,
    observedAt: string,
    keeps?: readonly KeptOnApply[],
  ): Promise<Readonly<{ outcome: FactOutcome; generation: number }>> {
    return this.#meter.during('applyDaemonSet', () => this.#inner.applyDaemonSet(daemonSet, observedAt, keeps));
  }
  setRolloutSwitch(key: DaemonSetKey, name: RolloutSwitch, on: boolean, observedAt: string): Promise<FactOutcome> {
    return this.#meter.during('setRolloutSwitch', () => this.#inner.setRolloutSwitch(key, name, on, observedAt));
  }
  deleteDaemonSet(key: DaemonSetKey, observedAt: string): Promise<FactOutcome> {
    return this.#meter.during('deleteDaemonSet', () => this.#inner.deleteDaemonSet(key, observedAt));
  }
  updateDaemonSet(
    key: DaemonSetKey,
    change: (current: DaemonSet, revisions: readonly ControllerRevision[]) => DaemonSet,
    observedAt?: string,
  ): Promise<DaemonSet> {
    return this.#meter.during('updateDaemonSet', () => this.#inner.updateDaemonSet(key, change, observedAt));
  }
  putPodStatus(report: PodStatusReport): Promise<FactOutcome> {
    return this.#meter.during('putPodStatus', () => this.#inner.putPodStatus(report));
  }
  deletePod(key: DaemonSetKey, request: PodDeletionRequest, observedAt: string): Promise<FactOutcome> {
    return this.#meter.during('deletePod', () => this.#inner.deletePod(key, request, observedAt));
  }
  recordNodeEvent(event: NodeEvent): Promise<void> {
    return this.#meter.during('recordNodeEvent', () => this.#inner.recordNodeEvent(event));
  }

  recordRejection(rejection: Rejection): Promise<void> {
    return this.#meter.during('recordRejection', () => this.#inner.recordRejection(rejection));
  }
  markReconcilePending(key: DaemonSetKey, now: number, timeoutSeconds: number): Promise<PendingReconcile> {
    return this.#meter.during('markReconcilePending', () => this.#inner.markReconcilePending(key, now, timeoutSeconds));
  }
  clearReconcilePending(key: DaemonSetKey): Promise<void> {
    return this.#meter.during('clearReconcilePending', () => this.#inner.clearReconcilePending(key));
  }
  readReconcilePending(key: DaemonSetKey): Promise<number | undefined> {
    return this.#meter.during('readReconcilePending', () => this.#inner.readReconcilePending(key));
  }
  loadNodeSnapshot(key: DaemonSetKey, nodeName: string): Promise<NodeSnapshot | undefined> {
    return this.#meter.during('loadNodeSnapshot', () => this.#inner.loadNodeSnapshot(key, nodeName));
  }
  loadSnapshot(key: DaemonSetKey): Promise<ClusterSnapshot | undefined> {
    this.snapshotLoads += 1;
    return this.#meter.during('loadSnapshot', () => this.#inner.loadSnapshot(key));
  }
  async applyStep(key: DaemonSetKey, step: ReconcileStep, expectedVersion: number): Promise<void> {
    try {
      await this.#meter.during('applyStep', () => this.#inner.applyStep(key, step, expectedVersion));
    } catch (error) {
      const message =
        error instanceof Error
          ? `${error.name}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : ''}`
          : String(error);
      this.failedSteps.push({ key, actions: step.actions, at: this.#now(), error: message });
      throw error;
    }
    if (step.actions.length > 0) this.applied.push({ key, actions: step.actions, at: this.#now() });
  }
  getDaemonSet(key: DaemonSetKey): Promise<StoredDaemonSet | undefined> {
    return this.#meter.during('getDaemonSet', () => this.#inner.getDaemonSet(key));
  }
  listDaemonSets(): Promise<readonly StoredDaemonSet[]> {
    return this.#meter.during('listDaemonSets', () => this.#inner.listDaemonSets());
  }
  listDaemonSetKeys(): Promise<readonly DaemonSetKey[]> {
    return this.#meter.during('listDaemonSetKeys', () => this.#inner.listDaemonSetKeys());
  }
  listRevisions(key: DaemonSetKey): Promise<readonly ControllerRevision[]> {
    return this.#meter.during('listRevisions', () => this.#inner.listRevisions(key));
  }
  getNode(name: string): Promise<Node | undefined> {
    return this.#meter.during('getNode', () => this.#inner.getNode(name));
  }
  getNodeFact(name: string): Promise<NodeFact | undefined> {
    return this.#meter.during('getNode', () => this.#inner.getNodeFact(name));
  }
  listNodes(): Promise<readonly Node[]> {
    return this.#meter.during('listNodes', () => this.#inner.listNodes());
  }
  listPods(key?: DaemonSetKey) {
    return this.#meter.during('listPods', () => this.#inner.listPods(key));
  }
  /** What the simulated node agents see of a DaemonSet's pods; not counted as the controller's cost. */
  agentView(key: DaemonSetKey): Promise<readonly Pod[]> {
    return this.#meter.uncounted(async () => (await this.#agents.loadSnapshot(key))?.pods ?? []);
  }
  listPodsOnNode(nodeName: string) {
    return this.#meter.during('listPodsOnNode', () => this.#inner.listPodsOnNode(nodeName));
  }
  listEvents(key: DaemonSetKey) {
    return this.#meter.during('listEvents', () => this.#inner.listEvents(key));
  }
  listRejections() {
    return this.#meter.during('listRejections', () => this.#inner.listRejections());
  }

  listNodeEvents(nodeName?: string) {
    return this.#meter.during('listNodeEvents', () => this.#inner.listNodeEvents(nodeName));
  }
}
