import type { PodPhase } from './pod.js';

/** What a node agent reports about one pod (the `PodStatusReported` event). */
export type PodStatusReport = Readonly<{
  namespace: string;
  daemonSet: string;
  podName: string;
  nodeName: string;
  revisionHash: string;
  phase: PodPhase;
  ready: boolean;
  /** lastTransitionTime of Ready, RFC 3339. */
  readySince?: string;
  /** When the agent observed this state, RFC 3339. Older reports than the stored one change nothing. */
  observedAt: string;
  /** The agent confirms the pod is gone from the node (ends a terminating pod). */
  gone?: boolean;
}>;
