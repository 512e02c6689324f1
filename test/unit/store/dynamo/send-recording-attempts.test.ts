import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  sendRecordingAttempts,
  wasRefused,
  wasThrottled,
} from '../../../../lib/store/dynamo/send-recording-attempts.js';

// The SDK's own retries, over a scripted HTTP handler standing in for DynamoDB: which attempts can still land.

type Answer = 'ok' | 'throttle' | 'condition' | 'server-error' | 'reset';

const ERRORS: Partial<Record<Answer, [number, string]>> = {
  throttle: [400, 'ProvisionedThroughputExceededException'],
  condition: [400, 'ConditionalCheckFailedException'],
  'server-error': [500, 'InternalServerError'],
};

/** A document client whose n-th HTTP attempt gets `answers[n]` (the last one repeated). */
function scripted(answers: readonly Answer[]): DynamoDBDocumentClient {
  let attempt = 0;
  const respond = (statusCode: number, body: unknown) => ({
    response: {
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: Readable.from([Buffer.from(JSON.stringify(body))]),
    },
  });
  const requestHandler = {
    handle: async () => {
      const answer = answers[Math.min(attempt, answers.length - 1)] ?? 'ok';
      attempt += 1;
      if (answer === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const error = ERRORS[answer];
      if (error === undefined) return respond(200, {});
      return respond(error[0], { __type: `com.amazonaws.dynamodb.v20120810#${error[1]}`, message: answer });
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: 'http://dynamodb.invalid',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: requestHandler as never,
      maxAttempts: 3,
    }),
  );
}

const aPut = () =>
  new PutCommand({ TableName: 'everynode', Item: { pk: 'DS#default/agent', sk: 'POD#node-1#agent-1' } });

describe('sendRecordingAttempts', () => {
  it('knows a request retried after throttling is settled: DynamoDB refused every earlier attempt', async () => {
    const sent = await sendRecordingAttempts(scripted(['throttle', 'ok']), aPut());

    expect(sent).toMatchObject({ ok: true, settled: true, attempts: 2 });
  });

  it('knows a request retried after an attempt without an answer, or a 5xx, may still land', async () => {
    expect(await sendRecordingAttempts(scripted(['reset', 'ok']), aPut())).toMatchObject({
      ok: true,
      settled: false,
      attempts: 2,
    });
    expect(await sendRecordingAttempts(scripted(['server-error', 'ok']), aPut())).toMatchObject({
      ok: true,
      settled: false,
    });
  });

  it('returns a refusal with whether an earlier attempt may have been applied', async () => {
    const refused = await sendRecordingAttempts(scripted(['condition']), aPut());
    const afterReset = await sendRecordingAttempts(scripted(['reset', 'condition']), aPut());
    const throttled = await sendRecordingAttempts(scripted(['throttle']), aPut());

    expect(refused).toMatchObject({ ok: false, settled: true, attempts: 1 });
    expect(refused.ok ? undefined : wasRefused(refused.error)).toBe(true);
    // The first attempt may have written the item, and the second one's condition failed on it.
    expect(afterReset).toMatchObject({ ok: false, settled: false });
    expect(throttled).toMatchObject({ ok: false, settled: true, attempts: 3 });
    expect(throttled.ok ? undefined : wasThrottled(throttled.error)).toBe(true);
  });
});
