import {
  type AutoScalingClient,
  CompleteLifecycleActionCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import type { LifecycleResult } from '../../lib/model/node.js';
import type { LifecycleActionRef, LifecycleActions, LifecycleCallOutcome } from '../../lib/ports/lifecycle-actions.js';

export type AutoScalingLifecycleActionsOptions = Readonly<{
  /** Attempts per call when Auto Scaling throttles (beyond the SDK's own retries). @default 4 */
  maxAttempts?: number;
  /** Waits between attempts (exponential backoff with full jitter). @default a real timer */
  sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  random?: () => number;
}>;

/** Error names Auto Scaling uses when it throttles, or when it is briefly unavailable. */
const RETRYABLE = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'ServiceUnavailable']);

/**
 * The lifecycle-actions port on EC2 Auto Scaling: `CompleteLifecycleAction` and
 * `RecordLifecycleActionHeartbeat` with the token, hook and group from the event (and the instance id). A
 * throttled call is retried with backoff; an action Auto Scaling no longer knows (completed by an earlier
 * delivery, abandoned, or timed out: `ValidationError` "No active Lifecycle Action found") is `alreadyClosed`,
 * not an error. Every other failure is thrown, so the fact that asked for the call comes back.
 */
export class AutoScalingLifecycleActions implements LifecycleActions {
  readonly #client: AutoScalingClient;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(client: AutoScalingClient, options: AutoScalingLifecycleActionsOptions = {}) {
    this.#client = client;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
  }

  complete(action: LifecycleActionRef, result: LifecycleResult): Promise<LifecycleCallOutcome> {
    return this.#call(() =>
      this.#client.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: action.autoScalingGroupName,
          LifecycleHookName: action.lifecycleHookName,
          LifecycleActionToken: action.lifecycleActionToken,
          InstanceId: action.instanceId,
          LifecycleActionResult: result,
        }),
      ),
    );
  }

  recordHeartbeat(action: LifecycleActionRef): Promise<LifecycleCallOutcome> {
    return this.#call(() =>
      this.#client.send(
        new RecordLifecycleActionHeartbeatCommand({
          AutoScalingGroupName: action.autoScalingGroupName,
          LifecycleHookName: action.lifecycleHookName,
          LifecycleActionToken: action.lifecycleActionToken,
          InstanceId: action.instanceId,
        }),
      ),
    );
  }

  async #call(send: () => Promise<unknown>): Promise<LifecycleCallOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await send();
        return 'accepted';
      } catch (error) {
        if (isClosedAction(error)) return 'alreadyClosed';
        if (!isRetryable(error) || attempt >= this.#maxAttempts) throw error;
        await this.#sleep(Math.floor(this.#random() * 100 * 2 ** attempt));
      }
    }
  }
}

/** Auto Scaling's answer for a token it no longer holds open. */
export function isClosedAction(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'ValidationError' && /no active lifecycle action/i.test(error.message);
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return RETRYABLE.has(error.name) || status === 429 || (status !== undefined && status >= 500);
}
