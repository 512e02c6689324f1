import { describe, expect, it } from 'vitest';
import { toIngestMessage } from '../../../lib/messages/ingest-message.js';
import { TerminalError } from '../../../lib/ports/errors.js';

describe('toIngestMessage', () => {
  it('returns a well-formed message unchanged', () => {
    const message = { type: 'RolloutCommand', namespace: 'ops', name: 'logs', command: 'pause' };

    const result = toIngestMessage(message);

    expect(result).toEqual(message);
  });

  it('refuses a malformed message with the offending field', () => {
    const message = { type: 'PodStatusReported', report: { namespace: 'ops' } };

    expect(() => toIngestMessage(message)).toThrow(TerminalError);
    expect(() => toIngestMessage(message)).toThrow(/report\.daemonSet: /);
  });
});
