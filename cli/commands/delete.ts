import type { ApiClient } from '../api/api-client.js';
import { connect } from '../api/api-client.js';
import { awaitVisible } from '../api/await-visible.js';
import { type DaemonSetName, daemonSetPath, resolveDaemonSet } from '../api/find-daemon-set.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { describeObject } from '../input/check-manifests.js';
import { parseManifests, validDaemonSet, validNode } from '../input/load-manifests.js';
import { readInputs } from '../input/read-input.js';
import { stringAt } from '../output/kube-object.js';
import { parseResourceReference } from '../resource-kind.js';

export type DeleteOptions = Readonly<{ filename?: readonly string[]; namespace?: string }> & ConnectionOptions;

type Target = Readonly<{ kind: 'daemonset'; daemonSet: DaemonSetName }> | Readonly<{ kind: 'node'; name: string }>;

/** `everynode delete daemonset <name>`, `delete node <name>`, or `delete -f <files>` (DaemonSets and Nodes). */
export async function runDelete(
  resource: string | undefined,
  name: string | undefined,
  options: DeleteOptions,
): Promise<void> {
  const client = connect(options);
  for (const target of await targetsOf(client, resource, name, options)) {
    if (target.kind === 'daemonset') {
      const path = daemonSetPath(target.daemonSet);
      await client.delete(path);
      await awaitVisible(`deleting daemonset.apps "${target.daemonSet.name}"`, async () => {
        const left = await client.find(path);
        return left === undefined || stringAt(left, 'metadata', 'deletionTimestamp') !== undefined;
      });
      process.stdout.write(`daemonset.apps "${target.daemonSet.name}" deleted\n`);
    } else {
      const path = `/v1/nodes/${encodeURIComponent(target.name)}`;
      await client.delete(path);
      await awaitVisible(`deleting node "${target.name}"`, async () => (await client.find(path)) === undefined);
      process.stdout.write(`node "${target.name}" deleted\n`);
    }
  }
}

async function targetsOf(
  client: ApiClient,
  resource: string | undefined,
  name: string | undefined,
  options: DeleteOptions,
): Promise<readonly Target[]> {
  if (options.filename !== undefined) {
    if (resource !== undefined) {
      throw new CliError('error: give either -f or a resource and a name, not both', EXIT_CODES.invalidInput);
    }
    return parseManifests(await readInputs(options.filename)).flatMap((manifest): Target[] => {
      if (manifest.kind === 'DaemonSet') {
        const daemonSet = validDaemonSet(manifest);
        return [{ kind: 'daemonset', daemonSet: { namespace: daemonSet.namespace, name: daemonSet.name } }];
      }
      if (manifest.kind === 'Node') return [{ kind: 'node', name: validNode(manifest).name }];
      process.stdout.write(`${describeObject(manifest)} skipped: everynode manages DaemonSets and Nodes\n`);
      return [];
    });
  }
  if (resource === undefined) {
    throw new CliError(
      'error: say what to delete: `delete daemonset <name>`, `delete node <name>` or `delete -f <file>`',
      EXIT_CODES.invalidInput,
    );
  }
  const reference = parseResourceReference(resource, name, ['daemonsets', 'nodes']);
  if (reference.name === undefined) {
    throw new CliError(`error: a ${reference.kind.slice(0, -1)} name is required`, EXIT_CODES.invalidInput);
  }
  if (reference.kind === 'nodes') return [{ kind: 'node', name: reference.name }];
  return [{ kind: 'daemonset', daemonSet: await resolveDaemonSet(client, reference.name, options.namespace) }];
}
