import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalQueue, type LocalQueueOptions } from '../../../local/local-queue.js';

type Delivery = Readonly<{ at: number; bodies: readonly string[]; receiveCounts: readonly string[] }>;

/** A fake handler that records every batch and fails the bodies `fail` says to fail. */
function recordingHandler(fail: (body: string) => boolean | 'throw' = () => false) {
  const deliveries: Delivery[] = [];
  const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    deliveries.push({
      at: Date.now(),
      bodies: event.Records.map((record) => record.body),
      receiveCounts: event.Records.map((record) => record.attributes.ApproximateReceiveCount),
    });
    const verdicts = event.Records.map((record) => ({ id: record.messageId, verdict: fail(record.body) }));
    if (verdicts.some(({ verdict }) => verdict === 'throw')) throw new Error('handler crashed');
    return {
      batchItemFailures: verdicts.filter(({ verdict }) => verdict === true).map(({ id }) => ({ itemIdentifier: id })),
    };
  };
  return { deliveries, handler };
}

function startQueue(options: Omit<LocalQueueOptions, 'name'>): LocalQueue {
  const queue = new LocalQueue({ name: 'test', visibilityTimeoutMs: 1000, ...options });
  queue.start();
  return queue;
}

describe('LocalQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers a message at once with the attributes Lambda passes', async () => {
    const records: SQSEvent['Records'] = [];
    const queue = startQueue({
      handler: async (event) => {
        records.push(...event.Records);
      },
    });

    const messageId = queue.send('{"hello":1}');
    await vi.advanceTimersByTimeAsync(0);

    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      messageId,
      body: '{"hello":1}',
      eventSource: 'aws:sqs',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1000000' },
    });
    expect(queue.stats()).toEqual({ visible: 0, delayed: 0, inFlight: 0, deadLetters: 0 });
  });

  it('delivers at most ten records per batch', async () => {
    const { deliveries, handler } = recordingHandler();
    const queue = startQueue({ handler, concurrency: 1 });

    for (let index = 0; index < 25; index += 1) queue.send(String(index));
    await queue.drained();

    expect(deliveries.map((delivery) => delivery.bodies.length)).toEqual([10, 10, 5]);
  });

  it('redelivers only the failed records of a batch, after the visibility timeout', async () => {
    let failuresLeft = 1;
    const { deliveries, handler } = recordingHandler((body) => body === 'bad' && failuresLeft-- > 0);
    const queue = startQueue({ handler });
    queue.send('good');
    queue.send('bad');
    await vi.advanceTimersByTimeAsync(0);

    await vi.advanceTimersByTimeAsync(999);
    const beforeTimeout = deliveries.length;
    await vi.advanceTimersByTimeAsync(1);

    expect(beforeTimeout).toBe(1);
    expect(deliveries).toEqual([
      { at: 1_000_000, bodies: ['good', 'bad'], receiveCounts: ['1', '1'] },
      { at: 1_001_000, bodies: ['bad'], receiveCounts: ['2'] },
    ]);
  });

  it('retries the whole batch when the handler throws', async () => {
    let crashes = 1;
    const { deliveries, handler } = recordingHandler((body) => (body === 'a' && crashes-- > 0 ? 'throw' : false));
    const errors: unknown[] = [];
    const queue = startQueue({ handler, onHandlerError: (error) => errors.push(error) });
    queue.send('a');
    queue.send('b');

    await vi.advanceTimersByTimeAsync(1000);

    expect(deliveries.map((delivery) => delivery.bodies)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(errors).toHaveLength(1);
  });

  it('fails the whole batch when the response names an unknown record', async () => {
    let answered = false;
    const bodies: string[] = [];
    const queue = startQueue({
      handler: async (event) => {
        bodies.push(...event.Records.map((record) => record.body));
        if (answered) return { batchItemFailures: [] };
        answered = true;
        return { batchItemFailures: [{ itemIdentifier: 'no-such-id' }] };
      },
    });
    queue.send('x');

    await vi.advanceTimersByTimeAsync(1000);

    expect(bodies).toEqual(['x', 'x']);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const { deliveries, handler } = recordingHandler((body) => body === 'poison');
    const parked: string[] = [];
    const queue = startQueue({ handler, maxReceiveCount: 3, onDeadLetter: (letter) => parked.push(letter.body) });
    const messageId = queue.send('poison');
    queue.send('fine');

    await vi.advanceTimersByTimeAsync(10_000);

    expect(deliveries.flatMap((delivery) => delivery.bodies).filter((body) => body === 'poison')).toHaveLength(3);
    expect(queue.deadLetters()).toEqual([
      { messageId, body: 'poison', receiveCount: 3, sentTimestamp: 1_000_000, movedAt: 1_003_000 },
    ]);
    expect(parked).toEqual(['poison']);
    expect(queue.stats().visible + queue.stats().delayed).toBe(0);
  });

  it('redrives dead letters back into the queue', async () => {
    let healthy = false;
    const { deliveries, handler } = recordingHandler(() => !healthy);
    const queue = startQueue({ handler, maxReceiveCount: 1 });
    queue.send('m');
    await vi.advanceTimersByTimeAsync(1000);
    healthy = true;

    const moved = queue.redriveDeadLetters();
    await queue.drained();

    expect(moved).toBe(1);
    expect(deliveries.map((delivery) => delivery.receiveCounts)).toEqual([['1'], ['1']]);
    expect(queue.deadLetters()).toEqual([]);
  });

  it('holds a delayed message until its delay ends', async () => {
    const { deliveries, handler } = recordingHandler();
    const queue = startQueue({ handler });

    queue.send('later', { delaySeconds: 5 });
    queue.send('now');
    await vi.advanceTimersByTimeAsync(4999);
    const early = deliveries.flatMap((delivery) => delivery.bodies);
    await vi.advanceTimersByTimeAsync(1);

    expect(early).toEqual(['now']);
    expect(deliveries.at(-1)).toEqual({ at: 1_005_000, bodies: ['later'], receiveCounts: ['1'] });
  });

  it('delivers a message again when its handler outlives the visibility timeout', async () => {
    const started: string[] = [];
    const queue = startQueue({
      handler: async (event) => {
        const receiveCount = event.Records.map((record) => record.attributes.ApproximateReceiveCount).join();
        started.push(receiveCount);
        if (receiveCount === '1') await new Promise((resolve) => setTimeout(resolve, 1500));
      },
    });

    queue.send('slow');
    await vi.advanceTimersByTimeAsync(3000);

    expect(started).toEqual(['1', '2']);
    expect(queue.stats()).toEqual({ visible: 0, delayed: 0, inFlight: 0, deadLetters: 0 });
  });

  it('keeps messages sent before start and delivers them once started', async () => {
    const { deliveries, handler } = recordingHandler();
    const queue = new LocalQueue({ name: 'test', handler });
    queue.send('early');
    await vi.advanceTimersByTimeAsync(100);
    const beforeStart = deliveries.length;

    queue.start();
    await queue.drained();

    expect(beforeStart).toBe(0);
    expect(deliveries.map((delivery) => delivery.bodies)).toEqual([['early']]);
  });

  describe('with groups (one DaemonSet never processed twice at once)', () => {
    const groupOf = (body: string): string | undefined => body.split(':')[0];
    /** A handler that takes `ms` per batch and records when each batch ran. */
    function slowHandler(ms: (bodies: readonly string[]) => number) {
      const runs: { bodies: readonly string[]; start: number; end: number }[] = [];
      const handler = async (event: SQSEvent): Promise<undefined> => {
        const bodies = event.Records.map((record) => record.body);
        const start = Date.now();
        await new Promise((resolve) => setTimeout(resolve, ms(bodies)));
        runs.push({ bodies, start, end: Date.now() });
        return undefined;
      };
      return { runs, handler };
    }

    it('holds a message back while a batch of its group is in flight, and delivers other groups meanwhile', async () => {
      const { runs, handler } = slowHandler(() => 500);
      const queue = startQueue({ handler, groupOf, batchSize: 1, concurrency: 3 });

      queue.send('ds-a:1');
      queue.send('ds-a:2');
      queue.send('ds-b:1');
      await vi.advanceTimersByTimeAsync(2000);

      const at = (body: string) => runs.find((run) => run.bodies.includes(body));
      expect(at('ds-a:1')).toMatchObject({ start: 1_000_000, end: 1_000_500 });
      expect(at('ds-b:1')).toMatchObject({ start: 1_000_000 });
      expect(at('ds-a:2')).toMatchObject({ start: 1_000_500, end: 1_001_000 });
    });

    it('delivers the waiting messages of one group together in one batch', async () => {
      const { runs, handler } = slowHandler(() => 100);
      const queue = startQueue({ handler, groupOf, concurrency: 2 });

      queue.send('ds-a:1');
      await vi.advanceTimersByTimeAsync(10);
      queue.send('ds-a:2');
      queue.send('ds-a:3');
      await vi.advanceTimersByTimeAsync(2000);

      expect(runs.map((run) => run.bodies)).toEqual([['ds-a:1'], ['ds-a:2', 'ds-a:3']]);
    });

    it('lets a held message go when the batch in flight outlives its visibility timeout, as SQS redelivers', async () => {
      let calls = 0;
      const { runs, handler } = slowHandler(() => (++calls === 1 ? 1500 : 10));
      const queue = startQueue({ handler, groupOf, concurrency: 2 });

      queue.send('ds-a:slow');
      await vi.advanceTimersByTimeAsync(10);
      queue.send('ds-a:next');
      await vi.advanceTimersByTimeAsync(2000);

      const next = runs.find((run) => run.bodies.includes('ds-a:next'));
      expect(next).toMatchObject({ bodies: ['ds-a:slow', 'ds-a:next'], start: 1_001_000 });
      expect(queue.stats()).toEqual({ visible: 0, delayed: 0, inFlight: 0, deadLetters: 0 });
    });

    it('gives a message without a group no wait at all', async () => {
      const { runs, handler } = slowHandler(() => 500);
      const queue = startQueue({ handler, groupOf: () => undefined, batchSize: 1, concurrency: 2 });

      queue.send('x:1');
      queue.send('x:2');
      await vi.advanceTimersByTimeAsync(2000);

      expect(runs.map((run) => run.start)).toEqual([1_000_000, 1_000_000]);
    });
  });

  it('refuses delays SQS does not allow', () => {
    const queue = new LocalQueue({ name: 'test', handler: async () => undefined });

    expect(() => queue.send('x', { delaySeconds: 901 })).toThrow(RangeError);
  });
});
