import type { ControllerMemory } from '../../model/controller-memory.js';
import type { DaemonSet, RolloutSwitch } from '../../model/daemon-set.js';
import type { Node } from '../../model/node.js';
import type { Pod, PodStatusReport } from '../../model/pod.js';
import type { DaemonSetEvent, DaemonSetStatus } from '../../model/status.js';
import type { StoredDaemonSet } from '../../ports/cluster-store.js';

/**
 * The records both stores keep, whatever their medium. DynamoDB items are these plus keys (see
 * `dynamo/table.ts`); the in-memory store keeps them in maps. Fact times are normalised ISO strings.
 */
export type LiveDaemonSet = Readonly<{
  kind: 'live';
  daemonSet: DaemonSet;
  /**
   * Optimistic-concurrency version: bumped by every spec write and every applied reconcile step. DynamoDB
   * keeps it on the small state item, beside `status` and `memory` (see docs/store-design.md).
   */
  version: number;
  /** Time of the newest DaemonSet fact (apply or delete) stored. */
  observedAt: string;
  /**
   * Time of the newest fact that set each rollout switch: a `rollout pause|resume|freeze|unfreeze`, or an apply
   * whose manifest names the switch. Switches are ordered by these, apart from applies (a late, older `pause`
   * changes nothing once a `resume` is stored).
   */
  switchedAt?: SwitchTimes;
  status?: DaemonSetStatus;
  memory: ControllerMemory;
}>;

/** What is left of a removed DaemonSet: enough to refuse older facts about it until it expires. */
export type RemovedDaemonSet = Readonly<{ kind: 'removed'; version: number; observedAt: string; expiresAt: number }>;

export type DaemonSetRecord = LiveDaemonSet | RemovedDaemonSet;

/** When each rollout switch was last set (fact times). */
export type SwitchTimes = Readonly<Partial<Record<RolloutSwitch, string>>>;

/** A node fact; `node` is absent for a removal tombstone (which has `expiresAt`). */
export type NodeRecord = Readonly<{ node?: Node; observedAt: string; expiresAt?: number }>;

/** The pod the controller wants (written by reconcile steps only). */
export type DesiredPod = Readonly<{
  name: string;
  nodeName: string;
  revisionHash: string;
  labels: Readonly<Record<string, string>>;
  creationTimestamp: string;
  deletionTimestamp?: string;
  /** Created for a startup-critical DaemonSet: its spec tolerates the startup gate (see `Pod.startupCritical`). */
  startupCritical?: true;
}>;

/**
 * The newest status an agent reported for a pod (written by pod status facts only): the report without the
 * names that place it (the partition and the key hold them), `gone` always set, and an expiry.
 */
export type PodStatusRecord = Omit<PodStatusReport, 'namespace' | 'daemonSet' | 'podName' | 'gone'> &
  Readonly<{
    /** The agent confirmed the pod is gone: a marker that refuses older reports until it expires. */
    gone: boolean;
    /** Set when no desired pod goes with this status (or it is a `gone` marker). */
    expiresAt?: number;
  }>;

/**
 * The events of one reconcile step (or part of them, when they are many), in the order the step listed
 * them, with the sort key that orders and identifies the record. One record per step instead of one per
 * event: a 250-pod step writes one or a few items, not 250.
 */
export type EventRecord = Readonly<{ sortKey: string; events: readonly DaemonSetEvent[]; expiresAt: number }>;

/** An event record as saved before events were grouped per step (still read from saved in-memory state). */
export type SingleEventRecord = Readonly<{ sortKey: string; event: DaemonSetEvent; expiresAt: number }>;

/** A DaemonSet record as `getDaemonSet` returns it; undefined unless it is live. */
export function toStoredDaemonSet(record: DaemonSetRecord | undefined): StoredDaemonSet | undefined {
  if (record?.kind !== 'live') return undefined;
  const { daemonSet, version, status, memory } = record;
  return { daemonSet, version, ...(status === undefined ? {} : { status }), memory };
}

/**
 * Whether a report (or a stored status) is about this very pod: the node it runs on and the revision it
 * runs. A pod's node and revision never change, so any other report is wrong or forged, and must not
 * make the pod ready.
 */
export function reportMatches(
  desired: DesiredPod,
  report: Readonly<{ nodeName: string; revisionHash: string }>,
): boolean {
  return report.nodeName === desired.nodeName && report.revisionHash === desired.revisionHash;
}

/**
 * The pod the planner sees: the desired record merged with its agent's latest status. A pod no agent
 * has reported on (or whose status is an old `gone` marker, or a status that names another node or
 * revision) is unscheduled and Pending. `readySince` is never earlier than the pod's creation: a pod
 * cannot have been ready before it existed, and an earlier time would skip `minReadySeconds`.
 */
export function mergePod(namespace: string, desired: DesiredPod, status: PodStatusRecord | undefined): Pod {
  const reported = status !== undefined && !status.gone && reportMatches(desired, status) ? status : undefined;
  const readySince =
    reported?.readySince === undefined
      ? undefined
      : Date.parse(reported.readySince) < Date.parse(desired.creationTimestamp)
        ? desired.creationTimestamp
        : reported.readySince;
  return {
    name: desired.name,
    namespace,
    nodeName: desired.nodeName,
    revisionHash: desired.revisionHash,
    labels: desired.labels,
    creationTimestamp: desired.creationTimestamp,
    ...(desired.deletionTimestamp === undefined ? {} : { deletionTimestamp: desired.deletionTimestamp }),
    ...(desired.startupCritical === true ? { startupCritical: true } : {}),
    scheduled: reported !== undefined,
    phase: reported?.phase ?? 'Pending',
    ready: reported?.ready ?? false,
    ...(readySince === undefined ? {} : { readySince }),
    ...(reported?.restartCount === undefined ? {} : { restartCount: reported.restartCount }),
    ...(reported?.reason === undefined ? {} : { reason: reported.reason }),
    ...(reported?.message === undefined ? {} : { message: reported.message }),
  };
}
