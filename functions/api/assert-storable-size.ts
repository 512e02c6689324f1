import { ItemTooLargeError } from '../../lib/store/dynamo/item-size.js';
import { MAX_ITEM_BYTES } from '../../lib/store/plan/plan-step-writes.js';
import type { InvalidSubject } from './invalid.js';
import { ApiError } from './responses.js';

/**
 * Refuses, with 413, an object whose stored item would be larger than DynamoDB allows: accepted, it would
 * never be stored, and nothing would say why.
 *
 * @throws ApiError 413 `RequestEntityTooLarge` naming the object, its item's size and the limit.
 */
export function assertStorableSize(subject: InvalidSubject, bytes: number): void {
  if (bytes <= MAX_ITEM_BYTES) return;
  const qualified = subject.group === undefined ? subject.kind : `${subject.kind}.${subject.group}`;
  const { message } = new ItemTooLargeError(`${qualified} "${subject.name}"`, bytes);
  throw new ApiError(413, 'RequestEntityTooLarge', message, {
    name: subject.name,
    ...(subject.group === undefined ? {} : { group: subject.group }),
    kind: subject.kind,
  });
}
