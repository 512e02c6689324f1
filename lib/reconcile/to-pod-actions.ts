/**
 * Invariants (asserted by test/property/reconcile-deletion.property.test.ts):
 * - At most burstReplicas creates and at most burstReplicas deletes: the first ones planned, creates first.
 * - One event per action, in the same order: SuccessfulCreate or SuccessfulDelete, naming the action's pod.
 */
import type { DaemonSet } from '../model/daemon-set.js';
import type { Action, PodDeletion } from '../model/pod.js';
import type { DaemonSetEvent } from '../model/status.js';

export type PodActionsInput = Readonly<{
  daemonSet: DaemonSet;
  hash: string;
  version: number;
  createOn: readonly string[];
  deletions: readonly PodDeletion[];
  now: number;
}>;

/**
 * Kubernetes' `syncNodes` for a pure planner: at most `rollout.burstReplicas` creates and as many deletes
 * (the first ones, in the order planned), creates first, each with a `SuccessfulCreate` or
 * `SuccessfulDelete` event as Kubernetes' pod control records.
 *
 * Slow start: Kubernetes issues creates in batches of 1, 2, 4, … and skips the rest after a batch with an
 * error. Here the creates are listed in that order; a store applying them in chunks applies them in this
 * order and stops at the first chunk that fails, and the next step (from a fresh snapshot) plans the rest
 * again, exactly like the skipped creates of a Kubernetes sync.
 */
export function toPodActions(
  input: PodActionsInput,
): Readonly<{ actions: readonly Action[]; events: readonly DaemonSetEvent[] }> {
  const burst = input.daemonSet.rollout.burstReplicas;
  const time = new Date(input.now).toISOString();
  const creates = input.createOn.slice(0, burst).map(
    (nodeName): Action => ({
      kind: 'createPod',
      podName: podName(input.daemonSet.name, nodeName, input.hash, input.version),
      nodeName,
      revisionHash: input.hash,
    }),
  );
  const deletes = input.deletions
    .slice(0, burst)
    .map(({ pod, reason }): Action => ({ kind: 'deletePod', podName: pod.name, nodeName: pod.nodeName, reason }));
  const actions = [...creates, ...deletes];
  const events = actions.map(
    (action): DaemonSetEvent =>
      action.kind === 'createPod'
        ? { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${action.podName}`, time }
        : { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${action.podName}`, time },
  );
  return { actions, events };
}

// Kubernetes' rand.SafeEncodeString alphabet: no vowels, no 0/1/3.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 10;
// Kubernetes' generateName keeps generated names within a DNS label (63 characters).
const MAX_PREFIX_LENGTH = 63 - SUFFIX_LENGTH;
const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/**
 * The name of the pod a step creates: `<daemonSetName>-<10 characters>`, the suffix a hash (64-bit FNV-1a,
 * safe-encoded) of the node, the revision hash and the snapshot version. Two planners working from the
 * same snapshot choose the same name (so only one create can win), and every later step, which reads a
 * newer version, chooses a new one (so a terminating pod's name is never reused). Like Kubernetes'
 * `generateName`, the prefix is cut so the whole name fits in 63 characters.
 *
 * @example
 * podName('node-exporter', 'node-1', '6d9f7c8b5d', 12); // 'node-exporter-' + 10 characters
 */
export function podName(daemonSetName: string, nodeName: string, revisionHash: string, version: number): string {
  const prefix = `${daemonSetName}-`.slice(0, MAX_PREFIX_LENGTH);
  let hash = fnv1a64(new TextEncoder().encode(`${nodeName}/${revisionHash}/${version}`));
  let suffix = '';
  for (let index = 0; index < SUFFIX_LENGTH; index += 1) {
    suffix += ALPHANUMS[Number(hash % BigInt(ALPHANUMS.length))];
    hash /= BigInt(ALPHANUMS.length);
  }
  return prefix + suffix;
}

function fnv1a64(bytes: Uint8Array): bigint {
  let hash = FNV64_OFFSET;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  return hash;
}
