import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS } from '../../../../lib/store/dynamo/claimed-step.js';
import { InFlightWrites } from '../../../../lib/store/dynamo/in-flight-writes.js';
import { isExpired, recheckAfterClaim } from '../../../../lib/store/dynamo/recover-claim.js';
import type { DynamoContext } from '../../../../lib/store/dynamo/table.js';
import { toStoreSettings } from '../../../../lib/store/plan/store-options.js';

const CLAIMED_AT = Date.UTC(2026, 0, 1);
const claim = { id: 'claim-1', until: CLAIMED_AT + CLAIM_LEASE_MS };
const WRITE_LAG_MS = 120_000;

const contextAt = (now: number, inFlightWrites?: InFlightWrites): DynamoContext => ({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  tableName: 'everynode',
  settings: toStoreSettings({ now: () => now, writeLagMs: WRITE_LAG_MS }),
  ...(inFlightWrites === undefined ? {} : { inFlightWrites }),
});

describe('a live claim, as a reader sees it', () => {
  it('is waited for until it expires: its claimer, if alive, carries on after its release', () => {
    expect(recheckAfterClaim(contextAt(CLAIMED_AT + 1_000), claim)).toBe(
      (CLAIM_LEASE_MS + WRITE_LAG_MS - 1_000) / 1000 + 1,
    );
    expect(recheckAfterClaim(contextAt(claim.until + WRITE_LAG_MS + 5_000), claim)).toBe(1);
  });

  it('expires only once no write its claimer sent before its lease ended can still land', () => {
    expect(isExpired(contextAt(claim.until + WRITE_LAG_MS - 1_000), claim)).toBe(false);
    expect(isExpired(contextAt(claim.until + WRITE_LAG_MS + 1_000), claim)).toBe(true);
  });

  it('expires on the table only writer as soon as its lease is over and no call from before it is under way', async () => {
    const writes = new InFlightWrites();
    let finish = () => {};
    const stalled = writes.track(
      CLAIMED_AT,
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );

    expect(isExpired(contextAt(claim.until + 5_000, writes), claim)).toBe(false);
    finish();
    await stalled;
    expect(isExpired(contextAt(claim.until + 5_000, writes), claim)).toBe(true);
  });
});
