import { formatFieldError, type Validated } from '../../lib/manifest/field-error.js';
import { toPod } from '../../lib/manifest/pod-manifest.js';
import { type ManifestObject, ManifestSyntaxError, readManifests } from '../../lib/manifest/read-manifests.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../lib/manifest/to-node.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import { type InputText, readInput } from './read-input.js';

/**
 * Parses inputs into Kubernetes objects. Unparseable text is a usage error (exit 2) naming the file and the
 * parser's line and column.
 */
export function parseManifests(inputs: readonly InputText[]): readonly ManifestObject[] {
  return inputs.flatMap(({ text, source }) => {
    try {
      return readManifests(text, source);
    } catch (error) {
      if (error instanceof ManifestSyntaxError) {
        throw new CliError(`error: ${error.message}`, EXIT_CODES.invalidInput, { cause: error });
      }
      throw error;
    }
  });
}

/** Reads the one DaemonSet of a file; exit 2 with `<field path>: <message>` lines when it is invalid. */
export async function loadDaemonSet(path: string): Promise<DaemonSet> {
  const input = await readInput(path);
  const daemonSets = parseManifests([input]).filter((manifest) => manifest.kind === 'DaemonSet');
  const [first, ...rest] = daemonSets;
  if (first === undefined) throw new CliError(`error: no DaemonSet in ${input.source}`, EXIT_CODES.invalidInput);
  if (rest.length > 0) {
    throw new CliError(
      `error: ${input.source} holds ${daemonSets.length} DaemonSets; give one at a time`,
      EXIT_CODES.invalidInput,
    );
  }
  return validDaemonSet(first);
}

/** Every Node in a file (`kubectl get nodes -o yaml` output works as it is). */
export async function loadNodes(path: string): Promise<readonly Node[]> {
  const manifests = parseManifests([await readInput(path)]).filter((manifest) => manifest.kind === 'Node');
  return manifests.map(validNode);
}

/** Every Pod in a file. */
export async function loadPods(path: string): Promise<readonly Pod[]> {
  const manifests = parseManifests([await readInput(path)]).filter((manifest) => manifest.kind === 'Pod');
  return manifests.map(validPod);
}

export function validDaemonSet(manifest: ManifestObject): DaemonSet {
  return unwrap(toDaemonSet(manifest.object));
}

export function validNode(manifest: ManifestObject): Node {
  return unwrap(toNode(manifest.object));
}

export function validPod(manifest: ManifestObject): Pod {
  return unwrap(toPod(manifest.object));
}

function unwrap<T>(validated: Validated<T>): T {
  if (validated.ok) return validated.value;
  throw new CliError('invalid manifest', EXIT_CODES.invalidInput, { lines: validated.errors.map(formatFieldError) });
}
