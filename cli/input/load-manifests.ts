import { formatFieldError, type Validated } from '../../lib/manifest/field-error.js';
import { toPod } from '../../lib/manifest/pod-manifest.js';
import { type ManifestObject, ManifestSyntaxError, readManifests } from '../../lib/manifest/read-manifests.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../lib/manifest/to-node.js';
import type { DaemonSet, JsonObject } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import { checkManifests } from './check-manifests.js';
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

/**
 * The DaemonSets of a file, each checked as `validate` checks it (exit 2 with `<field path>: <message>` lines
 * when one is invalid), or only the one named `name`. Objects of other kinds are named on stderr.
 */
export async function loadDaemonSets(path: string, name?: string): Promise<readonly DaemonSet[]> {
  const input = await readInput(path);
  const manifests = parseManifests([input]).filter((manifest) => manifest.kind !== 'Node');
  if (!manifests.some((manifest) => manifest.kind === 'DaemonSet')) {
    throw new CliError(`error: no DaemonSet in ${input.source}`, EXIT_CODES.invalidInput);
  }
  const { checked, skipped } = checkManifests(manifests, [input.source]);
  for (const line of skipped) process.stderr.write(`${line}\n`);
  const daemonSets = checked.flatMap((object) => (object.kind === 'DaemonSet' ? [object.daemonSet] : []));
  if (name === undefined) return daemonSets;
  const named = daemonSets.filter((daemonSet) => daemonSet.name === name);
  if (named.length === 0) {
    const names = daemonSets.map((daemonSet) => daemonSet.name).join(', ');
    throw new CliError(
      `error: no DaemonSet named "${name}" in ${input.source} (it holds ${names})`,
      EXIT_CODES.invalidInput,
    );
  }
  return named;
}

/** The one DaemonSet of a file, or the one named `name`; exit 2 when there are several to choose from. */
export async function loadDaemonSet(path: string, name?: string): Promise<DaemonSet> {
  const daemonSets = await loadDaemonSets(path, name);
  const [first, ...rest] = daemonSets;
  if (first === undefined || rest.length > 0) {
    const names = daemonSets.map((daemonSet) => daemonSet.name).join(', ');
    throw new CliError(
      `error: ${path} holds ${daemonSets.length} DaemonSets (${names}); name one with --name`,
      EXIT_CODES.invalidInput,
    );
  }
  return first;
}

/** Every Node in a file (`kubectl get nodes -o yaml` output works as it is). */
export async function loadNodes(path: string): Promise<readonly Node[]> {
  const manifests = parseManifests([await readInput(path)]).filter((manifest) => manifest.kind === 'Node');
  return manifests.map(validNode);
}

/** Every object of `kind` in a file, as decoded JSON (`kubectl get controllerrevisions -o yaml` works as it is). */
export async function loadObjects(path: string, kind: string): Promise<readonly JsonObject[]> {
  const manifests = parseManifests([await readInput(path)]).filter((manifest) => manifest.kind === kind);
  return manifests.map((manifest) => manifest.object);
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
