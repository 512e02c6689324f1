import { EMPTY_CONTROLLER_MEMORY } from '../../../lib/model/controller-memory.js';
import { emptyDaemonSetStatus } from '../../../lib/model/status.js';
import type { ReconcileStep } from '../../../lib/ports/reconcile-step.js';
import type { LiveDaemonSet } from '../../../lib/store/plan/stored-records.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';

export const STATUS = emptyDaemonSetStatus(1);

/** The stored DaemonSet record at `version`, with `STATUS` and empty memory. */
export function aLiveRecord(version: number, overrides: Partial<LiveDaemonSet> = {}): LiveDaemonSet {
  return {
    kind: 'live',
    daemonSet: { ...aDaemonSet('agent').build(), creationTimestamp: '2026-01-01T00:00:00.000Z' },
    version,
    observedAt: '2026-01-01T00:00:00.000Z',
    status: STATUS,
    memory: EMPTY_CONTROLLER_MEMORY,
    ...overrides,
  };
}

export function aStep(overrides: Partial<ReconcileStep> = {}): ReconcileStep {
  return { actions: [], revisions: [], status: STATUS, memory: EMPTY_CONTROLLER_MEMORY, events: [], ...overrides };
}

export const creates = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    kind: 'createPod' as const,
    podName: `agent-${index}`,
    nodeName: `node-${index}`,
    revisionHash: 'hash-1',
  }));
