import * as z from 'zod';
import { fromDaemonSet } from '../../lib/manifest/from-daemon-set.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { toList } from '../../lib/manifest/to-list.js';
import type { IngestMessage } from '../../lib/messages/ingest-message.js';
import { type ControllerRevision, type JsonObject, toDaemonSetKey } from '../../lib/model/daemon-set.js';
import type { StoredDaemonSet } from '../../lib/ports/cluster-store.js';
import { ROLLOUT_COMMAND_DONE, ROLLOUT_COMMAND_NAMES } from '../../lib/ports/rollout-command.js';
import {
  NoPreviousRevisionError,
  NoRolloutHistoryError,
  RevisionNotFoundError,
} from '../../lib/revision/history-errors.js';
import { rollbackRevision } from '../../lib/revision/rollback-template.js';
import { storedDaemonSetBytes } from '../../lib/store/dynamo/item-size.js';
import type { Route, RouteRequest } from './api-deps.js';
import { assertStorableSize } from './assert-storable-size.js';
import { fromRevision } from './from-revision.js';
import { causesFromFieldErrors, causesFromZodError, invalid, metadataName } from './invalid.js';
import { readJsonBody } from './read-json-body.js';
import { acceptedResponse, jsonResponse, notFound } from './responses.js';

const DAEMON_SETS = { group: 'apps', kind: 'daemonsets' } as const;

/** How many of a DaemonSet's newest events `GET /v1/daemonsets/{namespace}/{name}` returns. */
export const RECENT_EVENTS = 50;

/** A Kubernetes object as an ingest message carries it. */
type MessageObject = Extract<IngestMessage, { type: 'DaemonSetApplied' }>['manifest'];

const rolloutBodySchema = z.strictObject({
  command: z.enum(ROLLOUT_COMMAND_NAMES),
  toRevision: z.int().nonnegative().optional(),
});

const toObject = (stored: StoredDaemonSet): JsonObject => fromDaemonSet(stored.daemonSet, stored.status);

async function listDaemonSets({ deps }: RouteRequest) {
  const stored = await deps.store.listDaemonSets();
  return jsonResponse(200, toList('DaemonSetList', stored.map(toObject)));
}

async function applyDaemonSet({ event, observedAt, deps }: RouteRequest) {
  const manifest = readJsonBody(event, deps.maxBodyBytes);
  const result = toDaemonSet(manifest, { strict: true });
  if (!result.ok) {
    const subject = { kind: 'DaemonSet', group: 'apps', name: metadataName(manifest) };
    throw invalid(subject, causesFromFieldErrors(result.errors));
  }
  const { namespace, name } = result.value;
  assertStorableSize({ kind: 'DaemonSet', group: 'apps', name }, storedDaemonSetBytes(result.value));
  const existing = await deps.store.getDaemonSet(toDaemonSetKey(namespace, name));
  await deps.ingest.send([{ type: 'DaemonSetApplied', manifest: manifest as MessageObject, observedAt }]);
  const verb = existing === undefined ? 'created' : 'configured';
  return acceptedResponse(`daemonset.apps/${name} ${verb}`, { name, ...DAEMON_SETS });
}

async function getDaemonSet({ params, deps }: RouteRequest) {
  const stored = await existing(params, deps);
  const key = toDaemonSetKey(stored.daemonSet.namespace, stored.daemonSet.name);
  const [revisions, events] = await Promise.all([deps.store.listRevisions(key), deps.store.listEvents(key)]);
  return jsonResponse(200, {
    ...toObject(stored),
    revisions: revisions.toSorted((a, b) => a.revision - b.revision).map((revision) => fromRevision(stored, revision)),
    events: events.toSorted((a, b) => a.time.localeCompare(b.time)).slice(-RECENT_EVENTS),
  });
}

async function deleteDaemonSet({ params, observedAt, deps }: RouteRequest) {
  const stored = await existing(params, deps);
  const { namespace, name } = stored.daemonSet;
  await deps.ingest.send([{ type: 'DaemonSetDeleted', namespace, name, observedAt }]);
  return acceptedResponse(`daemonset.apps "${name}" deleted`, { name, ...DAEMON_SETS });
}

async function rollout({ event, params, observedAt, deps }: RouteRequest) {
  const body = readJsonBody(event, deps.maxBodyBytes);
  const parsed = rolloutBodySchema.safeParse(body);
  const name = params['name'] ?? '';
  if (!parsed.success) throw invalid({ kind: 'RolloutCommand', name }, causesFromZodError(parsed.error));
  const { command, toRevision } = parsed.data;
  if (toRevision !== undefined && command !== 'undo') {
    throw invalid({ kind: 'RolloutCommand', name }, [
      { reason: 'FieldValueForbidden', field: 'toRevision', message: `Forbidden: only undo takes a revision` },
    ]);
  }
  const stored = await existing(params, deps);
  const key = toDaemonSetKey(stored.daemonSet.namespace, stored.daemonSet.name);
  // Undo is resolved now, to a revision hash: a redelivered message then goes back to the same revision
  // instead of one further back.
  const target = command === 'undo' ? undoTarget(await deps.store.listRevisions(key), toRevision, name) : undefined;
  const { namespace } = stored.daemonSet;
  await deps.ingest.send([
    {
      type: 'RolloutCommand',
      namespace,
      name,
      command,
      ...(target === undefined ? {} : { toRevision: target.revision, revisionHash: target.hash }),
      observedAt,
    },
  ]);
  return acceptedResponse(`daemonset.apps/${name} ${ROLLOUT_COMMAND_DONE[command]}`, { name, ...DAEMON_SETS });
}

function undoTarget(
  revisions: readonly ControllerRevision[],
  toRevision: number | undefined,
  name: string,
): ControllerRevision {
  try {
    return rollbackRevision(revisions, toRevision);
  } catch (error) {
    if (!(error instanceof Error) || !isHistoryError(error)) throw error;
    throw invalid({ kind: 'RolloutCommand', name }, [
      { reason: 'FieldValueNotFound', field: 'toRevision', message: error.message },
    ]);
  }
}

function isHistoryError(error: Error): boolean {
  return (
    error instanceof NoRolloutHistoryError ||
    error instanceof NoPreviousRevisionError ||
    error instanceof RevisionNotFoundError
  );
}

/** The stored DaemonSet the path names. @throws ApiError 404 when there is none. */
async function existing(params: RouteRequest['params'], deps: RouteRequest['deps']): Promise<StoredDaemonSet> {
  const namespace = params['namespace'] ?? '';
  const name = params['name'] ?? '';
  const stored = await deps.store.getDaemonSet(toDaemonSetKey(namespace, name));
  if (stored === undefined) throw notFound(DAEMON_SETS, name);
  return stored;
}

/** `/v1/daemonsets...`: list, apply, read (with revisions and events), delete, rollout commands. */
export const DAEMON_SET_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/v1/daemonsets', handle: listDaemonSets },
  { method: 'PUT', path: '/v1/daemonsets', handle: applyDaemonSet },
  { method: 'GET', path: '/v1/daemonsets/{namespace}/{name}', handle: getDaemonSet },
  { method: 'DELETE', path: '/v1/daemonsets/{namespace}/{name}', handle: deleteDaemonSet },
  { method: 'POST', path: '/v1/daemonsets/{namespace}/{name}/rollout', handle: rollout },
];
