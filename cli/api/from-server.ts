import { formatFieldError, type Validated } from '../../lib/manifest/field-error.js';
import type { ConditionStatus } from '../../lib/model/node.js';
import type { DaemonSetCondition, DaemonSetStatus } from '../../lib/model/status.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import { at, listAt, numberAt, stringAt } from '../output/kube-object.js';

/**
 * The model form of an object the server sent (through the same converters as manifests), so client-side
 * decisions such as placement use exactly the server's rules. A server object that does not convert is a
 * server fault (exit 1).
 */
export function fromServer<T>(convert: (object: unknown) => Validated<T>, object: unknown, what: string): T {
  const result = convert(object);
  if (result.ok) return result.value;
  throw new CliError(
    `error: the server sent a ${what} everynode cannot read: ${result.errors.map(formatFieldError).join('; ')}`,
    EXIT_CODES.failure,
  );
}

const CONDITION_STATUSES: readonly ConditionStatus[] = ['True', 'False', 'Unknown'];

/** A DaemonSet's `status` as the server printed it, in the model's shape (absent counters are 0). */
export function statusFromServer(daemonSet: unknown): DaemonSetStatus | undefined {
  if (typeof at(daemonSet, 'status') !== 'object') return undefined;
  const count = (field: string) => numberAt(daemonSet, 'status', field) ?? 0;
  const collisionCount = numberAt(daemonSet, 'status', 'collisionCount');
  const updateRevision =
    stringAt(daemonSet, 'status', 'updateRevision') ?? stringAt(daemonSet, 'status', 'daemonSetHash');
  return {
    observedGeneration: count('observedGeneration'),
    desiredNumberScheduled: count('desiredNumberScheduled'),
    currentNumberScheduled: count('currentNumberScheduled'),
    numberMisscheduled: count('numberMisscheduled'),
    numberReady: count('numberReady'),
    updatedNumberScheduled: count('updatedNumberScheduled'),
    numberAvailable: count('numberAvailable'),
    numberUnavailable: count('numberUnavailable'),
    ...(collisionCount === undefined ? {} : { collisionCount }),
    ...(updateRevision === undefined ? {} : { updateRevision }),
    conditions: listAt(daemonSet, 'status', 'conditions').flatMap((condition): DaemonSetCondition[] => {
      const type = stringAt(condition, 'type');
      const status = CONDITION_STATUSES.find((candidate) => candidate === stringAt(condition, 'status'));
      if (type === undefined || status === undefined) return [];
      const reason = stringAt(condition, 'reason');
      const message = stringAt(condition, 'message');
      return [
        {
          type,
          status,
          lastTransitionTime: stringAt(condition, 'lastTransitionTime') ?? '',
          ...(reason === undefined ? {} : { reason }),
          ...(message === undefined ? {} : { message }),
        },
      ];
    }),
  };
}
