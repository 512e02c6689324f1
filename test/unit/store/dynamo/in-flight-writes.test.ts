import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../../../lib/ports/errors.js';
import { CLOCK_STEP_MS, InFlightWrites } from '../../../../lib/store/dynamo/in-flight-writes.js';

const LAG = 60_000;
const BEGAN = 1_000_000;

describe('InFlightWrites: whether a scope was written since a read', () => {
  it('is unchanged while only other scopes write, and changed once a call of the scope began', async () => {
    const writes = new InFlightWrites();
    const mark = writes.quiet('nodes', BEGAN, LAG);
    await writes.track(BEGAN, async () => undefined, 'pods');
    const afterOther = writes.unchangedSince(mark, BEGAN, LAG);
    let finish = (): void => {};
    const call = writes.track(BEGAN, () => new Promise<void>((resolve) => (finish = resolve)), 'nodes');
    const during = writes.quiet('nodes', BEGAN, LAG);
    finish();
    await call;

    expect(mark).toBeDefined();
    expect(afterOther).toBe(true);
    expect(during).toBeUndefined();
    expect(writes.unchangedSince(mark, BEGAN, LAG)).toBe(false);
  });

  it('is never quiet while a call is in doubt (its write may still land)', async () => {
    const writes = new InFlightWrites();
    await expect(writes.track(BEGAN, () => Promise.reject(new Error('socket hang up')), 'pods')).rejects.toThrow();

    expect(writes.quiet('nodes', BEGAN + LAG - 1, LAG)).toBeUndefined();
    expect(writes.quiet('nodes', BEGAN + LAG, LAG)).toBeDefined();
  });
});

describe('InFlightWrites: how far back a warm read of the only writing process looks', () => {
  it('looks back to the read itself when nothing is under way', () => {
    expect(new InFlightWrites().lookBackFrom(BEGAN, LAG)).toBe(BEGAN - CLOCK_STEP_MS);
  });

  it('looks back to the oldest call still writing, and no further once it returned', async () => {
    const writes = new InFlightWrites();
    let finish = (): void => {};
    const call = writes.track(BEGAN, () => new Promise<void>((resolve) => (finish = resolve)));

    expect(writes.lookBackFrom(BEGAN + 30_000, LAG)).toBe(BEGAN - CLOCK_STEP_MS);
    finish();
    await call;
    expect(writes.lookBackFrom(BEGAN + 30_000, LAG)).toBe(BEGAN + 30_000 - CLOCK_STEP_MS);
  });

  it('keeps reaching back to a call that failed without an answer for writeLagMs, as another process would', async () => {
    const writes = new InFlightWrites();
    await expect(writes.track(BEGAN, () => Promise.reject(new Error('socket hang up')))).rejects.toThrow();

    expect(writes.lookBackFrom(BEGAN + LAG - 1, LAG)).toBe(BEGAN - CLOCK_STEP_MS);
    expect(writes.lookBackFrom(BEGAN + LAG, LAG)).toBe(BEGAN + LAG - CLOCK_STEP_MS);
  });

  it('forgets a call that DynamoDB refused: nothing of it can land later', async () => {
    const writes = new InFlightWrites();
    const refused = () => Promise.reject(new VersionConflictError('default/agent'));
    await expect(writes.track(BEGAN, refused)).rejects.toThrow(VersionConflictError);

    expect(writes.lookBackFrom(BEGAN + 1_000, LAG)).toBe(BEGAN + 1_000 - CLOCK_STEP_MS);
  });
});

describe('InFlightWrites.watch: requests the SDK retried', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** A DynamoDB endpoint answering each request with the next of `answers` (status, error type or none). */
  async function anEndpoint(answers: [number, string?][]): Promise<DynamoDBDocumentClient> {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const [status, type] = answers.shift() ?? [200];
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(type === undefined ? {} : { __type: `com.amazonaws.dynamodb.v20120810#${type}` }));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    });
    return Object.assign(DynamoDBDocumentClient.from(client), { base: client });
  }

  const put = new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' } });

  it('keeps a call doubtful when one of its requests succeeded only on a retry (the first may still be applied)', async () => {
    const documents = await anEndpoint([[500, 'InternalServerError'], [200]]);
    const writes = new InFlightWrites();
    writes.watch((documents as unknown as { base: DynamoDBClient }).base);

    await writes.track(BEGAN, () => documents.send(put));

    expect(writes.lookBackFrom(BEGAN + 1_000, LAG)).toBe(BEGAN - CLOCK_STEP_MS);
  });

  it('does not when DynamoDB refused the earlier attempts for throughput: nothing of them was applied', async () => {
    const documents = await anEndpoint([[400, 'ProvisionedThroughputExceededException'], [200]]);
    const writes = new InFlightWrites();
    writes.watch((documents as unknown as { base: DynamoDBClient }).base);

    await writes.track(BEGAN, () => documents.send(put));

    expect(writes.lookBackFrom(BEGAN + 1_000, LAG)).toBe(BEGAN + 1_000 - CLOCK_STEP_MS);
  });

  it('does not when DynamoDB answered at once, even with a refusal', async () => {
    const documents = await anEndpoint([[200], [400, 'ConditionalCheckFailedException']]);
    const writes = new InFlightWrites();
    writes.watch((documents as unknown as { base: DynamoDBClient }).base);

    await writes.track(BEGAN, () => documents.send(put));
    await expect(writes.track(BEGAN, () => documents.send(put))).rejects.toThrow();

    expect(writes.lookBackFrom(BEGAN + 1_000, LAG)).toBe(BEGAN + 1_000 - CLOCK_STEP_MS);
  });
});
