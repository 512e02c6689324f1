import type { FleetColumn, FleetView } from './fleet-view.js';
import { stateAt } from './fleet-view.js';

export type WhyNotReason = Readonly<{
  /** The reason without node-specific detail, e.g. `nodeSelector nvidia.com/gpu.present=true does not match`. */
  reason: string;
  /** Nodes this reason applies to (a node with two reasons counts under both). */
  count: number;
  /** The first nodes by name; the whole list pages through `/dashboard/nodes?daemonSet=...&reason=...`. */
  sample: readonly string[];
}>;

export type WhyNot = Readonly<{
  version: string;
  daemonSet: string;
  /** Nodes without a pod because of placement (`not-eligible` or `gated`). */
  nodes: number;
  reasons: readonly WhyNotReason[];
}>;

const SAMPLE = 5;

/**
 * The placement reasons of one DaemonSet's `not-eligible` and `gated` nodes, grouped and counted, most
 * nodes first. Node-specific detail (`(node has hardware=cpu)`) is dropped from the group's text, so one
 * nodeSelector mismatch is one line however many values the nodes have.
 */
export function whyNot(view: FleetView, column: FleetColumn): WhyNot {
  const groups = new Map<string, { count: number; sample: string[] }>();
  let nodes = 0;
  view.nodes.forEach((node, index) => {
    if (!isPlacementState(column, index)) return;
    nodes += 1;
    for (const reason of new Set(reasonsAt(column, index))) {
      const group = groups.get(reason) ?? { count: 0, sample: [] };
      groups.set(reason, group);
      group.count += 1;
      if (group.sample.length < SAMPLE) group.sample.push(node.name);
    }
  });
  return {
    version: view.version,
    daemonSet: column.key,
    nodes,
    reasons: [...groups.entries()]
      .map(([reason, group]) => ({ reason, count: group.count, sample: group.sample }))
      .toSorted((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
  };
}

/** Whether node `index` has no pod because of placement. */
export function isPlacementState(column: FleetColumn, index: number): boolean {
  const state = stateAt(column, index);
  return state === 'not-eligible' || state === 'gated';
}

/** The grouped (node-independent) reasons of node `index`. */
export function reasonsAt(column: FleetColumn, index: number): readonly string[] {
  return column.reasons(index).map(withoutNodeDetail);
}

/**
 * Drops what differs from node to node: `(node has ...)` and `(node is ...)` details.
 *
 * @example
 * withoutNodeDetail('nodeSelector hardware=gpu does not match (node has hardware=cpu)');
 * // 'nodeSelector hardware=gpu does not match'
 */
export function withoutNodeDetail(reason: string): string {
  return reason.replaceAll(/ \(node (?:has|is) [^()]*\)/g, '');
}
