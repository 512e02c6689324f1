import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isStepLogItem, loggedEntries, logPays, toStepLogItem } from '../../../../lib/store/dynamo/step-log.js';

const STAMP = { seq: 1_767_225_600_000, writeId: 'w-123456789a' };
/** Node names padded with random characters to `nodeLength`, so that their log hardly compresses. */
const podKeys = (count: number, nodeLength = 10) =>
  Array.from(
    { length: count },
    (_, index) =>
      `POD#${`node-${index}-${randomBytes(nodeLength).toString('base64url')}`.slice(0, nodeLength)}#agent-${index}`,
  );

describe('a step log', () => {
  it('sorts after every other item of the partition and names what its chunk wrote, with the chunk write id', () => {
    const keys = podKeys(3);
    const log = toStepLogItem('DS#default/agent', STAMP, keys, 1_767_312_000);

    expect(log['sk']).toBe(`STEP#${STAMP.seq}#${STAMP.writeId}`);
    expect(['DAEMONSET', 'DAEMONSET#STATE', 'POD#zzz', 'REVISION#zzz'].every((sk) => sk < String(log['sk']))).toBe(
      true,
    );
    expect(isStepLogItem(log)).toBe(true);
    expect(loggedEntries(log)).toEqual(keys.map((sk) => ({ pk: 'DS#default/agent', sk, writeId: STAMP.writeId })));
  });

  it('stores its keys compressed when that is smaller, and names the same items', () => {
    const keys = Array.from({ length: 250 }, (_, index) => `POD#ip-10-0-${index}-17.ec2.internal#agent-${index}`);
    const log = toStepLogItem('DS#default/agent', STAMP, keys, 1_767_312_000);

    expect(log).not.toHaveProperty('keys');
    expect((log['keysGzip'] as Uint8Array).byteLength).toBeLessThan(keys.join('\n').length / 3);
    expect(loggedEntries(log).map((entry) => entry['sk'])).toEqual(keys);
  });

  it('is written only when it costs fewer write units than a bySeq entry per item', () => {
    const log = (count: number, nodeLength?: number) =>
      toStepLogItem('DS#default/agent', STAMP, podKeys(count, nodeLength), 1_767_312_000);

    // Under 1 KB: 2 units inside the transaction and 1 for its own entry, against one entry per item.
    expect(logPays(log(3), 3)).toBe(false);
    expect(logPays(log(4), 4)).toBe(true);
    // Long node names make the log larger: 4 keys of about 420 bytes pass 1 KB even compressed (5 units, against
    // 4 entries) ...
    expect(logPays(log(4, 400), 4)).toBe(false);
    // ... and 20 of them are about 6.5 KB compressed (15 units), still fewer than 20.
    expect(logPays(log(20, 400), 20)).toBe(true);
  });
});
