import type { ControllerMemory } from '../model/controller-memory.js';
import type { ControllerRevision, DaemonSet, DaemonSetKey, KeptOnApply, RolloutSwitch } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import type { Pod, PodDeletionRequest, PodStatusReport } from '../model/pod.js';
import type { DaemonSetEvent, DaemonSetStatus, NodeEvent, Rejection } from '../model/status.js';
import type { ClusterSnapshot, NodeSnapshot } from './cluster-snapshot.js';
import type { ReconcileStep } from './reconcile-step.js';

/**
 * What storing a fact did. `stale`: an equal or newer fact was already stored (nothing written);
 * `unchanged`: nothing visible changed (a newer fact with the same content only advances the stored fact time);
 * `stored`: written.
 */
export type FactOutcome = 'stored' | 'unchanged' | 'stale';

/**
 * What `markReconcilePending` found. `enqueue`: the caller must enqueue a reconcile of the DaemonSet (the marker
 * was absent or had timed out and is now set, or the DaemonSet has no state to mark); `coalesced`: a reconcile
 * is already on its way and will load a snapshot after this call (see docs/decisions/0004-coalesced-reconcile.md).
 */
export type PendingReconcile = 'enqueue' | 'coalesced';

/** A stored node with the time of the fact that wrote it: what `replaceNode` is conditional on. */
export type NodeFact = Readonly<{ node: Node; observedAt: string }>;

/** A DaemonSet as stored: the spec with its bookkeeping. */
export type StoredDaemonSet = Readonly<{
  daemonSet: DaemonSet;
  version: number;
  status?: DaemonSetStatus;
  memory: ControllerMemory;
}>;

/**
 * One interface over DynamoDB (production, local) and memory (unit tests, offline CLI).
 * Every write is conditional: facts are ordered by their `observedAt` time, reconcile steps by the
 * DaemonSet's version. Reads that decisions depend on are strongly consistent.
 */
export interface ClusterStore {
  /** Stores a node unless a newer fact (join, update or removal) about it is already stored. */
  putNode(node: Node, observedAt: string): Promise<FactOutcome>;
  /**
   * Writes a node fact everynode decided itself (the startup gate, a lifecycle action's completion) at
   * `observedAt`, only if the stored fact is still the one read at `expectedObservedAt` and older than
   * `observedAt`: `stale` (nothing written) when another fact landed in between, so the caller decides again
   * from a fresh read and never overwrites a fact it did not see.
   */
  replaceNode(node: Node, observedAt: string, expectedObservedAt: string): Promise<FactOutcome>;
  /** Removes a node (keeps a tombstone so a late, older join cannot resurrect it). */
  removeNode(name: string, observedAt: string): Promise<FactOutcome>;
  /**
   * Stores a DaemonSet spec. Bumps `generation` (and the version) when the spec differs from the stored one;
   * a removed DaemonSet with an older `observedAt` is not resurrected. The rollout switches in `keeps` (those
   * the manifest does not mention) keep their stored values, and a switch the manifest names yields to a newer
   * `setRolloutSwitch`: both decided from the same read the conditional write is guarded by.
   */
  applyDaemonSet(
    daemonSet: DaemonSet,
    observedAt: string,
    keeps?: readonly KeptOnApply[],
  ): Promise<Readonly<{ outcome: FactOutcome; generation: number }>>;
  /**
   * Sets one rollout switch (`rollout pause|resume|freeze|unfreeze`) as a fact with its own time: an older or
   * redelivered one changes nothing once a newer one is stored.
   *
   * @throws {DaemonSetNotFoundError} no live DaemonSet of that key.
   */
  setRolloutSwitch(key: DaemonSetKey, name: RolloutSwitch, on: boolean, observedAt: string): Promise<FactOutcome>;
  /** Marks a DaemonSet deleted; its pods are collected by reconcile, then its records go. */
  deleteDaemonSet(key: DaemonSetKey, observedAt: string): Promise<FactOutcome>;
  /**
   * Changes a DaemonSet's spec from its current value (rollout pause/resume/undo/restart). `change` is pure;
   * the write is conditional on the version read, retried on conflict.
   * With `observedAt` the change is a fact ordered like an apply: it is skipped (the current DaemonSet is
   * returned) when an equal or newer DaemonSet fact is stored, and it advances the fact time when written, so a
   * redelivered `undo` or `restart`, or one that arrives after a later apply, changes nothing.
   */
  updateDaemonSet(
    key: DaemonSetKey,
    change: (current: DaemonSet, revisions: readonly ControllerRevision[]) => DaemonSet,
    observedAt?: string,
  ): Promise<DaemonSet>;
  /** Stores an agent's pod status unless a newer report is stored; `gone` ends a terminating pod. */
  putPodStatus(report: PodStatusReport): Promise<FactOutcome>;
  /**
   * A user's deletion of one pod (`kubectl delete pod`): marks it terminating at `observedAt` (its agent stops it
   * and reports it gone), or removes it at once for a grace period of 0. Conditional on the pod being the one
   * named (same name and creation time): `stale` when it is gone or replaced, `unchanged` when it is already
   * terminating, so redelivery and reordering never delete a replacement (see `planPodDeletion`).
   */
  deletePod(key: DaemonSetKey, request: PodDeletionRequest, observedAt: string): Promise<FactOutcome>;
  /** Records an event about a node, once per node, time and reason (a redelivered one changes nothing). */
  recordNodeEvent(event: NodeEvent): Promise<void>;
  /** Records a refused event (idempotent on `id`). */
  recordRejection(rejection: Rejection): Promise<void>;

  /**
   * Marks a reconcile of the DaemonSet as pending at `now` (epoch ms), only if no marker is set or the one set
   * is older than `timeoutSeconds`; tells the caller whether to enqueue. Call it only after the facts that
   * motivate it are stored.
   */
  markReconcilePending(key: DaemonSetKey, now: number, timeoutSeconds: number): Promise<PendingReconcile>;
  /**
   * Clears the pending marker (nothing for a DaemonSet without one, or without state). A reconcile pass
   * calls it before it loads its snapshot, so any fact stored after the clear marks and enqueues again.
   */
  clearReconcilePending(key: DaemonSetKey): Promise<void>;
  /**
   * The pending marker as it stands (epoch ms), read strongly consistently; undefined when none is set. A pass that
   * lost its version race reads it to learn whether another pass is on its way (docs/decisions/0004).
   */
  readReconcilePending(key: DaemonSetKey): Promise<number | undefined>;

  /** Strongly consistent read of the daemon set, its revisions, all nodes and its pods. */
  loadSnapshot(key: DaemonSetKey): Promise<ClusterSnapshot | undefined>;
  /**
   * Strongly consistent read of the DaemonSet record and its pods on one node (the node path): a few small
   * reads whatever the fleet's size. Undefined when the DaemonSet is not live.
   */
  loadNodeSnapshot(key: DaemonSetKey, nodeName: string): Promise<NodeSnapshot | undefined>;
  /**
   * Writes a step if the DaemonSet is still at `expectedVersion`, in chunks within DynamoDB's limits.
   * Throws `VersionConflictError` when it moved. A step that changes nothing writes nothing.
   */
  applyStep(key: DaemonSetKey, step: ReconcileStep, expectedVersion: number): Promise<void>;

  getDaemonSet(key: DaemonSetKey): Promise<StoredDaemonSet | undefined>;
  listDaemonSets(): Promise<readonly StoredDaemonSet[]>;
  /** The keys of `listDaemonSets`, without reading the records: what callers that only enqueue need. */
  listDaemonSetKeys(): Promise<readonly DaemonSetKey[]>;
  listRevisions(key: DaemonSetKey): Promise<readonly ControllerRevision[]>;
  getNode(name: string): Promise<Node | undefined>;
  /** Strongly consistent read of a node with its fact time (undefined when absent or removed). */
  getNodeFact(name: string): Promise<NodeFact | undefined>;
  listNodes(): Promise<readonly Node[]>;
  /** This DaemonSet's pods, or every DaemonSet's pods when `key` is absent. */
  listPods(key?: DaemonSetKey): Promise<readonly Pod[]>;
  /** A node agent's one query: the pods of every DaemonSet desired on its node. */
  listPodsOnNode(nodeName: string): Promise<readonly (Pod & Readonly<{ daemonSet: DaemonSetKey }>)[]>;
  listEvents(key: DaemonSetKey): Promise<readonly DaemonSetEvent[]>;
  listRejections(): Promise<readonly Rejection[]>;
  /** The kept events about one node, or about every node when `nodeName` is absent, oldest first. */
  listNodeEvents(nodeName?: string): Promise<readonly NodeEvent[]>;
}
