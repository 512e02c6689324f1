import type { Node } from '../model/node.js';
import { STARTUP_TAINT_KEY } from '../model/node-lifecycle.js';

/** Labels everynode puts on nodes it learns about from EC2 and Auto Scaling events. */
export const INSTANCE_ID_LABEL = 'everynode.io/instance-id';
export const AUTO_SCALING_GROUP_LABEL = 'everynode.io/auto-scaling-group';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export type InstanceFacts = Readonly<{
  instanceId: string;
  /** RFC 3339: when the event happened. The node is Ready from then on. */
  time: string;
  zone?: string;
  autoScalingGroup?: string;
  /** The node joins gated: it carries the startup taint (`everynode.io/startup:NoSchedule`) from `time`. */
  gated?: boolean;
}>;

/**
 * The node an EC2 instance stands for: named after the instance id, labelled with what the event
 * told us, untainted (or carrying only the startup gate's taint when `gated`) and Ready since the event.
 *
 * @example
 * toInstanceNode({ instanceId: 'i-0abc', time: '2026-01-01T00:00:00.000Z', zone: 'eu-west-1a' }).labels
 * // { 'everynode.io/instance-id': 'i-0abc', 'topology.kubernetes.io/zone': 'eu-west-1a' }
 */
export function toInstanceNode(facts: InstanceFacts): Node {
  const labels: Record<string, string> = { [INSTANCE_ID_LABEL]: facts.instanceId };
  if (facts.zone !== undefined) labels[ZONE_LABEL] = facts.zone;
  if (facts.autoScalingGroup !== undefined) labels[AUTO_SCALING_GROUP_LABEL] = facts.autoScalingGroup;
  return {
    name: facts.instanceId,
    labels,
    taints: facts.gated === true ? [{ key: STARTUP_TAINT_KEY, effect: 'NoSchedule', timeAdded: facts.time }] : [],
    unschedulable: false,
    conditions: [{ type: 'Ready', status: 'True', reason: 'InstanceRunning', lastTransitionTime: facts.time }],
    allocatable: {},
    creationTimestamp: facts.time,
  };
}
