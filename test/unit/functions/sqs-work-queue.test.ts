import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsIngestQueue } from '../../../functions/shared/sqs-ingest-queue.js';
import { SqsWorkQueue } from '../../../functions/shared/sqs-work-queue.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/everynode-reconcile';
const sqs = mockClient(SQSClient);

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('SqsWorkQueue', () => {
  it('sends one reconcile message per key in batches of ten', async () => {
    const keys = Array.from({ length: 23 }, (_, index) => `ops/set-${index}`);

    await new SqsWorkQueue(new SQSClient({}), QUEUE_URL).enqueue(keys);

    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches.map((batch) => batch.Entries?.length)).toEqual([10, 10, 3]);
    expect(batches.every((batch) => batch.QueueUrl === QUEUE_URL)).toBe(true);
    expect(batches.flatMap((batch) => batch.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? ''))).toEqual(
      keys.map((daemonSet) => ({ daemonSet })),
    );
  });

  it('sends a key once however often it is named', async () => {
    await new SqsWorkQueue(new SQSClient({}), QUEUE_URL).enqueue(['ops/logs', 'ops/logs']);

    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries;
    expect(entries).toHaveLength(1);
  });

  it('delays messages, capped at the SQS maximum of 900 seconds', async () => {
    const queue = new SqsWorkQueue(new SQSClient({}), QUEUE_URL);

    await queue.enqueue(['ops/logs'], 30);
    await queue.enqueue(['ops/logs'], 3600);

    const delays = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries?.[0]?.DelaySeconds);
    expect(delays).toEqual([30, 900]);
  });

  it('sends nothing for no keys', async () => {
    await new SqsWorkQueue(new SQSClient({}), QUEUE_URL).enqueue([]);

    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('rejects when SQS refuses an entry', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
    });

    const enqueue = new SqsWorkQueue(new SQSClient({}), QUEUE_URL).enqueue(['ops/logs']);

    await expect(enqueue).rejects.toThrow(/SQS refused 1 of 1 messages .*InternalError try again/);
  });
});

describe('SqsIngestQueue', () => {
  it('keeps each request within the 256 KiB batch limit', async () => {
    const large = { type: 'NodeRemoved' as const, name: `node-${'x'.repeat(100 * 1024)}` };

    await new SqsIngestQueue(new SQSClient({}), QUEUE_URL).send([large, large, large]);

    const sizes = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([2, 1]);
  });
});
