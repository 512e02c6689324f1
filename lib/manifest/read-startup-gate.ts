import type { DaemonSet } from '../model/daemon-set.js';
import type { StartupGate } from '../model/node-lifecycle.js';
import {
  annotationPath,
  STARTUP_CRITICAL_ANNOTATION,
  STARTUP_TIMEOUT_SECONDS_ANNOTATION,
} from './everynode-annotations.js';
import { type FieldError, invalidValue } from './field-error.js';

type Annotations = Readonly<Record<string, string>>;

/**
 * Reads `everynode.io/startup-critical` (`"true"`, `"continuous"` or `"false"`) and
 * `everynode.io/startup-timeout-seconds` (an integer > 0, only with the first), reporting bad values at their
 * annotation paths. Undefined when the DaemonSet is not startup-critical.
 *
 * @example
 * readStartupGate({ 'everynode.io/startup-critical': 'true' }, []); // { mode: 'bootstrap' }
 */
export function readStartupGate(annotations: Annotations, errors: FieldError[]): StartupGate | undefined {
  const critical = annotations[STARTUP_CRITICAL_ANNOTATION];
  const timeout = annotations[STARTUP_TIMEOUT_SECONDS_ANNOTATION];
  let mode: StartupGate['mode'] | undefined;
  if (critical === 'true') mode = 'bootstrap';
  else if (critical === 'continuous') mode = 'continuous';
  else if (critical !== undefined && critical !== 'false') {
    errors.push(
      invalidValue(annotationPath(STARTUP_CRITICAL_ANNOTATION), critical, 'must be "true", "continuous" or "false"'),
    );
  }
  let timeoutSeconds: number | undefined;
  if (timeout !== undefined) {
    const path = annotationPath(STARTUP_TIMEOUT_SECONDS_ANNOTATION);
    const number = /^[0-9]+$/.test(timeout) ? Number(timeout) : Number.NaN;
    if (!Number.isSafeInteger(number) || number <= 0) {
      errors.push(invalidValue(path, timeout, 'must be an integer number of seconds greater than 0'));
    } else if (mode === undefined && critical !== undefined && critical !== 'false') {
      // The critical annotation is invalid and already reported.
    } else if (mode === undefined) {
      errors.push(
        invalidValue(path, timeout, `requires \`${STARTUP_CRITICAL_ANNOTATION}\`: only critical DaemonSets gate nodes`),
      );
    } else {
      timeoutSeconds = number;
    }
  }
  if (mode === undefined) return undefined;
  return timeoutSeconds === undefined ? { mode } : { mode, timeoutSeconds };
}

/**
 * The startup gate of a stored DaemonSet (validated when it was applied), undefined when it is not
 * startup-critical.
 */
export function startupGateOf(daemonSet: DaemonSet): StartupGate | undefined {
  return readStartupGate(daemonSet.annotations, []);
}
