import type { ConditionStatus } from '../lib/model/node.js';

/**
 * What a grid cell shows: the state of the DaemonSet's pod on that node.
 * - `current`: running and ready at the current revision.
 * - `old`: a pod of an older revision (waiting to be updated).
 * - `pending`: a pod at the current revision that is not ready yet.
 * - `failed`: the pod's phase is Failed.
 * - `terminating`: the only pods left are being deleted.
 * - `missing`: the node should run a pod and has none yet.
 * - `not-eligible`: the node should not run a pod (the reasons say why).
 */
export type CellState = 'current' | 'old' | 'pending' | 'failed' | 'terminating' | 'missing' | 'not-eligible';

export type DashboardCell = Readonly<{
  /** `namespace/name` of the column's DaemonSet. */
  daemonSet: string;
  state: CellState;
  /** A text mark, so the state never depends on colour alone. */
  symbol: string;
  /** Short visible text, e.g. `ready` or `rev 2`. */
  label: string;
  /** The full explanation, shown on hover (placement reasons for `not-eligible`). */
  title: string;
  pod?: string;
  revisionHash?: string;
}>;

export type NodeBadge = Readonly<{ kind: 'not-ready' | 'cordoned' | 'taint'; text: string }>;

export type DashboardRow = Readonly<{
  node: string;
  ready: ConditionStatus;
  badges: readonly NodeBadge[];
  /** One cell per DaemonSet, in the order of `daemonSets`. */
  cells: readonly DashboardCell[];
}>;

export type DashboardDaemonSet = Readonly<{
  key: string;
  namespace: string;
  name: string;
  strategy: 'RollingUpdate' | 'OnDelete';
  /** The hash pods of the current template carry. */
  currentRevision: string;
  desired: number;
  updated: number;
  available: number;
  ready: number;
  /** True while a rolling update has work left (not all desired pods updated and available). */
  rolling: boolean;
  paused: boolean;
  frozen: boolean;
  deleting: boolean;
  /** Warnings to surface, e.g. `Progressing=False: ProgressDeadlineExceeded`. */
  warnings: readonly string[];
}>;

/** The JSON `/dashboard/state` returns and the page renders: rows are nodes, columns are DaemonSets. */
export type DashboardState = Readonly<{
  generatedAt: string;
  daemonSets: readonly DashboardDaemonSet[];
  rows: readonly DashboardRow[];
}>;
