import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// What became of every attempt the SDK made of one request. The SDK retries a request on its own (throttling, a
// 5xx, a reset connection), and `$metadata.attempts > 1` alone cannot tell a retry after DynamoDB refused the
// request (a 4xx answer: nothing was applied) from a retry after an attempt whose outcome is unknown (no answer, or
// a 5xx: it may have been applied, and may land later). A claimed step needs that difference: throttling is what a
// large step meets on a hot DaemonSet partition, and it must not be mistaken for a write that may land late.

/** Error names DynamoDB answers (HTTP 400) when a request went over the throughput it allows. */
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** Refusals DynamoDB answers only with an HTTP 400, whatever status an error carries. */
const REFUSALS = new Set([...THROTTLING, 'ConditionalCheckFailedException', 'TransactionCanceledException']);

/** DynamoDB answered with a 4xx: it refused the request, so nothing of it was applied or can land later. */
export function wasRefused(error: unknown): boolean {
  if (error instanceof Error && REFUSALS.has(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

/** DynamoDB refused the request for throughput: nothing was applied, and sending it again later may succeed. */
export function wasThrottled(error: unknown): boolean {
  return wasRefused(error) && error instanceof Error && THROTTLING.has(error.name);
}

/**
 * The outcome of a request and of every attempt the SDK made of it. `settled`: no attempt but the one that gave
 * the outcome can still be applied (each earlier one was refused), so the outcome is the whole story.
 */
export type RecordedAttempts<O> = Readonly<
  { settled: boolean; attempts: number } & ({ ok: true; output: O } | { ok: false; error: unknown })
>;

/** A command of the document client (or of the client under it): what `send` takes, typed loosely. */
export type AnyCommand = object;

/**
 * Sends `command` through `client`, recording each attempt's failure from inside the SDK's retry loop.
 *
 * @example
 * const sent = await sendRecordingAttempts(client, new PutCommand(input));
 * if (!sent.settled) throw new Error('an earlier attempt may still land');
 */
export async function sendRecordingAttempts<O>(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  command: AnyCommand,
): Promise<RecordedAttempts<O>> {
  const failures: unknown[] = [];
  const stack = (command as { middlewareStack?: MiddlewareStackLike }).middlewareStack;
  stack?.add(
    recordFailedAttempts((error) => failures.push(error)),
    { ...EACH_ATTEMPT, name: 'everynodeRecordAttempts', override: true },
  );
  try {
    const output = (await client.send(command as never)) as O;
    return { ok: true, output, settled: failures.every(wasRefused), attempts: failures.length + 1 };
  } catch (error) {
    const earlier = failures.at(-1) === error ? failures.slice(0, -1) : failures;
    return { ok: false, error, settled: earlier.every(wasRefused), attempts: Math.max(1, failures.length) };
  }
}

/**
 * Where a middleware sees each attempt of a request: inside the retry middleware (step `finalizeRequest`) and
 * outside the deserializer, so once per attempt, with DynamoDB's error already parsed (its name and HTTP status).
 */
export const EACH_ATTEMPT = { step: 'deserialize', priority: 'high' } as const;

/** A middleware (placed at `EACH_ATTEMPT`) that hands every failed attempt to `record`, with its request's context. */
export function recordFailedAttempts(record: (error: unknown, context: object) => void) {
  return <A, R>(next: (args: A) => Promise<R>, context: object) =>
    async (args: A): Promise<R> => {
      try {
        return await next(args);
      } catch (error) {
        record(error, context);
        throw error;
      }
    };
}

type MiddlewareStackLike = {
  add: (
    middleware: ReturnType<typeof recordFailedAttempts>,
    options: typeof EACH_ATTEMPT & { name: string; override: boolean },
  ) => void;
};
