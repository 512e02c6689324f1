import { describe, expect, it } from 'vitest';
import { parseReconcileMessage } from '../../../lib/messages/parse-reconcile-message.js';
import { TerminalError } from '../../../lib/ports/errors.js';

describe('parseReconcileMessage', () => {
  it('reads the daemon set key', () => {
    const message = parseReconcileMessage('{"daemonSet":"ops/logs"}');

    expect(message).toEqual({ daemonSet: 'ops/logs' });
  });

  it.each(['not json', '{}', '{"daemonSet":"logs"}', '{"daemonSet":"ops/"}'])('refuses %s', (body) => {
    expect(() => parseReconcileMessage(body)).toThrow(TerminalError);
  });
});
