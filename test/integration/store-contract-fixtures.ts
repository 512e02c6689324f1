import { EMPTY_CONTROLLER_MEMORY } from '../../lib/model/controller-memory.js';
import type { ControllerRevision, PodTemplate } from '../../lib/model/daemon-set.js';
import type { Action, PodStatusReport } from '../../lib/model/pod.js';
import { type DaemonSetStatus, emptyDaemonSetStatus } from '../../lib/model/status.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import type { ReconcileStep } from '../../lib/ports/reconcile-step.js';
import type { ClusterStoreOptions } from '../../lib/store/plan/store-options.js';

/** Builds a fresh, empty store for one test. */
export type MakeStore = (options: ClusterStoreOptions) => Promise<ClusterStore>;

const EPOCH = Date.UTC(2026, 0, 1);

/** The store's clock in the contract: pods are created and deleted at this time. */
export const NOW = EPOCH + 3_600_000;

/** A fact time `seconds` after the epoch, RFC 3339. */
export const at = (seconds: number): string => new Date(EPOCH + seconds * 1000).toISOString();

export const KEY = 'default/agent';

export function aStatus(overrides: Partial<DaemonSetStatus> = {}): DaemonSetStatus {
  return { ...emptyDaemonSetStatus(1), ...overrides };
}

export function aStep(overrides: Partial<ReconcileStep> = {}): ReconcileStep {
  return { actions: [], revisions: [], status: aStatus(), memory: EMPTY_CONTROLLER_MEMORY, events: [], ...overrides };
}

export const createPod = (podName: string, nodeName: string, revisionHash = 'hash-1'): Action => ({
  kind: 'createPod',
  podName,
  nodeName,
  revisionHash,
});

export const deletePod = (podName: string, nodeName: string, reason: 'outdated' | 'orphaned' = 'outdated'): Action => ({
  kind: 'deletePod',
  podName,
  nodeName,
  reason,
});

export function aRevision(hash: string, revision: number, template: PodTemplate): ControllerRevision {
  return { name: `agent-${hash}`, hash, revision, template, creationTimestamp: at(0) };
}

export function aReport(
  podName: string,
  nodeName: string,
  observedAt: string,
  overrides: Partial<PodStatusReport> = {},
): PodStatusReport {
  return {
    namespace: 'default',
    daemonSet: 'agent',
    podName,
    nodeName,
    revisionHash: 'hash-1',
    phase: 'Running',
    ready: true,
    readySince: observedAt,
    observedAt,
    ...overrides,
  };
}

/** The DaemonSet's current version (it must exist). */
export async function versionOf(store: ClusterStore, key = KEY): Promise<number> {
  const stored = await store.getDaemonSet(key);
  if (stored === undefined) throw new Error(`${key} is not stored`);
  return stored.version;
}
