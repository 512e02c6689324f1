import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../lib/manifest/to-node.js';
import { RESTARTED_AT_ANNOTATION } from '../../lib/manifest/unset-rollout-switches.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import { canonicalJson } from '../../lib/revision/canonical-json.js';

/**
 * True when the server's DaemonSet has the spec the user applied (compared as the model, after defaults), so
 * a re-apply of the same file reads `unchanged` and a write can be awaited until it shows.
 */
export function sameSpec(existing: unknown, applied: DaemonSet): boolean {
  const stored = existing === undefined ? undefined : toDaemonSet(existing);
  if (!stored?.ok || stored.value.deletionTimestamp !== undefined) return false;
  return canonical(specOf(keptRestart(stored.value, applied))) === canonical(specOf(applied));
}

/**
 * The stored DaemonSet without the `restartedAt` of `rollout restart` when the applied manifest does not
 * name it: an apply keeps it (as kubectl's merge does), so it is no difference.
 */
function keptRestart(stored: DaemonSet, applied: DaemonSet): DaemonSet {
  if (RESTARTED_AT_ANNOTATION in applied.template.metadata.annotations) return stored;
  const { [RESTARTED_AT_ANNOTATION]: _kept, ...annotations } = stored.template.metadata.annotations;
  return { ...stored, template: { ...stored.template, metadata: { ...stored.template.metadata, annotations } } };
}

function specOf(daemonSet: DaemonSet) {
  return {
    labels: daemonSet.labels,
    annotations: daemonSet.annotations,
    selector: daemonSet.selector,
    template: daemonSet.template,
    updateStrategy: daemonSet.updateStrategy,
    minReadySeconds: daemonSet.minReadySeconds,
    revisionHistoryLimit: daemonSet.revisionHistoryLimit,
    rollout: daemonSet.rollout,
  };
}

/** True when the server's node has the labels, taints and cordon state of `applied`. */
export function sameNode(existing: unknown, applied: Node): boolean {
  const stored = existing === undefined ? undefined : toNode(existing);
  if (!stored?.ok) return false;
  const spec = (node: Node) => ({ labels: node.labels, taints: node.taints, unschedulable: node.unschedulable });
  return canonical(spec(stored.value)) === canonical(spec(applied));
}

/** Key-order-independent JSON of a model value (a JSON round trip drops `undefined` members first). */
const canonical = (value: unknown): string => canonicalJson(JSON.parse(JSON.stringify(value)));
