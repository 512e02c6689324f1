import { daemonSetObjectName } from '../../lib/manifest/object-name.js';
import { type CheckedObject, checkManifests } from '../input/check-manifests.js';
import { parseManifests } from '../input/load-manifests.js';
import { readInput } from '../input/read-input.js';

export type ValidateOptions = Readonly<{ filename: string }>;

/**
 * `everynode validate -f x.yaml`: checks every DaemonSet and Node of the file as `apply` does, prints one line
 * per object (`daemonset.apps/x (ns) is valid`, or `<kind>/<name> skipped: ...` for other kinds) and exits 0,
 * or exits 2 with one line per field error.
 */
export async function runValidate(options: ValidateOptions): Promise<void> {
  const input = await readInput(options.filename);
  const { checked, skipped } = checkManifests(parseManifests([input]), [input.source]);
  const lines = [...skipped, ...checked.map(validLine)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function validLine(object: CheckedObject): string {
  if (object.kind === 'Node') return `node/${object.node.name} is valid`;
  const { daemonSet } = object;
  return `${daemonSetObjectName(daemonSet)} (${daemonSet.namespace}) is valid`;
}
