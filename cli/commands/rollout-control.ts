import { daemonSetObjectName } from '../../lib/manifest/object-name.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import type { DaemonSet, PodTemplate } from '../../lib/model/daemon-set.js';
import { ROLLOUT_COMMAND_DONE, type RolloutCommandName } from '../../lib/ports/rollout-command.js';
import { templatesEqual } from '../../lib/revision/canonical-json.js';
import {
  NoPreviousRevisionError,
  NoRolloutHistoryError,
  RevisionNotFoundError,
} from '../../lib/revision/history-errors.js';
import { rollbackTemplate } from '../../lib/revision/rollback-template.js';
import type { ApiClient } from '../api/api-client.js';
import { connect } from '../api/api-client.js';
import { awaitVisible } from '../api/await-visible.js';
import { type DaemonSetName, daemonSetPath, getDaemonSet, resolveDaemonSet } from '../api/find-daemon-set.js';
import { fromServer } from '../api/from-server.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { parseResourceReference } from '../resource-kind.js';
import { revisionsOf, toControllerRevision } from '../rollout/revisions-of.js';

export type RolloutControlOptions = Readonly<{ namespace?: string; toRevision?: string }> & ConnectionOptions;

/**
 * `everynode rollout pause|resume|freeze|unfreeze|restart|undo daemonset/<name>`: sends the command, waits
 * until the DaemonSet shows it, and prints kubectl's confirmation (`daemonset.apps/x paused`). `undo` picks
 * its template as kubectl does first, so a missing revision fails at once and an undo to the current
 * template is skipped.
 */
export async function runRolloutControl(
  command: RolloutCommandName,
  resource: string,
  name: string | undefined,
  options: RolloutControlOptions,
): Promise<void> {
  const reference = parseResourceReference(resource, name, ['daemonsets']);
  if (reference.name === undefined) throw new CliError('error: a daemon set name is required', EXIT_CODES.invalidInput);
  const toRevision = options.toRevision === undefined ? undefined : parseRevision(options.toRevision);
  const client = connect(options);
  const target = await resolveDaemonSet(client, reference.name, options.namespace);
  const object = await getDaemonSet(client, target);
  const before = fromServer(toDaemonSet, object, 'daemon set');
  const objectName = daemonSetObjectName(before);
  let rollback: PodTemplate | undefined;
  if (command === 'undo') {
    rollback = undoTemplate(object, toRevision);
    if (templatesEqual(rollback, before.template)) {
      process.stdout.write(`${objectName} skipped rollback (current template already matches)\n`);
      return;
    }
  }
  await client.post(`${daemonSetPath(target)}/rollout`, {
    command,
    ...(toRevision === undefined || toRevision === 0 ? {} : { toRevision }),
  });
  await awaitVisible(`rollout ${command} of ${objectName}`, async () => {
    const after = await current(client, target);
    return after !== undefined && shows(command, before, after, rollback);
  });
  process.stdout.write(`${objectName} ${ROLLOUT_COMMAND_DONE[command]}\n`);
}

/** Whether the DaemonSet read back shows the command's effect. */
function shows(command: RolloutCommandName, before: DaemonSet, after: DaemonSet, rollback?: PodTemplate): boolean {
  switch (command) {
    case 'pause':
    case 'resume':
      return after.rollout.paused === (command === 'pause');
    case 'freeze':
    case 'unfreeze':
      return after.rollout.frozen === (command === 'freeze');
    case 'undo':
      return rollback !== undefined && templatesEqual(after.template, rollback);
    case 'restart':
      return after.generation > before.generation;
  }
}

function undoTemplate(object: unknown, toRevision: number | undefined): PodTemplate {
  try {
    return rollbackTemplate(revisionsOf(object).map(toControllerRevision), toRevision);
  } catch (error) {
    const known = [NoRolloutHistoryError, NoPreviousRevisionError, RevisionNotFoundError];
    if (known.some((type) => error instanceof type)) {
      throw new CliError(`error: ${(error as Error).message}`, EXIT_CODES.failure, { cause: error });
    }
    throw error;
  }
}

async function current(client: ApiClient, target: DaemonSetName): Promise<DaemonSet | undefined> {
  const object = await client.find(daemonSetPath(target));
  if (object === undefined) return undefined;
  const result = toDaemonSet(object);
  return result.ok ? result.value : undefined;
}

function parseRevision(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CliError(
      `error: --to-revision must be a revision number, not ${JSON.stringify(text)}`,
      EXIT_CODES.invalidInput,
    );
  }
  return value;
}
