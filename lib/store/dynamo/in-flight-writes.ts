import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EACH_ATTEMPT, recordFailedAttempts, wasRefused } from './send-recording-attempts.js';

// How far a warm read must look back when one process is the table's only writer (the local control plane).
//
// A warm read asks the `bySeq` index for the writes stamped at `since` or later, where `since` must be no later
// than the stamp of any write the previous read did not see (docs/decisions/0005). Across processes nothing
// better is known than "a write lands at most `writeLagMs` after its stamp", so every read lists again every
// write of the last `writeLagMs` (20 minutes by default, 2 in the stack). When every writer of the table is in
// this process, the process knows which writes are still under way: a write not yet seen by a read that began at
// `t` either began after `t` (its stamp is at least `t`) or was under way at `t` (its stamp is at least the time
// its store call began). So `since` = min(`t`, the oldest call under way at `t`), and a read lists only what was
// written since the previous one. A write can land after its call returned only if one of its requests was
// retried or failed without an answer from DynamoDB (a timeout, a reset connection, a 5xx): such a call stays
// "under way" for `writeLagMs` after it began, the cross-process bound.

/** Allowance for the wall clock stepping back between a read and a write of this process. */
export const CLOCK_STEP_MS = 2_000;

type Call = { began: number; scope: string | undefined };

/**
 * What a read saw of one scope's writes when it began: no write of the scope under way or in doubt, and the scope's
 * generation then. While the generation stays the same, nothing of the scope was written since (`unchangedSince`).
 */
export type QuietMark = Readonly<{ scope: string; generation: number }>;

/** Errors the store raises after DynamoDB refused a write, or before it sent one: nothing of theirs is in flight. */
const SETTLED_ERRORS = new Set([
  'VersionConflictError',
  'DaemonSetNotFoundError',
  'TerminalError',
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  // A claimed step that ran out of lease awaited every request it had sent before it stopped.
  'ClaimLeaseEndedError',
]);

/**
 * The store calls of this process that are writing, and those whose writes may still land (a retried or
 * unanswered request). Shared by every `DynamoClusterStore` of a process that is its table's only writer.
 *
 * @example
 * const writes = new InFlightWrites();
 * writes.watch(client); // the DynamoDBClient every store's document client is built from
 * const store = new DynamoClusterStore(client, 'everynode', { inFlightWrites: writes });
 */
export class InFlightWrites {
  readonly #open = new Set<Call>();
  /** Began times of calls whose writes may land late, each kept until it is `writeLagMs` old. */
  #doubtful: number[] = [];
  /** Per scope, moves on when a call of the scope begins and when it ends. */
  readonly #generations = new Map<string, number>();

  /**
   * Runs one store call that writes; `began` is read from the store's clock before anything is stamped. A call
   * that throws anything but a refusal stays doubtful: a write it sent may still land. `scope` names what it may
   * write for `quiet` (the store passes `nodes` for the calls that write node items).
   */
  async track<T>(began: number, write: () => Promise<T>, scope?: string): Promise<T> {
    const call: Call = { began, scope };
    this.#open.add(call);
    this.#bump(scope);
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof Error && SETTLED_ERRORS.has(error.name))) this.#doubtful.push(began);
      throw error;
    } finally {
      this.#open.delete(call);
      this.#bump(scope);
    }
  }

  /**
   * For a read of `scope` that begins now: a mark if no call of the scope is under way and none is in doubt (so the
   * read will see every write of the scope so far), else undefined.
   */
  quiet(scope: string, now: number, lagMs: number): QuietMark | undefined {
    this.#doubtful = this.#doubtful.filter((began) => began + lagMs > now);
    if (this.#doubtful.length > 0) return undefined;
    for (const call of this.#open) if (call.scope === scope) return undefined;
    return { scope, generation: this.#generations.get(scope) ?? 0 };
  }

  /**
   * No call of the mark's scope began since the read that took it, and none is in doubt: what that read saw of
   * the scope is still what the table holds (this process being its only writer).
   */
  unchangedSince(mark: QuietMark | undefined, now: number, lagMs: number): boolean {
    if (mark === undefined) return false;
    return this.quiet(mark.scope, now, lagMs)?.generation === mark.generation;
  }

  #bump(scope: string | undefined): void {
    if (scope !== undefined) this.#generations.set(scope, (this.#generations.get(scope) ?? 0) + 1);
  }

  /**
   * Watches every request of the client: when one of its attempts failed without DynamoDB refusing it (no answer,
   * or a 5xx; the SDK may have retried it), that attempt may still be applied after its call returned. Which call
   * sent it is not known, so the oldest call under way stands for it (any call under way began no earlier): the
   * look-back keeps reaching back to it for `writeLagMs`. Such failures are rare; the price is a longer look-back
   * for a while.
   */
  watch(client: DynamoDBClient): void {
    const failures = new WeakMap<object, unknown[]>();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          const result = await next(args);
          if (!(failures.get(context) ?? []).every(wasRefused)) this.#markDoubtful();
          return result;
        } catch (error) {
          // Applied or not is unknown without an answer, or with a 5xx (DynamoDB may have applied the write); an
          // attempt DynamoDB refused (a 4xx: throttling, a failed condition) applied nothing.
          if (!wasRefused(error) || !(failures.get(context) ?? []).every(wasRefused)) this.#markDoubtful();
          throw error;
        }
      },
      { step: 'initialize', name: 'everynodeInFlightWrites' },
    );
    client.middlewareStack.add(
      recordFailedAttempts((error, context) => failures.set(context, [...(failures.get(context) ?? []), error])),
      { ...EACH_ATTEMPT, name: 'everynodeInFlightAttempts' },
    );
  }

  /**
   * The earliest stamp a write not yet landed may carry, for a read that begins at `now`: `now` itself, or the
   * beginning of the oldest call still writing (or doubtful within `lagMs`), less `CLOCK_STEP_MS`.
   */
  lookBackFrom(now: number, lagMs: number): number {
    this.#doubtful = this.#doubtful.filter((began) => began + lagMs > now);
    let oldest = now;
    for (const call of this.#open) oldest = Math.min(oldest, call.began);
    for (const began of this.#doubtful) oldest = Math.min(oldest, began);
    return oldest - CLOCK_STEP_MS;
  }

  #markDoubtful(): void {
    let oldest = Number.POSITIVE_INFINITY;
    for (const call of this.#open) oldest = Math.min(oldest, call.began);
    if (oldest !== Number.POSITIVE_INFINITY) this.#doubtful.push(oldest);
  }
}
