import type { ConditionStatus, NodeCondition } from '../model/node.js';
import { type FieldError, unsupportedValue } from './field-error.js';
import { readList, readObject, readString } from './read-json.js';

const STATUSES: readonly ConditionStatus[] = ['True', 'False', 'Unknown'];
const isStatus = (status: string): status is ConditionStatus => (STATUSES as readonly string[]).includes(status);

/** Reads `status.conditions` of a Node or Pod: type, status, reason, message and lastTransitionTime. */
export function readConditions(value: unknown, path: string, errors: FieldError[]): NodeCondition[] {
  return (readList(value, path, errors) ?? []).flatMap((entry, index) => {
    const itemPath = `${path}[${index}]`;
    const condition = readObject(entry, itemPath, errors) ?? {};
    const status = readString(condition['status'], `${itemPath}.status`, errors) ?? '';
    if (!isStatus(status)) {
      errors.push(unsupportedValue(`${itemPath}.status`, status, STATUSES));
      return [];
    }
    const reason = readString(condition['reason'], `${itemPath}.reason`, errors);
    const message = readString(condition['message'], `${itemPath}.message`, errors);
    const lastTransitionTime = readString(condition['lastTransitionTime'], `${itemPath}.lastTransitionTime`, errors);
    return [
      {
        type: readString(condition['type'], `${itemPath}.type`, errors) ?? '',
        status,
        ...(reason === undefined ? {} : { reason }),
        ...(message === undefined ? {} : { message }),
        ...(lastTransitionTime === undefined ? {} : { lastTransitionTime }),
      },
    ];
  });
}
