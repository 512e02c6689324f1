/*
 * The `everynode.io/...` annotations: rollout controls beyond Kubernetes, set on the DaemonSet's metadata so
 * an apps/v1 manifest stays valid for a real cluster. Every knob is off by default; off means exactly
 * Kubernetes' behaviour. The README documents each one from EVERYNODE_ANNOTATIONS.
 */

/** `"true"`: stop replacing existing pods; nodes that join still get one. */
export const PAUSED_ANNOTATION = 'everynode.io/paused';
/** `"true"`: change nothing, not even for nodes that join. */
export const FROZEN_ANNOTATION = 'everynode.io/frozen';
/** `"3"` or `"20%"`: desired nodes kept on older revisions. */
export const PARTITION_ANNOTATION = 'everynode.io/partition';
/** A label selector string: only matching nodes are updated. */
export const CANARY_SELECTOR_ANNOTATION = 'everynode.io/canary-selector';
/** Seconds without progress before the rollout is reported as failed. */
export const PROGRESS_DEADLINE_SECONDS_ANNOTATION = 'everynode.io/progress-deadline-seconds';
/** `"true"`: roll back when the progress deadline is exceeded. */
export const AUTO_REVERT_ANNOTATION = 'everynode.io/auto-revert';
/** `"true"`: nodes NotReady before the rollout do not use up maxUnavailable. */
export const NOT_READY_AWARE_ANNOTATION = 'everynode.io/not-ready-aware';
/** Creates and deletes per reconcile step (default 250). */
export const BURST_REPLICAS_ANNOTATION = 'everynode.io/burst-replicas';

/** `"true"` or `"continuous"`: the DaemonSet is startup-critical; gated nodes wait for its pods. */
export const STARTUP_CRITICAL_ANNOTATION = 'everynode.io/startup-critical';
/** Seconds a gated node waits for this DaemonSet's pod before the gate reports a timeout (the shortest applies). */
export const STARTUP_TIMEOUT_SECONDS_ANNOTATION = 'everynode.io/startup-timeout-seconds';

export type EverynodeAnnotation = Readonly<{
  name: string;
  /** The accepted values, as a user would write them. */
  values: string;
  /** The behaviour when the annotation is absent. */
  default: string;
  description: string;
  /** The OpenKruise field that sets the same control on an `apps.kruise.io` DaemonSet, if any. */
  kruiseField?: string;
}>;

/** Every rollout annotation with its values, default and meaning, in the order the README lists them. */
export const EVERYNODE_ANNOTATIONS: readonly EverynodeAnnotation[] = [
  {
    name: PAUSED_ANNOTATION,
    values: '"true" | "false"',
    default: '"false"',
    description: 'Stop replacing existing pods; nodes that join still get a pod of the current revision.',
    kruiseField: 'spec.updateStrategy.rollingUpdate.paused',
  },
  {
    name: FROZEN_ANNOTATION,
    values: '"true" | "false"',
    default: '"false"',
    description: 'Change nothing at all: no updates, and no pods for nodes that join (Datadog EDS "freeze").',
  },
  {
    name: PARTITION_ANNOTATION,
    values: 'an integer >= 0 or a percentage such as "20%"',
    default: '"0"',
    description: 'Keep this many (or this share of) desired nodes on older revisions during a rolling update.',
    kruiseField: 'spec.updateStrategy.rollingUpdate.partition',
  },
  {
    name: CANARY_SELECTOR_ANNOTATION,
    values: 'a label selector such as "zone=a,tier in (x,y)"',
    default: 'every node',
    description: 'Update only pods on nodes whose labels match; the others stay on their revision.',
    kruiseField: 'spec.updateStrategy.rollingUpdate.selector',
  },
  {
    name: PROGRESS_DEADLINE_SECONDS_ANNOTATION,
    values: 'an integer > 0, greater than minReadySeconds',
    default: 'no deadline',
    description: 'Report Progressing=False/ProgressDeadlineExceeded when no new pod becomes available for this long.',
  },
  {
    name: AUTO_REVERT_ANNOTATION,
    values: '"true" | "false" (needs everynode.io/progress-deadline-seconds)',
    default: '"false"',
    description: 'When the progress deadline is exceeded, roll back to the last revision that was fully available.',
  },
  {
    name: NOT_READY_AWARE_ANNOTATION,
    values: '"true" | "false"',
    default: '"false"',
    description:
      'Nodes already NotReady before the rollout reached them do not use up maxUnavailable (kubernetes#117204).',
  },
  {
    name: BURST_REPLICAS_ANNOTATION,
    values: 'an integer >= 1',
    default: '"250" (Kubernetes BurstReplicas)',
    description: 'The most pod creations and deletions one reconcile step may issue.',
    kruiseField: 'spec.burstReplicas',
  },
];

/**
 * The node-lifecycle annotations. Unlike the rollout controls they stay in `DaemonSet.annotations` (read with
 * `startupGateOf`), so they round-trip untouched.
 */
export const STARTUP_ANNOTATIONS: readonly EverynodeAnnotation[] = [
  {
    name: STARTUP_CRITICAL_ANNOTATION,
    values: '"true" | "continuous" | "false"',
    default: '"false"',
    description:
      'Startup-critical: its pods tolerate the everynode.io/startup taint, and a gated node opens only once this DaemonSet has an available pod there; "continuous" also re-gates the node while that pod is unavailable.',
  },
  {
    name: STARTUP_TIMEOUT_SECONDS_ANNOTATION,
    values: 'an integer > 0 (needs everynode.io/startup-critical)',
    default: 'no deadline',
    description:
      'How long a gated node waits for this DaemonSet; then it keeps its taint and reports StartupComplete=False (the shortest of its critical DaemonSets applies).',
  },
];

const NAMES: ReadonlySet<string> = new Set(EVERYNODE_ANNOTATIONS.map((annotation) => annotation.name));

/** Whether an annotation is one of the rollout controls above (read into `DaemonSet.rollout`). */
export function isRolloutAnnotation(name: string): boolean {
  return NAMES.has(name);
}

/** `metadata.annotations[<name>]`, the field path Kubernetes uses for one annotation. */
export function annotationPath(name: string): string {
  return `metadata.annotations[${name}]`;
}
