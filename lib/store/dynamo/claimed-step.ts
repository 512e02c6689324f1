import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DaemonSetKey } from '../../model/daemon-set.js';
import { VersionConflictError } from '../../ports/errors.js';
import { expiresAfter } from '../plan/plan-fact.js';
import type { ItemWrite, StepWrites } from '../plan/plan-step-writes.js';
import { BATCH_WRITE_LIMIT, backOff, hasRequests, MAX_BATCH_ATTEMPTS } from './batch-write.js';
import { isConditionFailure, throwAsConflict } from './condition-failure.js';
import {
  type AnyCommand,
  type RecordedAttempts,
  sendRecordingAttempts,
  wasRefused,
  wasThrottled,
} from './send-recording-attempts.js';
import { toStepLogItem } from './step-log.js';
import {
  CLAIM_ID,
  CLAIM_UNTIL,
  type DynamoContext,
  daemonSetPartition,
  daemonSetStateItemKey,
  type Item,
  newWriteStamp,
  PENDING_SINCE,
  type StepClaim,
  sortKeyOf,
} from './table.js';
import { type TransactItem, toTransactItem } from './transact-item.js';

// A claimed step (docs/decisions/0009, section 1): a step of many items claims its DaemonSet in one conditional
// update, sends its items as plain writes (one write unit each, where a transaction bills two), lists them in a
// step log and releases the claim with its status. While the claim holds, every other step writer is refused
// (its guard requires no claim), so nobody decides from the half-written step; a claimer that cannot finish leaves
// its claim to expire, and the next pass takes it over (`recover-claim.ts`) once every write it sent has landed.
//
// Invariants:
// - A claimed version exists only with its claim: the claim moves the version on and sets it, the release removes
//   it and moves the version on again (by one, whatever a spec write made of it meanwhile).
// - The claimer sends nothing after `until - CLAIM_MARGIN_MS` on its clock, and releases only when the outcome of
//   every item it sent is known: written, or refused by its condition. An error that leaves an outcome unknown
//   leaves the claim to expire, because the write may still land up to `writeLagMs` later. A request DynamoDB
//   refused for throughput is a known outcome (nothing applied): it is sent again, the claim kept.
// - A step longer than its lease renews it, only while the lease holds: the renewal (`claimUntil` moved on, at the
//   claim's id and the `until` the claimer knows) is sent before `until - CLAIM_MARGIN_MS`, so it lands before any
//   taker may judge the claim expired (`until + writeLagMs`), and the taker's removal requires the `until` it read.
// - Items carry the claim's id as their write id and no `seq`: warm readers learn of them through the step log,
//   written after the last item and before the release, or, for a claim that expired, through the log its
//   takeover writes.
// - The release removes the pending-reconcile marker, so the claimer's next pass is enqueued and loads after it:
//   a pass that found the claim waits only for the claim to expire (a claimer that died), never for the release.
// - A release with status only after every item was written: a refused item (a user's delete, a `gone` report got
//   there first) releases without status, as a partial step the next pass plans from, and reports a conflict.

/** How long a claimer may send its step's writes. */
export const CLAIM_LEASE_MS = 30_000;

/** A claimer stops sending this long before its lease ends, for clock skew and the time a request takes. */
export const CLAIM_MARGIN_MS = 5_000;

/** A claimer renews its lease before sending once less than this is left of it. */
export const CLAIM_RENEW_BEFORE_MS = 15_000;

/** Requests (a BatchWriteItem of 25, or a single conditional write) a claimer keeps in flight. */
const REQUESTS_IN_FLIGHT = 8;

/** Sort keys per step log item: about 150 KB of keys, far below DynamoDB's 400 KB item limit. */
const KEYS_PER_LOG = 2_000;

/** The claimer ran out of lease before its step was written: the claim is left to expire. */
export class ClaimLeaseEndedError extends Error {
  override readonly name = 'ClaimLeaseEndedError';
}

/** A write whose outcome is unknown (an attempt DynamoDB did not refuse failed): the claim is left to expire. */
export class UncertainClaimedWriteError extends Error {
  override readonly name = 'UncertainClaimedWriteError';
}

/**
 * Writes a step as a claimed step: claim (version `expectedVersion` → +1, no live claim), items, step log, release
 * (version + 1, status and memory, claim removed). Returns the whole items it put, for the writer's partition cache.
 * Never for a step that rewrites the spec or sets the pending marker: those stay in transactions.
 *
 * @throws {VersionConflictError} the DaemonSet moved or is claimed, or an item was not as the step expected.
 * @throws {ClaimLeaseEndedError | UncertainClaimedWriteError} or any write error: the claim stays until it expires.
 */
export async function applyClaimedStep(
  context: DynamoContext,
  key: DaemonSetKey,
  writes: StepWrites,
  expectedVersion: number,
): Promise<readonly Item[]> {
  const claim: StepClaim = {
    id: newWriteStamp(context).writeId,
    until: context.settings.now() + CLAIM_LEASE_MS,
  };
  try {
    await context.client.send(new UpdateCommand(toClaimUpdate(context, key, claim, expectedVersion)));
  } catch (error) {
    throwAsConflict(key, error);
  }
  await context.settings.hooks.afterClaim?.(key);
  const writer = new ClaimedWriter(context, key, claim);
  // New revisions first (pods name them), then the pods, then the revisions renumbered or deleted.
  const phases = [
    writes.items.filter((write) => write.kind === 'createRevision'),
    writes.items.filter((write) => write.kind !== 'createRevision' && !isRevisionChange(write)),
    writes.items.filter(isRevisionChange),
  ];
  for (const phase of phases) {
    if (!writer.refused) await writer.write(phase);
  }
  await writer.log();
  await writer.release(writer.refused ? undefined : writes.update);
  if (writer.refused) throw new VersionConflictError(key);
  return writer.whole;
}

const isRevisionChange = (write: ItemWrite): boolean =>
  write.kind === 'renumberRevision' || write.kind === 'deleteRevision';

/**
 * A create names a new pod (a fresh random name) and a status removal is unconditional anyway: once the claim
 * fences every other step writer, neither needs a condition, so they go in BatchWriteItems. Everything else
 * (a mark for deletion, which a user's delete or a `gone` report may have overtaken; revision changes) keeps its
 * condition in a write of its own.
 */
const isBatched = (write: ItemWrite): boolean => write.kind === 'createPod' || write.kind === 'removePodStatus';

class ClaimedWriter {
  readonly #context: DynamoContext;
  readonly #key: DaemonSetKey;
  /** The claim, its `until` moved on by each renewal. */
  #claim: StepClaim;
  /** The renewal under way, which every sender waits for. */
  #renewing: Promise<void> | undefined;
  /** Sort keys of every item sent, in order: what the step log names. */
  readonly #sent: string[] = [];
  /** Whole items put (creates, removal markers), for the writer's cache. */
  readonly whole: Item[] = [];
  refused = false;

  constructor(context: DynamoContext, key: DaemonSetKey, claim: StepClaim) {
    this.#context = context;
    this.#key = key;
    this.#claim = claim;
  }

  /** Sends a phase's items, `REQUESTS_IN_FLIGHT` requests at a time; stops early once one is refused. */
  async write(writes: readonly ItemWrite[]): Promise<void> {
    const stamp = { writeId: this.#claim.id };
    const items = writes.map((write) => ({ write, item: toTransactItem(this.#context, this.#key, write, stamp) }));
    const batched = items.filter(({ write }) => isBatched(write)).map(({ item }) => item);
    const requests: (() => Promise<void>)[] = [];
    for (let start = 0; start < batched.length; start += BATCH_WRITE_LIMIT) {
      const batch = batched.slice(start, start + BATCH_WRITE_LIMIT);
      requests.push(() => this.#batch(batch));
    }
    for (const { write, item } of items) if (!isBatched(write)) requests.push(() => this.#single(item));
    let next = 0;
    const errors: unknown[] = [];
    const worker = async (): Promise<void> => {
      for (let index = next++; index < requests.length && !this.refused && errors.length === 0; index = next++) {
        try {
          await requests[index]?.();
        } catch (error) {
          errors.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REQUESTS_IN_FLIGHT, requests.length) }, worker));
    if (errors.length > 0) throw errors[0];
  }

  /**
   * Lists what was sent in step logs, so warm readers fetch it. The logs join the whole items for the writer's
   * cache only when every item sent is whole there: an updated item is not known whole, so the writer's next read
   * must still fetch it through the log.
   */
  async log(): Promise<void> {
    const logs = await putStepLogs(this.#context, this.#key, this.#claim.id, this.#sent, () => this.#beforeSend());
    if (this.whole.length === this.#sent.length) this.whole.push(...logs);
  }

  /**
   * Releases the claim: the version moves on by one, the status and memory (absent when an item was refused) are
   * written, the claim goes. Refused when the claim is no longer ours (it expired and was taken over).
   *
   * The pending-reconcile marker goes too (docs/decisions/0004): a pass it stood for may have loaded during the
   * claim and gone away to wait for it, so it no longer stands for a pass that loads after this step. Without it
   * the claimer's own next pass is enqueued, and loads after the release.
   */
  async release(update: StepWrites['update'] | undefined): Promise<void> {
    this.#withinLease();
    const sets = update === undefined ? [] : ['#status = :status', '#memory = :memory'];
    const input: UpdateCommandInput = {
      TableName: this.#context.tableName,
      Key: daemonSetStateItemKey(this.#key),
      UpdateExpression: `SET ${['#version = #version + :one', ...sets].join(', ')} REMOVE #claimId, #claimUntil, #pending`,
      ConditionExpression: '#claimId = :claimId',
      ExpressionAttributeNames: {
        '#version': 'version',
        '#claimId': CLAIM_ID,
        '#claimUntil': CLAIM_UNTIL,
        '#pending': PENDING_SINCE,
        ...(update === undefined ? {} : { '#status': 'status', '#memory': 'memory' }),
      },
      ExpressionAttributeValues: {
        ':one': 1,
        ':claimId': this.#claim.id,
        ...(update === undefined
          ? {}
          : { ':status': JSON.stringify(update.status), ':memory': JSON.stringify(update.memory) }),
      },
    };
    try {
      await this.#context.client.send(new UpdateCommand(input));
    } catch (error) {
      throwAsConflict(this.#key, error);
    }
  }

  /** One conditional write; a refusal marks the step refused (a definite outcome), anything else is thrown. */
  async #single(item: TransactItem): Promise<void> {
    await this.#beforeSend();
    this.#sent.push(sortKeyOf((item.Put?.Item ?? item.Update?.Key ?? {}) as Item));
    const { Put, Update } = item;
    const command =
      Put !== undefined
        ? () => new PutCommand(Put)
        : Update !== undefined
          ? () => new UpdateCommand(Update as UpdateCommandInput)
          : undefined;
    if (command === undefined) return;
    const sent = await this.#send(command);
    if (sent.ok) {
      if (Put !== undefined) this.whole.push(Put.Item as Item);
      return;
    }
    if (!isConditionFailure(sent.error)) throw sent.error;
    this.refused = true;
  }

  /** One BatchWriteItem of unconditional puts, unprocessed ones sent again with backoff. */
  async #batch(items: readonly TransactItem[]): Promise<void> {
    const puts = items.map((item) => item.Put?.Item as Item);
    for (const put of puts) this.#sent.push(sortKeyOf(put));
    let pending: BatchWriteCommandInput['RequestItems'] = {
      [this.#context.tableName]: puts.map((Item) => ({ PutRequest: { Item } })),
    };
    for (let attempt = 0; hasRequests(pending); attempt += 1) {
      if (attempt >= MAX_BATCH_ATTEMPTS) {
        throw new UncertainClaimedWriteError(`batch write left items unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`);
      }
      if (attempt > 0) await backOff(attempt);
      await this.#beforeSend();
      const request: BatchWriteCommandInput['RequestItems'] = pending;
      const sent: RecordedAttempts<BatchWriteCommandOutput> = await this.#send<BatchWriteCommandOutput>(
        () => new BatchWriteCommand({ RequestItems: request }),
      );
      if (!sent.ok) throw sent.error;
      pending = sent.output.UnprocessedItems;
    }
    this.whole.push(...puts);
  }

  /**
   * Sends one request, and again (with backoff, within the lease) while DynamoDB refuses it for throughput: that
   * refusal applied nothing. Resolves with the request's known outcome, a written item or a refusal of another
   * kind (a failed condition), for the caller to judge.
   *
   * @throws {UncertainClaimedWriteError} an attempt failed without DynamoDB refusing it (no answer, a 5xx): it may
   * have been applied, and may still land.
   */
  async #send<O>(command: () => AnyCommand): Promise<RecordedAttempts<O>> {
    for (let attempt = 1; ; attempt += 1) {
      const sent = await sendRecordingAttempts<O>(this.#context.client, command());
      if (!sent.settled || (!sent.ok && !wasRefused(sent.error))) {
        throw new UncertainClaimedWriteError(
          `a write of the claimed step on ${this.#key} failed with an unknown outcome after ${sent.attempts} attempt(s)`,
          { cause: sent.ok ? undefined : sent.error },
        );
      }
      if (sent.ok || !wasThrottled(sent.error) || attempt >= MAX_BATCH_ATTEMPTS) return sent;
      await backOff(attempt);
      await this.#beforeSend();
    }
  }

  /**
   * Before each request: the lease must hold, and a lease with less than `CLAIM_RENEW_BEFORE_MS` left is renewed
   * first (once, whoever of the senders gets there first; the others wait for it).
   *
   * @throws {ClaimLeaseEndedError} the lease ended, or the claim was no longer ours to renew.
   */
  async #beforeSend(): Promise<void> {
    if (this.#renewing !== undefined) await this.#renewing;
    this.#withinLease();
    if (this.#context.settings.now() < this.#claim.until - CLAIM_RENEW_BEFORE_MS) return;
    this.#renewing ??= this.#renew().finally(() => {
      this.#renewing = undefined;
    });
    await this.#renewing;
    this.#withinLease();
  }

  /** Moves the claim's `until` on by a lease from now, at the claim's id and the `until` it had. */
  async #renew(): Promise<void> {
    const until = this.#context.settings.now() + CLAIM_LEASE_MS;
    try {
      // An earlier attempt of it that lands late moves `until` to the same value, or is refused.
      await this.#context.client.send(
        new UpdateCommand({
          TableName: this.#context.tableName,
          Key: daemonSetStateItemKey(this.#key),
          UpdateExpression: 'SET #claimUntil = :until',
          ConditionExpression: '#claimId = :claimId AND #claimUntil = :current',
          ExpressionAttributeNames: { '#claimId': CLAIM_ID, '#claimUntil': CLAIM_UNTIL },
          ExpressionAttributeValues: { ':claimId': this.#claim.id, ':current': this.#claim.until, ':until': until },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ClaimLeaseEndedError(`the claim on ${this.#key} was taken over before its step was written`, {
          cause: error,
        });
      }
      // Refused for throughput: the lease stands as it was, and the next send renews again while it holds.
      // Renewed or not is not known: the step stops, and the claim expires at whichever `until` the table holds.
      if (wasThrottled(error)) return;
      throw error;
    }
    this.#claim = { ...this.#claim, until };
    await this.#context.settings.hooks.afterClaimRenewed?.(this.#key);
  }

  #withinLease(): void {
    if (this.#context.settings.now() >= this.#claim.until - CLAIM_MARGIN_MS) {
      throw new ClaimLeaseEndedError(`the claim on ${this.#key} ran out of lease before its step was written`);
    }
  }
}

/**
 * Puts the step logs (one per `KEYS_PER_LOG` sort keys) that name the items a claimed step wrote, stamped with the
 * claim's id as their write id: nothing for no keys. `beforeEach` runs before each put (the claimer's lease check).
 * Returns the logs put.
 */
export async function putStepLogs(
  context: DynamoContext,
  key: DaemonSetKey,
  claimId: string,
  sortKeys: readonly string[],
  beforeEach: () => void | Promise<void> = () => {},
): Promise<readonly Item[]> {
  const logs: Item[] = [];
  const seq = context.settings.now();
  const expiresAt = expiresAfter(new Date(seq).toISOString(), context.settings.tombstoneSeconds);
  for (let part = 0; part * KEYS_PER_LOG < sortKeys.length; part += 1) {
    const keys = sortKeys.slice(part * KEYS_PER_LOG, (part + 1) * KEYS_PER_LOG);
    const Item = toStepLogItem(daemonSetPartition(key), { seq: seq + part, writeId: claimId }, keys, expiresAt);
    await beforeEach();
    await context.client.send(new PutCommand({ TableName: context.tableName, Item }));
    logs.push(Item);
  }
  return logs;
}

/** The claim: the version moves on and the claim is set, only at the expected version and with no live claim. */
export function toClaimUpdate(
  context: DynamoContext,
  key: DaemonSetKey,
  claim: StepClaim,
  expectedVersion: number,
): UpdateCommandInput {
  return {
    TableName: context.tableName,
    Key: daemonSetStateItemKey(key),
    UpdateExpression: 'SET #version = :next, #claimId = :claimId, #claimUntil = :claimUntil',
    ConditionExpression: `#version = :expected AND ${NO_CLAIM}`,
    ExpressionAttributeNames: { '#version': 'version', '#claimId': CLAIM_ID, '#claimUntil': CLAIM_UNTIL },
    ExpressionAttributeValues: {
      ':expected': expectedVersion,
      ':next': expectedVersion + 1,
      ':claimId': claim.id,
      ':claimUntil': claim.until,
    },
  };
}

/** The condition every step writer's guard carries besides the version: no claimed step is under way. */
export const NO_CLAIM = 'attribute_not_exists(#claimId)';
