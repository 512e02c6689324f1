import type { JsonObject } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';

/**
 * The read-only annotation that shows a node's Auto Scaling lifecycle action (JSON: transition, group, hook,
 * token, result, completion). everynode keeps the action itself; the annotation is not read back.
 */
export const LIFECYCLE_ACTION_ANNOTATION = 'everynode.io/lifecycle-action';

/** The read-only annotation that shows a drain asked for on the node (JSON: requestedAt, timeout, keep, completion). */
export const DRAIN_ANNOTATION = 'everynode.io/drain';

/** Renders a Node as `kubectl get node -o json` prints it (the parts everynode keeps). The inverse of `toNode`. */
export function fromNode(node: Node): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      ...(Object.keys(node.labels).length === 0 ? {} : { labels: node.labels }),
      ...(node.lifecycleAction === undefined && node.drain === undefined
        ? {}
        : {
            annotations: {
              ...(node.lifecycleAction === undefined
                ? {}
                : { [LIFECYCLE_ACTION_ANNOTATION]: JSON.stringify(node.lifecycleAction) }),
              ...(node.drain === undefined ? {} : { [DRAIN_ANNOTATION]: JSON.stringify(node.drain) }),
            },
          }),
      ...(node.creationTimestamp === undefined ? {} : { creationTimestamp: node.creationTimestamp }),
      ...(node.resourceVersion === undefined ? {} : { resourceVersion: node.resourceVersion }),
    },
    spec: {
      ...(node.unschedulable ? { unschedulable: true } : {}),
      ...(node.taints.length === 0 ? {} : { taints: node.taints }),
    },
    status: {
      ...(Object.keys(node.allocatable).length === 0 ? {} : { allocatable: node.allocatable }),
      ...(node.conditions.length === 0 ? {} : { conditions: node.conditions }),
    },
  };
}
