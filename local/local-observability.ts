import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type Observability } from '../functions/shared/observability.js';

/** Keys every Powertools log item carries; the rest are the caller's attributes. */
const STANDARD_KEYS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'service',
  'timestamp',
  'sampling_rate',
  'xray_trace_id',
]);

const writers = new WeakMap<LineLogger, (line: string) => void>();

/** A Powertools Logger that writes one readable line per entry instead of a JSON document on stdout. */
class LineLogger extends Logger {
  protected override printLog(_logLevel: number, log: LogItem): void {
    const attributes = log.getAttributes();
    const level = String(attributes['level'] ?? '').toLowerCase();
    const extra = Object.entries(attributes)
      .filter(([key, value]) => !STANDARD_KEYS.has(key) && value !== undefined)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    const line = [`${attributes['service'] ?? ''}:`, level, String(attributes['message'] ?? ''), ...extra].join(' ');
    writers.get(this)?.(line);
  }
}

/** Metrics that are counted and dropped: locally there is no CloudWatch to read the EMF lines. */
class DiscardedMetrics extends Metrics {
  override publishStoredMetrics(): this {
    this.clearMetrics();
    return this;
  }
}

/**
 * The `Observability` the local control plane hands to the Lambda handlers: the same Powertools types,
 * writing warnings and errors as readable lines through `write`, and no metric output.
 *
 * @example
 * createLocalObservability('ingest', (line) => console.log(line)).logger.error('boom', { messageId: 'm-1' });
 * // writes "ingest: error boom messageId=m-1"
 */
export function createLocalObservability(
  serviceName: string,
  write: (line: string) => void,
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'WARN',
): Observability {
  const logger = new LineLogger({ serviceName, logLevel });
  writers.set(logger, write);
  return { logger, metrics: new DiscardedMetrics({ namespace: METRICS_NAMESPACE, serviceName }) };
}
