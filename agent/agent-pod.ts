import { CONTROLLER_REVISION_HASH_LABEL } from '../lib/manifest/pod-manifest.js';
import { isJsonObject } from '../lib/manifest/read-json.js';
import type { JsonObject, JsonValue } from '../lib/model/daemon-set.js';

/** A pod the agent runs, read from `GET /v1/nodes/{name}/pods`. */
export type AgentPod = Readonly<{
  name: string;
  namespace: string;
  daemonSet: string;
  revisionHash: string;
  deletionTimestamp?: string;
  spec: JsonObject;
  /** What the control plane has stored for it, to know when a report must be (re)sent. */
  stored: Readonly<{ phase: string; ready: boolean; restartCount?: number }>;
}>;

/** The pods of a `PodList`, skipping items that are not pods of a DaemonSet (they cannot be reported on). */
export function readAgentPods(list: unknown): AgentPod[] {
  const items =
    isJsonObject(list as JsonValue) && Array.isArray((list as JsonObject)['items'])
      ? (list as JsonObject)['items']
      : [];
  const pods: AgentPod[] = [];
  for (const item of items as JsonValue[]) {
    const pod = readAgentPod(item);
    if (pod !== undefined) pods.push(pod);
  }
  return pods;
}

function readAgentPod(item: JsonValue): AgentPod | undefined {
  if (!isJsonObject(item)) return undefined;
  const metadata = objectAt(item, 'metadata');
  const status = objectAt(item, 'status');
  const name = metadata['name'];
  const namespace = metadata['namespace'];
  const labels = objectAt(metadata, 'labels');
  const revisionHash = labels[CONTROLLER_REVISION_HASH_LABEL];
  const owners = Array.isArray(metadata['ownerReferences']) ? metadata['ownerReferences'] : [];
  const owner = owners.find((entry) => isJsonObject(entry) && entry['kind'] === 'DaemonSet');
  const daemonSet = isJsonObject(owner ?? null) ? (owner as JsonObject)['name'] : undefined;
  if (typeof name !== 'string' || typeof namespace !== 'string' || typeof revisionHash !== 'string') return undefined;
  if (typeof daemonSet !== 'string') return undefined;
  const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];
  const ready = conditions.some(
    (entry) => isJsonObject(entry) && entry['type'] === 'Ready' && entry['status'] === 'True',
  );
  const deletionTimestamp = metadata['deletionTimestamp'];
  const restartCount = status['restartCount'];
  return {
    name,
    namespace,
    daemonSet,
    revisionHash,
    ...(typeof deletionTimestamp === 'string' ? { deletionTimestamp } : {}),
    spec: objectAt(item, 'spec'),
    stored: {
      phase: typeof status['phase'] === 'string' ? status['phase'] : 'Pending',
      ready,
      ...(typeof restartCount === 'number' ? { restartCount } : {}),
    },
  };
}

/** The object at `key`, or an empty one. */
export function objectAt(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  return isJsonObject(value ?? null) ? (value as JsonObject) : {};
}

/** The objects of the list at `key` (non-objects skipped). */
export function objectsAt(object: JsonObject, key: string): JsonObject[] {
  const value = object[key];
  return Array.isArray(value) ? value.filter((entry): entry is JsonObject => isJsonObject(entry)) : [];
}

/** The strings of the list at `key`, or undefined when there is no list. */
export function stringsAt(object: JsonObject, key: string): string[] | undefined {
  const value = object[key];
  return Array.isArray(value) ? value.map(String) : undefined;
}
