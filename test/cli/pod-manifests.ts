import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export type PodSketch = Readonly<{
  node: string;
  hash: string;
  name?: string;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** RFC 3339; pods are created at the epoch of the walk unless told otherwise. */
  created?: string;
  namespace?: string;
}>;

const CREATED = '2024-05-03T11:00:00Z';

/** A v1 Pod of the fluentd-logger DaemonSet, as `kubectl get pods -o yaml` would print the parts that matter. */
export function podManifest(pod: PodSketch): Record<string, unknown> {
  const ready = pod.ready ?? false;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name ?? `fluentd-logger-${pod.node}`,
      namespace: pod.namespace ?? 'kube-system',
      labels: { name: 'fluentd-logger', 'controller-revision-hash': pod.hash },
      creationTimestamp: pod.created ?? CREATED,
    },
    spec: { nodeName: pod.node, containers: [{ name: 'fluentd', image: 'fluent/fluentd:v1.14' }] },
    status: {
      phase: pod.phase ?? (ready ? 'Running' : 'Pending'),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: CREATED }],
    },
  };
}

/** A scratch folder for files a test writes (under the per-run TMPDIR). */
export function scratchFolder(): string {
  return mkdtempSync(join(tmpdir(), 'everynode-cli-'));
}

/** Writes a PodList of the given pods and returns its path. */
export function writePods(folder: string, name: string, pods: readonly PodSketch[]): string {
  const path = join(folder, name);
  writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'List', items: pods.map(podManifest) }));
  return path;
}

/** Writes any YAML document and returns its path. */
export function writeYaml(folder: string, name: string, value: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, stringify(value));
  return path;
}
