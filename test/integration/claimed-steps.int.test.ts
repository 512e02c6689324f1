import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { VersionConflictError } from '../../lib/ports/errors.js';
import { reconcile } from '../../lib/reconcile/reconcile-pass.js';
import { CLAIM_LEASE_MS, UncertainClaimedWriteError } from '../../lib/store/dynamo/claimed-step.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import type { ClusterStoreHooks } from '../../lib/store/plan/store-options.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { localDynamo } from './local-dynamo.js';
import { aStatus, aStep, createPod, deletePod } from './store-contract-fixtures.js';

// Claimed steps (docs/decisions/0009, section 1) on DynamoDB Local: a step of many items claims its DaemonSet,
// writes its items outside any transaction, logs them and releases. What other writers and warm readers see of it
// while it runs, after it, and after a claimer that never released.

const { documentClient, newTable } = localDynamo('claimed-steps');
const T0 = Date.UTC(2026, 0, 1);
const KEY = 'default/agent';
/** Short, so a stranded claim expires within a test. */
const WRITE_LAG_MS = 10_000;
const POD_COUNT = 40;

type Sent = Readonly<{ constructor: { name: string }; input: Record<string, unknown> }>;

/** A document client that lets `fail` refuse a request (with an error of unknown outcome) before it is sent. */
function failing(fail: (command: Sent) => boolean): DynamoDBDocumentClient {
  return Object.assign(Object.create(documentClient), {
    send: async (command: Sent) => {
      if (fail(command)) throw Object.assign(new Error('injected: connection reset'), { name: 'InternalServerError' });
      return documentClient.send(command as never);
    },
  }) as DynamoDBDocumentClient;
}

type HttpRequestLike = Readonly<{ headers: Record<string, string> }>;
type HttpHandlerLike = Readonly<{ handle: (request: never, options?: never) => Promise<unknown> }>;

/**
 * A document client whose requests go over HTTP to DynamoDB Local through the SDK's own retries, where `answer` may
 * stand in for DynamoDB on any attempt: `throttle` answers HTTP 400 ProvisionedThroughputExceededException (nothing
 * applied), `lose-answer` lets DynamoDB apply the request and then resets the connection (applied, not known).
 */
function overHttp(answer: (operation: string) => 'throttle' | 'lose-answer' | undefined): DynamoDBDocumentClient {
  const http = new NodeHttpHandler();
  const handler: HttpHandlerLike & Record<string, unknown> = {
    handle: async (request: HttpRequestLike, options?: never) => {
      const operation = String(request.headers['x-amz-target']).split('.').at(-1) ?? '';
      const fault = answer(operation);
      if (fault === 'throttle') {
        const body = {
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'slow down',
        };
        return {
          response: {
            statusCode: 400,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      }
      const answered = await http.handle(request as never, options);
      if (fault === 'lose-answer') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return answered;
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    destroy: () => http.destroy(),
  };
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: handler as never,
  });
  afterAll(() => client.destroy());
  return DynamoDBDocumentClient.from(client);
}

/** Answers the first `count` BatchWriteItem attempts with `fault`. */
const firstBatches = (count: number, fault: 'throttle' | 'lose-answer') => {
  let seen = 0;
  return (operation: string) => {
    if (operation !== 'BatchWriteItem') return undefined;
    seen += 1;
    return seen <= count ? fault : undefined;
  };
};

const isRelease = (command: Sent) => command.input['ConditionExpression'] === '#claimId = :claimId';
const isStepLog = (command: Sent) =>
  command.constructor.name === 'PutCommand' &&
  String((command.input['Item'] as Record<string, unknown> | undefined)?.['sk']).startsWith('STEP#');

async function aTable(clock: () => number) {
  const tableName = await newTable();
  const store = (hooks: ClusterStoreHooks = {}, client = documentClient) =>
    new DynamoClusterStore(client, tableName, { now: clock, writeLagMs: WRITE_LAG_MS, hooks });
  await store().applyDaemonSet(aDaemonSet('agent').build(), new Date(T0).toISOString());
  return store;
}

const creates = (count: number, prefix = 'agent') =>
  Array.from({ length: count }, (_, index) => createPod(`${prefix}-${index}`, `node-${index}`));

describe('a claimed step', () => {
  it('is seen whole by a warm reader of another store, through its step log: creates, then marks', async () => {
    let now = T0 + 60_000;
    const store = await aTable(() => now);
    const reader = store();
    const writer = store();
    const before = await reader.loadSnapshot(KEY);

    await writer.applyStep(KEY, aStep({ actions: creates(POD_COUNT) }), before?.version ?? -1);
    now += 1_000;
    const created = await reader.loadSnapshot(KEY);
    const deletions = creates(30).map((action) => deletePod(action.podName, action.nodeName));
    await writer.applyStep(
      KEY,
      aStep({ actions: deletions, status: aStatus({ numberReady: 3 }) }),
      created?.version ?? -1,
    );
    now += 1_000;
    const marked = await reader.loadSnapshot(KEY);

    expect(created?.pods).toHaveLength(POD_COUNT);
    expect(created?.version).toBe((before?.version ?? 0) + 2);
    expect(marked?.pods.filter((pod) => pod.deletionTimestamp !== undefined)).toHaveLength(30);
    expect(marked?.status?.numberReady).toBe(3);
    expect(marked?.stepInProgress).toBeUndefined();
    expect(marked).toEqual(await store().loadSnapshot(KEY));
  });

  it('makes a pass wait and refuses any other step while it holds its claim; a spec write goes through', async () => {
    const now = T0 + 60_000;
    const store = await aTable(() => now);
    const other = store();
    const during: Record<string, unknown> = {};
    const writer = store({
      afterClaim: async (key) => {
        const seen = await other.loadSnapshot(key);
        during['waits'] = seen?.stepInProgress;
        during['pass'] = await reconcile(key, { store: other, now: () => now });
        during['step'] = await other
          .applyStep(key, aStep({ actions: [createPod('second', 'node-0')] }), seen?.version ?? -1)
          .catch((error: unknown) => error);
        during['apply'] = await other.applyDaemonSet(
          aDaemonSet('agent').withImage('agent:2').build(),
          new Date(now).toISOString(),
        );
      },
    });
    const version = (await writer.loadSnapshot(KEY))?.version ?? -1;

    await writer.applyStep(KEY, aStep({ actions: creates(POD_COUNT) }), version);

    // Until the claim expires (lease 30 s, write lag 10 s): only a claimer that died leaves it to the waiting pass.
    expect(during['waits']).toEqual({ recheckAfterSeconds: 41 });
    expect(during['pass']).toEqual({ status: 'progressing', recheckAfterSeconds: 41 });
    expect(during['step']).toBeInstanceOf(VersionConflictError);
    expect(during['apply']).toMatchObject({ outcome: 'stored', generation: 2 });
    const after = await store().loadSnapshot(KEY);
    // Claimed (+1), the spec write (+1), released (+1).
    expect(after?.version).toBe(version + 3);
    expect(after?.daemonSet.generation).toBe(2);
    expect(after?.pods.map((pod) => pod.name)).not.toContain('second');
    expect(after?.pods).toHaveLength(POD_COUNT);
  });

  it('left unreleased by its claimer, is taken over once every write it sent can have landed', async () => {
    let now = T0 + 60_000;
    const store = await aTable(() => now);
    const warm = store();
    const version = (await warm.loadSnapshot(KEY))?.version ?? -1;
    // The claimer writes every pod, then fails to log them and to release: its items carry no `seq`, and no log names them.
    const claimer = store(
      {},
      failing((command) => isStepLog(command) || isRelease(command)),
    );

    await expect(claimer.applyStep(KEY, aStep({ actions: creates(POD_COUNT) }), version)).rejects.toThrow('injected');

    now += CLAIM_LEASE_MS + WRITE_LAG_MS - 1_000;
    const stillHeld = await warm.loadSnapshot(KEY);
    expect(stillHeld?.stepInProgress).toBeDefined();
    now += 2_000;
    const recovering = store();
    const recovered = await recovering.loadSnapshot(KEY);
    const warmAfter = await warm.loadSnapshot(KEY);

    expect(recovered?.stepInProgress).toBeUndefined();
    expect(recovered?.pods).toHaveLength(POD_COUNT);
    expect(recovered?.version).toBe(version + 2);
    // The warm reader read no whole partition: the takeover's log named the orphaned pods for it.
    expect(warmAfter?.pods).toHaveLength(POD_COUNT);
    expect(warmAfter).toEqual(recovered);
    await store().applyStep(KEY, aStep({ status: aStatus({ numberReady: 1 }) }), recovered?.version ?? -1);
    expect((await warm.loadSnapshot(KEY))?.status?.numberReady).toBe(1);
  });

  it('that ran out of lease stops writing and is taken over like a crashed one', async () => {
    let now = T0 + 60_000;
    const store = await aTable(() => now);
    const version = (await store().loadSnapshot(KEY))?.version ?? -1;
    const stalled = store({
      afterClaim: () => {
        now += CLAIM_LEASE_MS;
      },
    });

    await expect(stalled.applyStep(KEY, aStep({ actions: creates(POD_COUNT) }), version)).rejects.toThrow(/lease/);
    now += WRITE_LAG_MS + 1_000;
    const recovered = await store().loadSnapshot(KEY);

    expect(recovered?.pods).toHaveLength(0);
    expect(recovered?.stepInProgress).toBeUndefined();
    expect(recovered?.version).toBe(version + 2);
  });

  it('renews its lease while it holds: a reader past the first lease waits, and the step completes', async () => {
    const claimedAt = T0 + 60_000;
    let now = claimedAt;
    const store = await aTable(() => now);
    const reader = store();
    const version = (await reader.loadSnapshot(KEY))?.version ?? -1;
    let seenAfterRenewal: unknown;
    let renewals = 0;
    const slow = store({
      // The step's writes take 20 s: less than 15 s of the lease is left when it sends its first item.
      afterClaim: () => {
        now += 20_000;
      },
      afterClaimRenewed: async () => {
        renewals += 1;
        if (renewals > 1) return;
        // Past the first lease and the write lag: without the renewal, this reader would take the claim over.
        now = claimedAt + CLAIM_LEASE_MS + WRITE_LAG_MS + 1_000;
        seenAfterRenewal = (await reader.loadSnapshot(KEY))?.stepInProgress;
      },
    });

    await slow.applyStep(KEY, aStep({ actions: creates(POD_COUNT), status: aStatus({ numberReady: 2 }) }), version);
    const after = await reader.loadSnapshot(KEY);

    expect(renewals).toBeGreaterThanOrEqual(1);
    expect(seenAfterRenewal).toBeDefined();
    expect(after?.stepInProgress).toBeUndefined();
    expect(after?.pods).toHaveLength(POD_COUNT);
    expect(after?.status?.numberReady).toBe(2);
    // Claimed and released: no takeover moved the version.
    expect(after?.version).toBe(version + 2);
  });

  it('sends its items again when DynamoDB refuses them for throughput, and releases', async () => {
    const now = T0 + 60_000;
    const store = await aTable(() => now);
    const version = (await store().loadSnapshot(KEY))?.version ?? -1;
    const throttled = store({}, overHttp(firstBatches(3, 'throttle')));

    await throttled.applyStep(
      KEY,
      aStep({ actions: creates(POD_COUNT), status: aStatus({ numberReady: 1 }) }),
      version,
    );
    const after = await store().loadSnapshot(KEY);

    expect(after?.stepInProgress).toBeUndefined();
    expect(after?.pods).toHaveLength(POD_COUNT);
    expect(after?.status?.numberReady).toBe(1);
  });

  it('leaves its claim to expire when an answer was lost and the SDK sent the batch again', async () => {
    let now = T0 + 60_000;
    const store = await aTable(() => now);
    const version = (await store().loadSnapshot(KEY))?.version ?? -1;
    const unlucky = store({}, overHttp(firstBatches(1, 'lose-answer')));

    const applying = unlucky.applyStep(KEY, aStep({ actions: creates(POD_COUNT) }), version);

    await expect(applying).rejects.toBeInstanceOf(UncertainClaimedWriteError);
    expect((await store().loadSnapshot(KEY))?.stepInProgress).toBeDefined();
    now += CLAIM_LEASE_MS + WRITE_LAG_MS + 1_000;
    const recovered = await store().loadSnapshot(KEY);
    expect(recovered?.stepInProgress).toBeUndefined();
    // The batch whose answer was lost landed: the takeover found its pods with the rest.
    expect(recovered?.pods).toHaveLength(POD_COUNT);
  });
});
