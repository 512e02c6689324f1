import { CliError, EXIT_CODES } from '../cli-error.js';
import { itemsOf, type KubeObject, nameOf, namespaceOf } from '../output/kube-object.js';
import type { ApiClient } from './api-client.js';

export type DaemonSetName = Readonly<{ namespace: string; name: string }>;

/** `/v1/daemonsets/{namespace}/{name}` with both segments escaped. */
export function daemonSetPath({ namespace, name }: DaemonSetName): string {
  return `/v1/daemonsets/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/**
 * Which DaemonSet a name means: the one in `-n` when given; otherwise the only DaemonSet of that name in any
 * namespace (a name used in several namespaces needs `-n`).
 */
export async function resolveDaemonSet(
  client: ApiClient,
  name: string,
  namespace: string | undefined,
): Promise<DaemonSetName> {
  if (namespace !== undefined) return { namespace, name };
  const matches = itemsOf(await client.get('/v1/daemonsets')).filter((item) => nameOf(item) === name);
  const [first, ...rest] = matches;
  if (first === undefined) throw notFound(name);
  if (rest.length > 0) {
    const namespaces = matches.map(namespaceOf).join(', ');
    throw new CliError(
      `error: daemon set "${name}" exists in several namespaces (${namespaces}): choose one with -n`,
      EXIT_CODES.invalidInput,
    );
  }
  return { namespace: namespaceOf(first), name };
}

/** The DaemonSet with its `revisions` and `events`, as `GET /v1/daemonsets/{ns}/{name}` returns it. */
export async function getDaemonSet(client: ApiClient, daemonSet: DaemonSetName): Promise<KubeObject> {
  const found = await client.find(daemonSetPath(daemonSet));
  if (typeof found !== 'object' || found === null) throw notFound(daemonSet.name);
  return found as KubeObject;
}

function notFound(name: string): CliError {
  return new CliError(`Error from server (NotFound): daemonsets.apps "${name}" not found`, EXIT_CODES.failure);
}
