import { describe, expect, it } from 'vitest';
import {
  acknowledgeTerminalErrors,
  MAX_REJECTED_BODY_CHARS,
} from '../../../functions/shared/acknowledge-terminal-error.js';
import { TerminalError } from '../../../lib/ports/errors.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { aRecordingObservability } from '../../fixtures/events/recording-observability.js';
import { anSqsRecord, SENT_AT } from '../../fixtures/events/sqs-records.js';

function deps() {
  return {
    store: new InMemoryClusterStore(),
    observability: aRecordingObservability(),
    now: () => SENT_AT,
    source: 'api',
  };
}

const refuse = async () => {
  throw new TerminalError('no good');
};

describe('acknowledgeTerminalErrors', () => {
  it('keeps only the start of a large refused body', async () => {
    const context = deps();
    const record = anSqsRecord('x'.repeat(MAX_REJECTED_BODY_CHARS + 10));

    await acknowledgeTerminalErrors(record, context, refuse);

    const [rejection] = await context.store.listRejections();
    expect(rejection?.body).toBe(`${'x'.repeat(MAX_REJECTED_BODY_CHARS)}… (10 more characters)`);
  });

  it('identifies a record without message id or queue by a hash of its body and the given source', async () => {
    const context = deps();
    const record = anSqsRecord('{}', { messageId: '', eventSourceARN: '' });

    await acknowledgeTerminalErrors(record, context, refuse);

    const [rejection] = await context.store.listRejections();
    expect(rejection).toMatchObject({ id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), source: 'api' });
  });

  it('lets every other error through', async () => {
    const context = deps();

    const run = acknowledgeTerminalErrors(anSqsRecord('{}'), context, async () => {
      throw new Error('socket hang up');
    });

    await expect(run).rejects.toThrow('socket hang up');
    expect(await context.store.listRejections()).toEqual([]);
  });
});
