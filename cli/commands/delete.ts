import type { ApiClient } from '../api/api-client.js';
import { connect } from '../api/api-client.js';
import { awaitVisible } from '../api/await-visible.js';
import { type DaemonSetName, daemonSetPath, resolveDaemonSet } from '../api/find-daemon-set.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { describeObject } from '../input/check-manifests.js';
import { parseManifests, validDaemonSet, validNode } from '../input/load-manifests.js';
import { readInputs } from '../input/read-input.js';
import { itemsOf, nameOf, namespaceOf, stringAt } from '../output/kube-object.js';
import { parseResourceReference } from '../resource-kind.js';

export type DeleteOptions = Readonly<{
  filename?: readonly string[];
  namespace?: string;
  /** `--grace-period`: seconds a pod's agent is given to stop it; -1 (the default) sends none. */
  gracePeriod?: string;
  /** `--force`: with `--grace-period=0` (or none), remove the pod at once without waiting for its agent. */
  force?: boolean;
}> &
  ConnectionOptions;

type Target =
  | Readonly<{ kind: 'daemonset'; daemonSet: DaemonSetName }>
  | Readonly<{ kind: 'node'; name: string }>
  | Readonly<{ kind: 'pod'; namespace: string; name: string }>;

/**
 * `everynode delete daemonset <name>`, `delete node <name>`, `delete pod <name>`, or `delete -f <files>`
 * (DaemonSets and Nodes). A deleted pod terminates on its node and its DaemonSet replaces it, as in Kubernetes.
 */
export async function runDelete(
  resource: string | undefined,
  name: string | undefined,
  options: DeleteOptions,
): Promise<void> {
  const client = connect(options);
  for (const target of await targetsOf(client, resource, name, options)) {
    if (target.kind === 'pod') {
      await deletePod(client, target, gracePeriodOf(options));
    } else if (target.kind === 'daemonset') {
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

/**
 * kubectl's `--grace-period` and `--force`: 0 without `--force` becomes 1 (a graceful deletion, as kubectl
 * guards against accidental forced ones); `--force` without a grace period means 0.
 */
function gracePeriodOf(options: DeleteOptions): number | undefined {
  const given = options.gracePeriod === undefined ? -1 : Number(options.gracePeriod);
  if (!Number.isInteger(given) || given < -1) {
    throw new CliError(
      `error: --grace-period must be a whole number of seconds (or -1), not ${JSON.stringify(options.gracePeriod)}`,
      EXIT_CODES.invalidInput,
    );
  }
  if (given === 0 && options.force !== true) return 1;
  if (given < 0) return options.force === true ? 0 : undefined;
  return given;
}

async function deletePod(
  client: ApiClient,
  target: Readonly<{ namespace: string; name: string }>,
  grace: number | undefined,
): Promise<void> {
  const query = grace === undefined ? '' : `?gracePeriodSeconds=${grace}`;
  await client.delete(`/v1/pods/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}${query}`);
  if (grace === 0) process.stderr.write('warning: immediate deletion does not wait for the pod to stop on its node\n');
  await awaitVisible(`deleting pod "${target.name}"`, async () => {
    const pod = itemsOf(await client.get('/v1/pods')).find(
      (item) => nameOf(item) === target.name && namespaceOf(item) === target.namespace,
    );
    return pod === undefined || stringAt(pod, 'metadata', 'deletionTimestamp') !== undefined;
  });
  process.stdout.write(`pod "${target.name}" deleted${grace === 0 ? ' (forced)' : ''}\n`);
}

/** The pod of that name: in `namespace` when given, else the only namespace that has one. */
async function resolvePod(
  client: ApiClient,
  name: string,
  namespace: string | undefined,
): Promise<Readonly<{ namespace: string; name: string }>> {
  const matches = itemsOf(await client.get('/v1/pods')).filter(
    (item) => nameOf(item) === name && (namespace === undefined || namespaceOf(item) === namespace),
  );
  const [first, ...rest] = matches;
  if (first === undefined) {
    throw new CliError(`Error from server (NotFound): pods "${name}" not found`, EXIT_CODES.failure);
  }
  if (rest.length > 0) {
    throw new CliError(
      `error: pod "${name}" exists in several namespaces (${matches.map(namespaceOf).join(', ')}): choose one with -n`,
      EXIT_CODES.invalidInput,
    );
  }
  return { namespace: namespaceOf(first), name };
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
      'error: say what to delete: `delete daemonset <name>`, `delete node <name>`, `delete pod <name>` or `delete -f <file>`',
      EXIT_CODES.invalidInput,
    );
  }
  const reference = parseResourceReference(resource, name, ['daemonsets', 'nodes', 'pods']);
  if (reference.name === undefined) {
    throw new CliError(`error: a ${reference.kind.slice(0, -1)} name is required`, EXIT_CODES.invalidInput);
  }
  if (reference.kind === 'nodes') return [{ kind: 'node', name: reference.name }];
  if (reference.kind === 'pods') {
    return [{ kind: 'pod', ...(await resolvePod(client, reference.name, options.namespace)) }];
  }
  return [{ kind: 'daemonset', daemonSet: await resolveDaemonSet(client, reference.name, options.namespace) }];
}
