import { formatFieldError, type Validated } from '../../lib/manifest/field-error.js';
import { objectName } from '../../lib/manifest/object-name.js';
import type { ManifestObject } from '../../lib/manifest/read-manifests.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../lib/manifest/to-node.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import { CliError, EXIT_CODES } from '../cli-error.js';

/** An object everynode acts on, validated. */
export type CheckedObject =
  | Readonly<{ kind: 'DaemonSet'; manifest: ManifestObject; daemonSet: DaemonSet }>
  | Readonly<{ kind: 'Node'; manifest: ManifestObject; node: Node }>;

/** What `validate` and `apply` make of their input: the same verdict, in the same words. */
export type ManifestCheck = Readonly<{
  checked: readonly CheckedObject[];
  /** One line per object of another kind: `namespace/kube-flannel skipped: everynode manages DaemonSets and Nodes`. */
  skipped: readonly string[];
}>;

const MANAGED = new Set(['DaemonSet', 'Node']);

/**
 * Validates every DaemonSet and Node of the input as the API server would (strict field validation
 * included), and names every other object as skipped.
 *
 * @throws CliError (exit 2) listing every invalid object's errors, one `<field path>: <message>` line each
 *   (under a line naming the object when the input holds several), or when the input holds no DaemonSet
 *   and no Node.
 */
export function checkManifests(manifests: readonly ManifestObject[], sources: readonly string[]): ManifestCheck {
  const managed = manifests.filter((manifest) => MANAGED.has(manifest.kind));
  const skipped = manifests
    .filter((manifest) => !MANAGED.has(manifest.kind))
    .map((manifest) => `${describeObject(manifest)} skipped: everynode manages DaemonSets and Nodes`);
  const checked: CheckedObject[] = [];
  const lines: string[] = [];
  for (const manifest of managed) {
    const result = check(manifest);
    if (result.ok) {
      checked.push(result.value);
      continue;
    }
    if (managed.length > 1) lines.push(`error: ${manifest.source}: ${describeObject(manifest)} is invalid:`);
    lines.push(...result.errors.map(formatFieldError));
  }
  if (lines.length > 0)
    throw new CliError('invalid manifest', EXIT_CODES.invalidInput, { lines: [...skipped, ...lines] });
  if (checked.length === 0) {
    throw new CliError('nothing to act on', EXIT_CODES.invalidInput, {
      lines: [...skipped, `error: no DaemonSet or Node in ${sources.join(', ') || 'the input'}`],
    });
  }
  return { checked, skipped };
}

function check(manifest: ManifestObject): Validated<CheckedObject> {
  if (manifest.kind === 'DaemonSet') {
    const result = toDaemonSet(manifest.object, { strict: true });
    return result.ok ? { ok: true, value: { kind: 'DaemonSet', manifest, daemonSet: result.value } } : result;
  }
  const result = toNode(manifest.object);
  return result.ok ? { ok: true, value: { kind: 'Node', manifest, node: result.value } } : result;
}

/** `namespace/kube-flannel`, `daemonset.apps/x`: the object as kubectl names it. */
export function describeObject(manifest: ManifestObject): string {
  const metadata = manifest.object['metadata'];
  const name =
    typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && 'name' in metadata
      ? String(metadata['name'])
      : '<unnamed>';
  return objectName(manifest.apiVersion, manifest.kind || 'object', name);
}
