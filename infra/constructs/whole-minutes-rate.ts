import type { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';

/**
 * An EventBridge rate of `interval`, which must be whole minutes (EventBridge's unit), at least one.
 *
 * @throws {Error} naming `what` (e.g. "resync interval") when it is not.
 */
export function wholeMinutesRate(interval: Duration, what: string): Schedule {
  const minutes = interval.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`the ${what} must be a whole number of minutes, at least one; got ${interval.toHumanString()}`);
  }
  return Schedule.rate(interval);
}
