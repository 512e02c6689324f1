import type { FieldError } from '../manifest/field-error.js';
import { readPlacement } from '../manifest/read-placement.js';
import type { DaemonSet, PodTemplate } from '../model/daemon-set.js';
import { TerminalError } from '../ports/errors.js';

/**
 * The DaemonSet with another pod template and the typed `placement` view read from it, so the two never
 * disagree after a rollback or auto-revert (the template comes from a revision, valid when applied).
 *
 * @throws {TerminalError} the template's placement fields do not validate.
 */
export function withTemplate(daemonSet: DaemonSet, template: PodTemplate): DaemonSet {
  const errors: FieldError[] = [];
  const placement = readPlacement(template.spec, 'spec.template.spec', errors);
  if (errors.length > 0) {
    throw new TerminalError(
      `template of ${daemonSet.namespace}/${daemonSet.name} is invalid: ${errors.map((error) => error.field).join(', ')}`,
    );
  }
  return { ...daemonSet, template, placement };
}
