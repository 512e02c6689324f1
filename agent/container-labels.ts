import type { AgentPod } from './agent-pod.js';

/** Labels that tie a Docker container to its node, pod and container, so a restarted agent adopts it. */
export const LABELS = {
  node: 'io.everynode.node',
  namespace: 'io.everynode.pod.namespace',
  pod: 'io.everynode.pod.name',
  daemonSet: 'io.everynode.daemonset',
  revision: 'io.everynode.revision',
  container: 'io.everynode.container.name',
  init: 'io.everynode.container.init',
  restartCount: 'io.everynode.container.restart-count',
  /** `true` on a pod's sandbox (pause) container, which holds the network namespace its containers share. */
  sandbox: 'io.everynode.sandbox',
} as const;

/** The container name of a pod's sandbox in its labels and Docker name, as the kubelet's `k8s_POD_...`. */
export const SANDBOX_CONTAINER_NAME = 'POD';

export function containerLabels(
  pod: AgentPod,
  container: string,
  nodeName: string,
  identity: Readonly<{ init: boolean; restartCount: number }>,
): Record<string, string> {
  return {
    [LABELS.node]: nodeName,
    [LABELS.namespace]: pod.namespace,
    [LABELS.pod]: pod.name,
    [LABELS.daemonSet]: pod.daemonSet,
    [LABELS.revision]: pod.revisionHash,
    [LABELS.container]: container,
    [LABELS.init]: String(identity.init),
    [LABELS.restartCount]: String(identity.restartCount),
  };
}

/** The Docker name of one run of a container (unique per node, pod, container and restart). */
export function containerName(
  nodeName: string,
  pod: Pick<AgentPod, 'namespace' | 'name'>,
  container: string,
  restartCount: number,
): string {
  return `everynode_${nodeName}_${pod.namespace}_${pod.name}_${container}_${restartCount}`.replace(
    /[^a-zA-Z0-9_.-]/g,
    '-',
  );
}
