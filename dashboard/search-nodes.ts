import { labelSelectorMatches } from '../lib/labels/label-selector-matches.js';
import type { LabelSelector } from '../lib/model/daemon-set.js';
import { nodeReadyStatus } from '../lib/model/node.js';
import type { FleetColumn, FleetView } from './fleet-view.js';
import { stateAt } from './fleet-view.js';
import { isGatedNode, type NodeState } from './node-state.js';
import { isPlacementState, reasonsAt } from './why-not.js';

export type NodeSearch = Readonly<{
  /** Part of the node's name (case-insensitive). */
  name?: string;
  selector?: LabelSelector;
  /** With `state` or `reason`: the DaemonSet they are about. */
  column?: FleetColumn;
  state?: NodeState;
  /** A grouped reason from `whyNot` (needs `column`). */
  reason?: string;
  limit: number;
  /** Where the previous page ended (the `continue` it returned). */
  offset: number;
}>;

export type NodeListItem = Readonly<{
  name: string;
  ready: 'True' | 'False' | 'Unknown';
  unschedulable: boolean;
  gated: boolean;
  /** The state of `column`'s DaemonSet on the node, when the search named one. */
  state?: NodeState;
  /** Every DaemonSet's state on the node, in the summary's order. */
  states: readonly NodeState[];
}>;

export type NodeList = Readonly<{
  version: string;
  /** Matching nodes in all. */
  total: number;
  items: readonly NodeListItem[];
  /** Pass back as `continue` for the next page; absent on the last page. */
  continue?: string;
}>;

/** Nodes matching every given filter, by name, one page at a time (as `kubectl get nodes --limit` pages). */
export function searchNodes(view: FleetView, search: NodeSearch): NodeList {
  const needle = search.name?.toLowerCase();
  const { column, state, reason, selector } = search;
  const matching: number[] = [];
  view.nodes.forEach((node, index) => {
    if (needle !== undefined && !node.name.toLowerCase().includes(needle)) return;
    if (selector !== undefined && !labelSelectorMatches(selector, node.labels)) return;
    if (column !== undefined && state !== undefined && stateAt(column, index) !== state) return;
    if (column !== undefined && reason !== undefined) {
      if (!isPlacementState(column, index) || !reasonsAt(column, index).includes(reason)) return;
    }
    matching.push(index);
  });
  const page = matching.slice(search.offset, search.offset + search.limit);
  const next = search.offset + page.length;
  return {
    version: view.version,
    total: matching.length,
    items: page.map((index) => {
      const node = view.nodes[index];
      if (node === undefined) throw new Error(`no node at ${index}`);
      return {
        name: node.name,
        ready: nodeReadyStatus(node),
        unschedulable: node.unschedulable,
        gated: isGatedNode(node),
        ...(column === undefined ? {} : { state: stateAt(column, index) }),
        states: view.columns.map((each) => stateAt(each, index)),
      };
    }),
    ...(next < matching.length ? { continue: String(next) } : {}),
  };
}
