import type { PlacementSpec } from './pod-spec.js';

/** `namespace/name`, the identity of a DaemonSet everywhere (queues, store keys, logs). */
export type DaemonSetKey = string;

export function toDaemonSetKey(namespace: string, name: string): DaemonSetKey {
  return `${namespace}/${name}`;
}

export function fromDaemonSetKey(key: DaemonSetKey): Readonly<{ namespace: string; name: string }> {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) throw new Error(`not a daemon set key: ${JSON.stringify(key)}`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The pod template exactly as the manifest gave it (after defaults), kept as JSON so it hashes stably. */
export type PodTemplate = Readonly<{
  metadata: Readonly<{ labels: Readonly<Record<string, string>>; annotations: Readonly<Record<string, string>> }>;
  spec: JsonObject;
}>;

export type RollingUpdateStrategy = Readonly<{
  type: 'RollingUpdate';
  maxUnavailable: IntOrPercent;
  maxSurge: IntOrPercent;
}>;

export type OnDeleteStrategy = Readonly<{ type: 'OnDelete' }>;

export type UpdateStrategy = RollingUpdateStrategy | OnDeleteStrategy;

/**
 * Rollout controls beyond Kubernetes. Every field is off by default, and when off the behaviour is
 * exactly Kubernetes'. They come from OpenKruise fields or `everynode.io/...` annotations.
 */
export type RolloutControls = Readonly<{
  /** Existing pods are not updated; new nodes still get pods (OpenKruise `rollingUpdate.paused`). */
  paused: boolean;
  /** Nothing changes at all, new nodes included (Datadog EDS freeze). */
  frozen: boolean;
  /** Keep this many (or this percentage of) desired nodes on old revisions (OpenKruise `rollingUpdate.partition`). */
  partition?: IntOrPercent;
  /** Only nodes matching this selector are updated (OpenKruise `rollingUpdate.selector`). */
  canarySelector?: LabelSelector;
  /** Seconds without a new pod becoming available before `Progressing=False/ProgressDeadlineExceeded`. */
  progressDeadlineSeconds?: number;
  /** Roll back to the last fully available revision when the progress deadline is exceeded. */
  autoRevert: boolean;
  /** Nodes NotReady before the rollout reached them do not use up maxUnavailable (kubernetes#117204). */
  notReadyAware: boolean;
  /** Creates and deletes per reconcile step (Kubernetes' BurstReplicas, 250). */
  burstReplicas: number;
}>;

/** The rollout switches that `everynode rollout pause|resume|freeze|unfreeze` flips, each a fact with its own time. */
export type RolloutSwitch = 'paused' | 'frozen';

/**
 * What a later apply keeps when its manifest leaves it unset, as kubectl's merge keeps fields another actor set:
 * the rollout switches, and the template's `restartedAt` that `rollout restart` sets.
 */
export type KeptOnApply = RolloutSwitch | 'restartedAt';

export const DEFAULT_BURST_REPLICAS = 250;

export const DEFAULT_ROLLOUT_CONTROLS: RolloutControls = {
  paused: false,
  frozen: false,
  autoRevert: false,
  notReadyAware: false,
  burstReplicas: DEFAULT_BURST_REPLICAS,
};

/** A validated, defaulted apps/v1 DaemonSet (or an OpenKruise one mapped onto the same shape). */
export type DaemonSet = Readonly<{
  namespace: string;
  name: string;
  /** The manifest's apiVersion, e.g. `apps/v1` or `apps.kruise.io/v1beta1`. */
  apiVersion: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** Bumped by the store whenever the spec changes (as the API server bumps metadata.generation). */
  generation: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  selector: LabelSelector;
  template: PodTemplate;
  /** Typed view of `template.spec` for placement. */
  placement: PlacementSpec;
  updateStrategy: UpdateStrategy;
  minReadySeconds: number;
  revisionHistoryLimit: number;
  rollout: RolloutControls;
}>;

/** A plain JSON value, as templates are kept and hashed. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** Kubernetes IntOrString as used by rolling-update limits: an absolute count or a percentage. */
export type IntOrPercent = number | Readonly<{ percent: number }>;

/** Renders a limit as Kubernetes prints it: `1` or `"25%"`. */
export function formatIntOrPercent(value: IntOrPercent): number | string {
  return typeof value === 'number' ? value : `${value.percent}%`;
}

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export type LabelSelectorRequirement = Readonly<{
  key: string;
  operator: LabelSelectorOperator;
  values?: readonly string[];
}>;

/** A metav1.LabelSelector: matchLabels and matchExpressions, ANDed. */
export type LabelSelector = Readonly<{
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly LabelSelectorRequirement[];
}>;

/** A ControllerRevision: one pod template the DaemonSet has run, numbered in the order it was current. */
export type ControllerRevision = Readonly<{
  /** `<daemon set name>-<hash>` */
  name: string;
  /** The `controller-revision-hash` pods of this revision carry. */
  hash: string;
  revision: number;
  template: PodTemplate;
  creationTimestamp: string;
  /**
   * The DaemonSet's `kubernetes.io/change-cause` annotation when the revision was created (Kubernetes copies
   * the DaemonSet's annotations onto the ControllerRevision; `rollout history` shows this one).
   */
  changeCause?: string;
}>;
