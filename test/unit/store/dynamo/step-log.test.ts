import { describe, expect, it } from 'vitest';
import { isStepLogItem, loggedEntries, logPays, toStepLogItem } from '../../../../lib/store/dynamo/step-log.js';

const STAMP = { seq: 1_767_225_600_000, writeId: 'w-123456789a' };
const podKeys = (count: number, nodeLength = 10) =>
  Array.from({ length: count }, (_, index) => `POD#${`node-${index}`.padEnd(nodeLength, 'x')}#agent-${index}`);

describe('a step log', () => {
  it('sorts after every other item of the partition and names what its chunk wrote, with the chunk write id', () => {
    const log = toStepLogItem('DS#default/agent', STAMP, podKeys(3), 1_767_312_000);

    expect(log['sk']).toBe(`STEP#${STAMP.seq}#${STAMP.writeId}`);
    expect(['DAEMONSET', 'DAEMONSET#STATE', 'POD#zzz', 'REVISION#zzz'].every((sk) => sk < String(log['sk']))).toBe(
      true,
    );
    expect(isStepLogItem(log)).toBe(true);
    expect(loggedEntries(log)).toEqual(
      podKeys(3).map((sk) => ({ pk: 'DS#default/agent', sk, writeId: STAMP.writeId })),
    );
  });

  it('is written only when it costs fewer write units than a bySeq entry per item', () => {
    const log = (count: number, nodeLength?: number) =>
      toStepLogItem('DS#default/agent', STAMP, podKeys(count, nodeLength), 1_767_312_000);

    // Under 1 KB: 2 units inside the transaction and 1 for its own entry, against one entry per item.
    expect(logPays(log(3), 3)).toBe(false);
    expect(logPays(log(4), 4)).toBe(true);
    // Long node names make the log larger: 4 keys of about 270 bytes pass 1 KB (5 units, against 4 entries) ...
    expect(logPays(log(4, 250), 4)).toBe(false);
    // ... and 20 of them are about 5.4 KB (13 units), still fewer than 20.
    expect(logPays(log(20, 250), 20)).toBe(true);
  });
});
