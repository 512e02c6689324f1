import { objectName } from '../../lib/manifest/object-name.js';
import { connect } from '../api/api-client.js';
import { getDaemonSet, resolveDaemonSet } from '../api/find-daemon-set.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { formatObjects } from '../output/format-objects.js';
import { formatTable } from '../output/format-table.js';
import { stringAt } from '../output/kube-object.js';
import { parseResourceReference } from '../resource-kind.js';
import { revisionsOf } from '../rollout/revisions-of.js';

export type RolloutHistoryOptions = Readonly<{ namespace?: string; revision?: string }> & ConnectionOptions;

/** `everynode rollout history daemonset/<name> [--revision N]`, in kubectl's format. */
export async function runRolloutHistory(
  resource: string,
  name: string | undefined,
  options: RolloutHistoryOptions,
): Promise<void> {
  const reference = parseResourceReference(resource, name, ['daemonsets']);
  if (reference.name === undefined) throw new CliError('error: a daemon set name is required', EXIT_CODES.invalidInput);
  const client = connect(options);
  const daemonSet = await getDaemonSet(client, await resolveDaemonSet(client, reference.name, options.namespace));
  const revisions = revisionsOf(daemonSet);
  const shownName = objectName(stringAt(daemonSet, 'apiVersion') ?? 'apps/v1', 'DaemonSet', reference.name);
  if (options.revision !== undefined) {
    const wanted = Number(options.revision);
    const found = revisions.find((revision) => revision.revision === wanted);
    if (found === undefined) {
      throw new CliError(`error: unable to find the specified revision ${options.revision}`, EXIT_CODES.failure);
    }
    const body = formatObjects('yaml', found.template ?? {});
    process.stdout.write(`${shownName} with revision #${wanted}\nPod Template:\n${indent(body)}\n`);
    return;
  }
  if (revisions.length === 0) {
    process.stdout.write('No rollout history found.\n');
    return;
  }
  const table = formatTable(
    ['REVISION', 'CHANGE-CAUSE'],
    revisions.map((revision) => [String(revision.revision), revision.changeCause]),
  );
  process.stdout.write(`${shownName}\n${table}\n\n`);
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
