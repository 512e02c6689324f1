import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalObservability } from '../../../local/local-observability.js';

describe('createLocalObservability', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes warnings and errors as one readable line each, and drops lower levels', () => {
    const lines: string[] = [];
    const { logger } = createLocalObservability('ingest', (line) => lines.push(line));

    logger.info('fact handled', { messageId: 'm-1' });
    logger.error('acknowledging unrecoverable message', { messageId: 'm-2', reason: 'unknown message type "X"' });

    expect(lines).toEqual([
      'ingest: error acknowledging unrecoverable message messageId=m-2 reason=unknown message type "X"',
    ]);
  });

  it('publishes no metrics to stdout', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const { metrics } = createLocalObservability('reconcile', () => undefined);
    metrics.addMetric('ReconcilePasses', MetricUnit.Count, 1);

    metrics.publishStoredMetrics();

    expect(stdout).not.toHaveBeenCalled();
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
