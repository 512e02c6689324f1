import { fc, test } from '@fast-check/vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, vi } from 'vitest';
import { LocalQueue } from '../../local/local-queue.js';

/**
 * Invariants of the local queue's groups (one DaemonSet never in two batches at once), over random sends, batch
 * sizes, concurrency, handler durations and failed records:
 * - every message is handled to success, none is lost or parked;
 * - two batches in flight at the same moment share no group, unless the earlier one outlived its visibility
 *   timeout first (SQS would then redeliver its messages, so its group is no longer held).
 */
const VISIBILITY_MS = 1_000;
const START = 1_000_000;

const arbMessage = fc.record({
  group: fc.constantFrom('a', 'b', 'c', undefined),
  sendAt: fc.integer({ min: 0, max: 2_000 }),
  handleMs: fc.integer({ min: 1, max: 1_500 }),
  failsFirst: fc.boolean(),
});

const arbRun = fc.record({
  messages: fc.array(arbMessage, { minLength: 1, maxLength: 25 }),
  batchSize: fc.integer({ min: 1, max: 5 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
});

type Batch = { start: number; end: number; groups: ReadonlySet<string> };

describe('LocalQueue with groups', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  test.prop([arbRun], { numRuns: 150 })(
    'handles every message, and never holds one group in two batches at once',
    async ({ messages, batchSize, concurrency }) => {
      const bodies = messages.map((message, index) => JSON.stringify({ index, group: message.group }));
      const succeeded = new Set<number>();
      const batches: Batch[] = [];
      const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
        const start = Date.now();
        const handled = event.Records.map((record) => ({
          record,
          message: messages[(JSON.parse(record.body) as { index: number }).index],
          index: (JSON.parse(record.body) as { index: number }).index,
        }));
        const groups = new Set(handled.flatMap(({ message }) => (message?.group === undefined ? [] : [message.group])));
        // A first receive may outlive the visibility timeout (and be received again meanwhile); later ones are quick.
        const ms = handled.map(({ record, message }) =>
          record.attributes.ApproximateReceiveCount === '1' ? (message?.handleMs ?? 1) : 10,
        );
        await new Promise((resolve) => setTimeout(resolve, Math.max(...ms)));
        batches.push({ start, end: Date.now(), groups });
        const failures = handled.filter(
          ({ record, message }) => message?.failsFirst === true && record.attributes.ApproximateReceiveCount === '1',
        );
        for (const { index } of handled) if (!failures.some((failure) => failure.index === index)) succeeded.add(index);
        return { batchItemFailures: failures.map(({ record }) => ({ itemIdentifier: record.messageId })) };
      };
      const queue = new LocalQueue({
        name: 'property',
        handler,
        batchSize,
        concurrency,
        visibilityTimeoutMs: VISIBILITY_MS,
        groupOf: (body) => (JSON.parse(body) as { group?: string }).group,
      });
      queue.start();
      for (const [index, message] of messages.entries()) {
        setTimeout(() => queue.send(bodies[index] ?? ''), message.sendAt);
      }

      await vi.advanceTimersByTimeAsync(120_000);
      await queue.stop();

      expect([...succeeded].sort((x, y) => x - y)).toEqual(messages.map((_, index) => index));
      expect(queue.stats()).toEqual({ visible: 0, delayed: 0, inFlight: 0, deadLetters: 0 });
      for (const earlier of batches) {
        for (const later of batches) {
          if (earlier === later || later.start < earlier.start || later.start >= earlier.end) continue;
          if (later.start >= earlier.start + VISIBILITY_MS) continue;
          const shared = [...later.groups].filter((group) => earlier.groups.has(group));
          expect({ earlier, later, shared }).toMatchObject({ shared: [] });
        }
      }
    },
  );
});
