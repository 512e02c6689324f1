import { loggedEntries } from '../../../../lib/store/dynamo/step-log.js';
import { type Item, sortKeyOf } from '../../../../lib/store/dynamo/table.js';

/** The sort keys a step log names, however it stores them. */
export const loggedKeys = (log: Record<string, unknown> | undefined): readonly string[] =>
  log === undefined ? [] : loggedEntries(log as Item).map(sortKeyOf);
