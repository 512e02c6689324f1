import {
  type ControllerRevision,
  type DaemonSet,
  type DaemonSetKey,
  fromDaemonSetKey,
  type KeptOnApply,
  type RolloutSwitch,
} from '../lib/model/daemon-set.js';
import type { Node } from '../lib/model/node.js';
import type { PodDeletionRequest, PodStatusReport } from '../lib/model/pod.js';
import type { NodeEvent, Rejection } from '../lib/model/status.js';
import type { ClusterSnapshot, NodeSnapshot } from '../lib/ports/cluster-snapshot.js';
import type {
  ClusterStore,
  FactOutcome,
  NodeFact,
  PendingReconcile,
  StoredDaemonSet,
} from '../lib/ports/cluster-store.js';
import type { ReconcileStep } from '../lib/ports/reconcile-step.js';

/**
 * A `ClusterStore` that narrates what is written, one readable line per change, for the local control
 * plane's output: `node worker-2 joined`, `fluentd-logger: create pod fluentd-logger-x on worker-2`.
 * Only successful writes that changed something are told; reads pass straight through.
 */
export class LoggingClusterStore implements ClusterStore {
  readonly #inner: ClusterStore;
  readonly #log: (line: string) => void;

  constructor(inner: ClusterStore, log: (line: string) => void) {
    this.#inner = inner;
    this.#log = log;
  }

  async putNode(node: Node, observedAt: string): Promise<FactOutcome> {
    const existed = (await this.#inner.getNode(node.name)) !== undefined;
    const outcome = await this.#inner.putNode(node, observedAt);
    if (outcome === 'stored') this.#log(`node ${node.name} ${existed ? 'updated' : 'joined'}`);
    return outcome;
  }

  async replaceNode(node: Node, observedAt: string, expectedObservedAt: string): Promise<FactOutcome> {
    const outcome = await this.#inner.replaceNode(node, observedAt, expectedObservedAt);
    if (outcome === 'stored') this.#log(`node ${node.name} updated by everynode`);
    return outcome;
  }

  async removeNode(name: string, observedAt: string): Promise<FactOutcome> {
    const outcome = await this.#inner.removeNode(name, observedAt);
    if (outcome === 'stored') this.#log(`node ${name} removed`);
    return outcome;
  }

  async applyDaemonSet(
    daemonSet: DaemonSet,
    observedAt: string,
    keeps?: readonly KeptOnApply[],
  ): Promise<Readonly<{ outcome: FactOutcome; generation: number }>> {
    const result = await this.#inner.applyDaemonSet(daemonSet, observedAt, keeps);
    if (result.outcome === 'stored') this.#log(`${daemonSet.name}: applied (generation ${result.generation})`);
    return result;
  }

  async setRolloutSwitch(
    key: DaemonSetKey,
    name: RolloutSwitch,
    on: boolean,
    observedAt: string,
  ): Promise<FactOutcome> {
    const outcome = await this.#inner.setRolloutSwitch(key, name, on, observedAt);
    if (outcome === 'stored')
      this.#log(
        `${nameOf(key)}: rollout ${name === 'paused' ? (on ? 'paused' : 'resumed') : on ? 'frozen' : 'unfrozen'}`,
      );
    return outcome;
  }

  async deleteDaemonSet(key: DaemonSetKey, observedAt: string): Promise<FactOutcome> {
    const outcome = await this.#inner.deleteDaemonSet(key, observedAt);
    if (outcome === 'stored') this.#log(`${nameOf(key)}: deleted`);
    return outcome;
  }

  async updateDaemonSet(
    key: DaemonSetKey,
    change: (current: DaemonSet, revisions: readonly ControllerRevision[]) => DaemonSet,
    observedAt?: string,
  ): Promise<DaemonSet> {
    const updated = await this.#inner.updateDaemonSet(key, change, observedAt);
    this.#log(`${nameOf(key)}: spec changed (generation ${updated.generation})`);
    return updated;
  }

  async putPodStatus(report: PodStatusReport): Promise<FactOutcome> {
    const outcome = await this.#inner.putPodStatus(report);
    if (outcome === 'stored') this.#log(`pod ${report.podName} on ${report.nodeName}: ${describeReport(report)}`);
    return outcome;
  }

  async deletePod(key: DaemonSetKey, request: PodDeletionRequest, observedAt: string): Promise<FactOutcome> {
    const outcome = await this.#inner.deletePod(key, request, observedAt);
    if (outcome === 'stored') {
      const how = request.gracePeriodSeconds === 0 ? 'removed at once (forced)' : 'terminating (deleted by a user)';
      this.#log(`pod ${request.name} on ${request.nodeName}: ${how}`);
    }
    return outcome;
  }

  async recordNodeEvent(event: NodeEvent): Promise<void> {
    await this.#inner.recordNodeEvent(event);
    this.#log(`node ${event.node}: ${event.type} ${event.reason}: ${event.message}`);
  }

  async recordRejection(rejection: Rejection): Promise<void> {
    await this.#inner.recordRejection(rejection);
    this.#log(`rejected a message from ${rejection.source}: ${rejection.reason}`);
  }

  markReconcilePending(key: DaemonSetKey, now: number, timeoutSeconds: number): Promise<PendingReconcile> {
    return this.#inner.markReconcilePending(key, now, timeoutSeconds);
  }

  clearReconcilePending(key: DaemonSetKey): Promise<void> {
    return this.#inner.clearReconcilePending(key);
  }

  readReconcilePending(key: DaemonSetKey): Promise<number | undefined> {
    return this.#inner.readReconcilePending(key);
  }

  loadNodeSnapshot(key: DaemonSetKey, nodeName: string): Promise<NodeSnapshot | undefined> {
    return this.#inner.loadNodeSnapshot(key, nodeName);
  }

  loadSnapshot(key: DaemonSetKey): Promise<ClusterSnapshot | undefined> {
    return this.#inner.loadSnapshot(key);
  }

  async applyStep(key: DaemonSetKey, step: ReconcileStep, expectedVersion: number): Promise<void> {
    await this.#inner.applyStep(key, step, expectedVersion);
    const name = nameOf(key);
    for (const action of step.actions) {
      this.#log(
        action.kind === 'createPod'
          ? `${name}: create pod ${action.podName} on ${action.nodeName}`
          : `${name}: delete pod ${action.podName} on ${action.nodeName} (${action.reason})`,
      );
    }
    if (step.revertTemplate !== undefined) {
      this.#log(`${name}: rolled back to revision ${step.revertTemplate.toRevision}`);
    }
    for (const event of step.events) {
      if (TOLD_BY_ACTIONS.has(event.reason)) continue;
      this.#log(`${name}: ${event.type === 'Warning' ? 'warning ' : ''}${event.reason}: ${event.message}`);
    }
  }

  getDaemonSet(key: DaemonSetKey): Promise<StoredDaemonSet | undefined> {
    return this.#inner.getDaemonSet(key);
  }

  listDaemonSets(): Promise<readonly StoredDaemonSet[]> {
    return this.#inner.listDaemonSets();
  }

  listDaemonSetKeys(): Promise<readonly DaemonSetKey[]> {
    return this.#inner.listDaemonSetKeys();
  }

  listRevisions(key: DaemonSetKey): Promise<readonly ControllerRevision[]> {
    return this.#inner.listRevisions(key);
  }

  getNode(name: string): Promise<Node | undefined> {
    return this.#inner.getNode(name);
  }

  getNodeFact(name: string): Promise<NodeFact | undefined> {
    return this.#inner.getNodeFact(name);
  }

  listNodes(): Promise<readonly Node[]> {
    return this.#inner.listNodes();
  }

  listPods(key?: DaemonSetKey): ReturnType<ClusterStore['listPods']> {
    return this.#inner.listPods(key);
  }

  listPodsOnNode(nodeName: string): ReturnType<ClusterStore['listPodsOnNode']> {
    return this.#inner.listPodsOnNode(nodeName);
  }

  listEvents(key: DaemonSetKey): ReturnType<ClusterStore['listEvents']> {
    return this.#inner.listEvents(key);
  }

  listRejections(): Promise<readonly Rejection[]> {
    return this.#inner.listRejections();
  }

  listNodeEvents(nodeName?: string): Promise<readonly NodeEvent[]> {
    return this.#inner.listNodeEvents(nodeName);
  }
}

/** Events that repeat an action line already written. */
const TOLD_BY_ACTIONS: ReadonlySet<string> = new Set(['SuccessfulCreate', 'SuccessfulDelete']);

function nameOf(key: DaemonSetKey): string {
  return fromDaemonSetKey(key).name;
}

function describeReport(report: PodStatusReport): string {
  if (report.gone === true) return 'gone';
  return `${report.phase}${report.phase === 'Running' ? (report.ready ? ', Ready' : ', not ready') : ''}`;
}
