import type { DaemonSetKey } from '../../model/daemon-set.js';

/** The `ClusterStore` methods that write. */
export type WriteOperation =
  | 'putNode'
  | 'removeNode'
  | 'applyDaemonSet'
  | 'deleteDaemonSet'
  | 'updateDaemonSet'
  | 'setRolloutSwitch'
  | 'putPodStatus'
  | 'deletePod'
  | 'recordRejection'
  | 'recordNodeEvent'
  | 'applyStep'
  | 'markReconcilePending'
  | 'clearReconcilePending';

/** Test seams shared by both stores. */
export type ClusterStoreHooks = Readonly<{
  /** Called before each write method does anything; throw (or reject) to inject a fault. */
  beforeWrite?: (operation: WriteOperation, key: string) => void | Promise<void>;
  /**
   * Called by `updateDaemonSet` after `change` ran and before its conditional write (attempt counts from 1):
   * a competing writer that moves the DaemonSet here makes that write lose and retry.
   */
  beforeUpdateWrite?: (key: DaemonSetKey, attempt: number) => void | Promise<void>;
  /**
   * Called after each chunk of a multi-chunk `applyStep` commits, before the next one is sent: the moment
   * a competing reconciler could interleave. Tests use it to prove the claim protocol holds.
   */
  afterChunk?: (key: DaemonSetKey, chunkIndex: number, chunkCount: number) => void | Promise<void>;
  /**
   * DynamoDB store: called when the removal of a deleted DaemonSet has claimed it and before its records go, the
   * moment a re-apply could come in. (The in-memory store removes in one step.)
   */
  afterRemovalClaim?: (key: DaemonSetKey) => void | Promise<void>;
  /**
   * DynamoDB store: called when a claimed step (docs/decisions/0009) holds its claim and before it sends its
   * items: the moment a competing writer, or a stall past the claim's lease, could come in.
   */
  afterClaim?: (key: DaemonSetKey) => void | Promise<void>;
  /** DynamoDB store: called when a reader has taken over an expired claim (`recover-claim.ts`). */
  afterClaimTakenOver?: (key: DaemonSetKey) => void | Promise<void>;
  /** DynamoDB store: called when a claimer has renewed the lease of its claim (a step longer than half a lease). */
  afterClaimRenewed?: (key: DaemonSetKey) => void | Promise<void>;
}>;

/** Settings both `ClusterStore` implementations accept. Every field has a default. */
export type ClusterStoreOptions = Readonly<{
  /** Epoch milliseconds, stamped on pods as `creationTimestamp` and `deletionTimestamp`. @default Date.now */
  now?: () => number;
  /** How long removal tombstones (nodes, DaemonSets) block older facts. @default 86_400 (one day) */
  tombstoneSeconds?: number;
  /** How long a pod status without a desired pod (or a `gone` marker) is kept. @default 86_400 */
  orphanStatusSeconds?: number;
  /** How long DaemonSet events are kept (Kubernetes' `--event-ttl` is one hour). @default 86_400 */
  eventSeconds?: number;
  /** How long rejections are kept. @default 604_800 (seven days) */
  rejectionSeconds?: number;
  /**
   * How late a write may land after the time it carries (DynamoDB store: how far every incremental read
   * looks back, docs/decisions/0005). It must exceed the longest any writer can keep a write in flight: the
   * timeout of the longest-running function that writes, plus clock skew. The deployed stack passes its
   * functions' longest timeout plus a minute. @default 1_200_000 (20 minutes: any Lambda's 15-minute limit fits)
   */
  writeLagMs?: number;
  /**
   * DynamoDB store: a step that writes at least this many items is written as a claimed step (one claim, the
   * items as plain writes at one unit each, a step log, a release: docs/decisions/0009) instead of in chunked
   * transactions, which bill every item twice. @default 8
   */
  claimedStepItems?: number;
  hooks?: ClusterStoreHooks;
}>;

/** `ClusterStoreOptions` with every default filled in. */
export type StoreSettings = Readonly<{
  now: () => number;
  tombstoneSeconds: number;
  orphanStatusSeconds: number;
  eventSeconds: number;
  rejectionSeconds: number;
  writeLagMs: number;
  claimedStepItems: number;
  hooks: ClusterStoreHooks;
}>;

const DAY_SECONDS = 86_400;

/** `writeLagMs` when none is given: longer than any Lambda invocation (15 minutes) with its retries. */
export const DEFAULT_WRITE_LAG_MS = 20 * 60_000;

/** `claimedStepItems` when none is given: from here a claimed step costs fewer units than a transaction (decision 0009). */
export const DEFAULT_CLAIMED_STEP_ITEMS = 8;

/** Fills in the defaults of `ClusterStoreOptions`. */
export function toStoreSettings(options: ClusterStoreOptions = {}): StoreSettings {
  return {
    now: options.now ?? Date.now,
    tombstoneSeconds: options.tombstoneSeconds ?? DAY_SECONDS,
    orphanStatusSeconds: options.orphanStatusSeconds ?? DAY_SECONDS,
    eventSeconds: options.eventSeconds ?? DAY_SECONDS,
    rejectionSeconds: options.rejectionSeconds ?? 7 * DAY_SECONDS,
    writeLagMs: options.writeLagMs ?? DEFAULT_WRITE_LAG_MS,
    claimedStepItems: options.claimedStepItems ?? DEFAULT_CLAIMED_STEP_ITEMS,
    hooks: options.hooks ?? {},
  };
}

/** The most events a DaemonSet keeps (and `listEvents` returns): the newest ones. */
export const MAX_EVENTS_PER_DAEMON_SET = 100;

/** How many times a fact write re-reads and retries after losing a race, before giving up. */
export const MAX_WRITE_ATTEMPTS = 8;
