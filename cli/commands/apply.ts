import { daemonSetObjectName } from '../../lib/manifest/object-name.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { Node } from '../../lib/model/node.js';
import type { ApiClient } from '../api/api-client.js';
import { connect } from '../api/api-client.js';
import { toApiError } from '../api/api-error.js';
import { awaitVisible } from '../api/await-visible.js';
import { daemonSetPath } from '../api/find-daemon-set.js';
import { sameNode, sameSpec } from '../api/same-spec.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { checkManifests } from '../input/check-manifests.js';
import { parseManifests } from '../input/load-manifests.js';
import { readInputs } from '../input/read-input.js';

export type ApplyOptions = Readonly<{ filename: readonly string[] }> & ConnectionOptions;

/**
 * `everynode apply -f <files|folders|->`: validates every DaemonSet and Node first, exactly as `validate`
 * does (nothing is sent if one is invalid), names every object of another kind as skipped, then stores each
 * DaemonSet and Node, printing `daemonset.apps/<name> created|configured|unchanged`.
 */
export async function runApply(options: ApplyOptions): Promise<void> {
  const inputs = await readInputs(options.filename);
  const manifests = parseManifests(inputs);
  if (manifests.length === 0) throw new CliError('error: no objects passed to apply', EXIT_CODES.invalidInput);
  const { checked, skipped } = checkManifests(
    manifests,
    inputs.map((input) => input.source),
  );
  for (const line of skipped) process.stdout.write(`${line}\n`);
  const client = connect(options);
  for (const object of checked) {
    const line =
      object.kind === 'DaemonSet'
        ? await applyDaemonSet(client, object.daemonSet, object.manifest.object)
        : await applyNode(client, object.node, object.manifest.object);
    process.stdout.write(`${line}\n`);
  }
}

async function applyDaemonSet(client: ApiClient, daemonSet: DaemonSet, manifest: unknown): Promise<string> {
  const path = daemonSetPath(daemonSet);
  const name = daemonSetObjectName(daemonSet);
  const existing = await client.find(path);
  await put(client, '/v1/daemonsets', manifest, name);
  const outcome = existing === undefined ? 'created' : sameSpec(existing, daemonSet) ? 'unchanged' : 'configured';
  await awaitVisible(name, async () => sameSpec(await client.find(path), daemonSet));
  return `${name} ${outcome}`;
}

async function applyNode(client: ApiClient, node: Node, manifest: unknown): Promise<string> {
  const path = `/v1/nodes/${encodeURIComponent(node.name)}`;
  const existing = await client.find(path);
  await put(client, path, manifest, `node/${node.name}`);
  const outcome = existing === undefined ? 'created' : sameNode(existing, node) ? 'unchanged' : 'configured';
  await awaitVisible(`node/${node.name}`, async () => sameNode(await client.find(path), node));
  return `node/${node.name} ${outcome}`;
}

/** A PUT whose refusal for size names the object and how large it is, which the server's answer cannot. */
async function put(client: ApiClient, path: string, manifest: unknown, name: string): Promise<void> {
  const response = await client.send('PUT', path, manifest);
  if (response.status >= 200 && response.status < 300) return;
  if (response.status !== 413) throw toApiError(response.status, response.body, client.endpoint);
  const kib = Math.ceil(new TextEncoder().encode(JSON.stringify(manifest)).length / 1024);
  const { message } = (response.body ?? {}) as { message?: unknown };
  const said = typeof message === 'string' ? ` (${message})` : '';
  throw new CliError(
    `error: ${name} is ${kib} KiB as JSON, more than the everynode API takes in one request${said}`,
    EXIT_CODES.failure,
  );
}
