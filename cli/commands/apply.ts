import type { ManifestObject } from '../../lib/manifest/read-manifests.js';
import type { ApiClient } from '../api/api-client.js';
import { connect } from '../api/api-client.js';
import { awaitVisible } from '../api/await-visible.js';
import { daemonSetPath } from '../api/find-daemon-set.js';
import { sameNode, sameSpec } from '../api/same-spec.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { parseManifests, validDaemonSet, validNode } from '../input/load-manifests.js';
import { readInputs } from '../input/read-input.js';

export type ApplyOptions = Readonly<{ filename: readonly string[] }> & ConnectionOptions;

const APPLICABLE = new Set(['DaemonSet', 'Node']);

/**
 * `everynode apply -f <files|folders|->`: validates every object first (nothing is sent if one is invalid),
 * then stores each DaemonSet and Node, printing `daemonset.apps/<name> created|configured|unchanged`.
 */
export async function runApply(options: ApplyOptions): Promise<void> {
  const manifests = parseManifests(await readInputs(options.filename));
  if (manifests.length === 0) throw new CliError('error: no objects passed to apply', EXIT_CODES.invalidInput);
  for (const manifest of manifests) validate(manifest);
  const client = connect(options);
  for (const manifest of manifests) {
    const line =
      manifest.kind === 'DaemonSet' ? await applyDaemonSet(client, manifest) : await applyNode(client, manifest);
    process.stdout.write(`${line}\n`);
  }
}

function validate(manifest: ManifestObject): void {
  if (!APPLICABLE.has(manifest.kind)) {
    throw new CliError(
      `error: ${manifest.source}: everynode manages DaemonSets and Nodes, not ${manifest.kind}`,
      EXIT_CODES.invalidInput,
    );
  }
  try {
    if (manifest.kind === 'DaemonSet') validDaemonSet(manifest);
    else validNode(manifest);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    throw new CliError(error.message, error.exitCode, {
      cause: error,
      lines: [`error: ${manifest.source}: the ${manifest.kind} is invalid:`, ...error.lines],
    });
  }
}

async function applyDaemonSet(client: ApiClient, manifest: ManifestObject): Promise<string> {
  const daemonSet = validDaemonSet(manifest);
  const path = daemonSetPath(daemonSet);
  const existing = await client.find(path);
  await client.put('/v1/daemonsets', manifest.object);
  const outcome = existing === undefined ? 'created' : sameSpec(existing, daemonSet) ? 'unchanged' : 'configured';
  await awaitVisible(`daemonset.apps/${daemonSet.name}`, async () => sameSpec(await client.find(path), daemonSet));
  return `daemonset.apps/${daemonSet.name} ${outcome}`;
}

async function applyNode(client: ApiClient, manifest: ManifestObject): Promise<string> {
  const node = validNode(manifest);
  const path = `/v1/nodes/${encodeURIComponent(node.name)}`;
  const existing = await client.find(path);
  await client.put(path, manifest.object);
  const outcome = existing === undefined ? 'created' : sameNode(existing, node) ? 'unchanged' : 'configured';
  await awaitVisible(`node/${node.name}`, async () => sameNode(await client.find(path), node));
  return `node/${node.name} ${outcome}`;
}
