import type { DaemonSetEvent } from '../model/status.js';
import { expiresAfter } from './fact-time.js';
import type { EventRecord } from './stored-records.js';

/**
 * The most event text (JSON characters) one record holds. Far below DynamoDB's 400 KB item limit, so an
 * unusually large step (a raised `burstReplicas`, long messages) splits into several records instead of
 * failing; a 250-pod step of `SuccessfulCreate` events is about 40 KB, one record.
 */
export const MAX_EVENT_RECORD_CHARS = 64_000;

/**
 * Groups a step's events into records written after the step commits: one record per step unless its
 * events exceed `MAX_EVENT_RECORD_CHARS`. Sort keys are `<first event time>#<version read>#<part>`, unique
 * per step (each step moves the version) and ordered as the events were. Returns [] for no events.
 *
 * @example
 * planEventRecords(7, [created, created], '2026-01-01T00:00:00.000Z', 86_400);
 * // [{ sortKey: '2026-01-01T00:00:00.000Z#000000000007#0000', events: [created, created], expiresAt: … }]
 */
export function planEventRecords(
  version: number,
  events: readonly DaemonSetEvent[],
  now: string,
  eventSeconds: number,
): readonly EventRecord[] {
  const parts: DaemonSetEvent[][] = [];
  let size = 0;
  for (const event of events) {
    const eventSize = JSON.stringify(event).length + 1;
    const current = parts.at(-1);
    if (current === undefined || size + eventSize > MAX_EVENT_RECORD_CHARS) {
      parts.push([event]);
      size = eventSize;
    } else {
      current.push(event);
      size += eventSize;
    }
  }
  return parts.map((part, index) => {
    const time = validTime(part[0]?.time ?? now, now);
    return {
      sortKey: `${time}#${pad(version, 12)}#${pad(index, 4)}`,
      events: part,
      expiresAt: expiresAfter(time, eventSeconds),
    };
  });
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

const validTime = (time: string, fallback: string): string => (Number.isNaN(Date.parse(time)) ? fallback : time);
