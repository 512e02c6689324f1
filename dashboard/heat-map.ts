import { createHash } from 'node:crypto';
import type { FleetColumn, FleetView } from './fleet-view.js';
import { NODE_STATES, type NodeState } from './node-state.js';

/** Label keys offered first for grouping, when nodes carry them (EKS, Karpenter, kubelet well-known labels). */
const PREFERRED_GROUP_KEYS = [
  'topology.kubernetes.io/zone',
  'node.kubernetes.io/instance-type',
  'eks.amazonaws.com/nodegroup',
  'karpenter.sh/nodepool',
  'karpenter.sh/capacity-type',
  'kubernetes.io/arch',
];

/** What a group is called when its nodes lack the label. */
export const NO_LABEL = '(no label)';

/**
 * Worst first: the state a node shows in the all-DaemonSets map is the worst of its DaemonSets' states, so a
 * failure anywhere is never hidden by a healthy neighbour.
 */
const SEVERITY: readonly NodeState[] = [
  'failed',
  'missing',
  'terminating',
  'pending',
  'old',
  'gated',
  'current',
  'not-eligible',
];
const RANK = new Uint8Array(NODE_STATES.map((state) => SEVERITY.indexOf(state)));

export type HeatMapGroup = Readonly<{
  /** The label's value shared by the group's nodes (`NO_LABEL` for nodes without it). */
  value: string;
  /** Node names in the order of `states`; left out when the caller already holds this `namesVersion`. */
  nodes?: readonly string[];
  /** One character per node: the digit of its state in `NODE_STATES` (`0` current ... `7` not-eligible). */
  states: string;
}>;

export type HeatMap = Readonly<{
  version: string;
  /** `undefined`: every DaemonSet, each node showing its worst state. */
  daemonSet?: string;
  groupBy: string;
  /** Identifies the groups' node lists: unchanged while no node joins, leaves or changes the label. */
  namesVersion: string;
  stateNames: readonly NodeState[];
  groups: readonly HeatMapGroup[];
}>;

export type HeatMapQuery = Readonly<{ daemonSet?: string; groupBy: string; namesVersion?: string }>;

/**
 * The compact heat map: one character per node, nodes grouped by the value of one label (sorted, nodes
 * without it last) and by name within a group. Node names travel only when the client does not hold them
 * yet (`namesVersion`), so a refresh during a rollout costs about one byte per node.
 */
export function heatMap(view: FleetView, column: FleetColumn | undefined, query: HeatMapQuery): HeatMap {
  const byValue = new Map<string, number[]>();
  view.nodes.forEach((node, index) => {
    const value = Object.hasOwn(node.labels, query.groupBy) ? (node.labels[query.groupBy] ?? NO_LABEL) : NO_LABEL;
    const members = byValue.get(value);
    if (members === undefined) byValue.set(value, [index]);
    else members.push(index);
  });
  const values = [...byValue.keys()].toSorted((a, b) =>
    a === NO_LABEL ? 1 : b === NO_LABEL ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const names = createHash('sha1').update(query.groupBy);
  for (const value of values) {
    names.update(`\u0000${value}`);
    for (const index of byValue.get(value) ?? []) names.update(`\u0001${view.nodes[index]?.name}`);
  }
  const namesVersion = names.digest('base64url').slice(0, 16);
  const sendNames = query.namesVersion !== namesVersion;
  const stateOf = column === undefined ? worstState(view) : (index: number) => column.states[index] ?? 0;
  return {
    version: view.version,
    ...(column === undefined ? {} : { daemonSet: column.key }),
    groupBy: query.groupBy,
    namesVersion,
    stateNames: NODE_STATES,
    groups: values.map((value) => {
      const members = byValue.get(value) ?? [];
      return {
        value,
        ...(sendNames ? { nodes: members.map((index) => view.nodes[index]?.name ?? '') } : {}),
        states: members.map((index) => String(stateOf(index))).join(''),
      };
    }),
  };
}

function worstState(view: FleetView): (index: number) => number {
  return (index) => {
    let worst = NODE_STATES.indexOf('not-eligible');
    for (const column of view.columns) {
      const code = column.states[index] ?? worst;
      if ((RANK[code] ?? 0) < (RANK[worst] ?? 0)) worst = code;
    }
    return worst;
  };
}

/**
 * The label keys worth grouping by: the preferred well-known keys the fleet carries, then other keys found
 * on at least a tenth of the nodes with fewer distinct values than a fifth of the nodes (plus 2), by name.
 * Hostname-like keys (one value per node) are left out.
 */
export function groupByKeys(view: FleetView): readonly string[] {
  const values = new Map<string, Set<string>>();
  const holders = new Map<string, number>();
  for (const node of view.nodes) {
    for (const [key, value] of Object.entries(node.labels)) {
      holders.set(key, (holders.get(key) ?? 0) + 1);
      const seen = values.get(key) ?? new Set<string>();
      values.set(key, seen);
      if (seen.size <= view.nodes.length) seen.add(value);
    }
  }
  const total = view.nodes.length;
  const useful = [...holders.keys()].filter(
    (key) => (holders.get(key) ?? 0) * 10 >= total && (values.get(key)?.size ?? 0) <= Math.max(2, total / 5 + 2),
  );
  const preferred = PREFERRED_GROUP_KEYS.filter((key) => holders.has(key));
  const rest = useful.filter((key) => !preferred.includes(key)).toSorted();
  return [...preferred, ...rest].slice(0, 40);
}
