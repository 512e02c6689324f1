import type { IngestEvent } from '../messages/ingest-event.js';
import { type DaemonSetKey, type RolloutSwitch, toDaemonSetKey } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import type { ClusterStore, FactOutcome } from '../ports/cluster-store.js';
import { DaemonSetNotFoundError, TerminalError } from '../ports/errors.js';
import type { RolloutCommandName } from '../ports/rollout-command.js';
import { NoPreviousRevisionError, NoRolloutHistoryError, RevisionNotFoundError } from '../revision/history-errors.js';
import { applyRolloutCommand } from '../rollout/apply-rollout-command.js';
import { applyNodeEvent, type NodeEventDeps } from './apply-node-event.js';

/** What storing one fact did, and which DaemonSets must look again. */
export type AppliedIngestEvent = Readonly<{
  outcome: FactOutcome | 'ignored';
  /** Keys to enqueue for reconcile. */
  affected: readonly DaemonSetKey[];
}>;

/**
 * Stores one fact with the store's conditional write and names the DaemonSets it can affect. The keys
 * are returned whatever the outcome: a redelivered fact finds itself `unchanged`, yet its first delivery
 * may have failed before the keys were enqueued. A node fact also runs the node path (`applyNodeEvent`): the
 * node's pods are decided and written here, and only the DaemonSets whose status counts the node are named.
 */
export async function applyIngestEvent(event: IngestEvent, deps: NodeEventDeps): Promise<AppliedIngestEvent> {
  const { store } = deps;
  switch (event.type) {
    case 'NodeJoined':
    case 'NodeUpdated': {
      const node = await withCreationTimestamp(event.node, store, event.observedAt);
      const outcome = await store.putNode(node, event.observedAt);
      return { outcome, affected: await applyNodeEvent(node.name, deps) };
    }
    case 'NodeRemoved': {
      const outcome = await store.removeNode(event.name, event.observedAt);
      return { outcome, affected: await applyNodeEvent(event.name, deps) };
    }
    case 'DaemonSetApplied': {
      // The switches the manifest leaves unset keep their stored values (as kubectl's merge keeps fields another
      // actor set), decided by the store from the read its conditional write is guarded by.
      const key = toDaemonSetKey(event.daemonSet.namespace, event.daemonSet.name);
      const { outcome } = await store.applyDaemonSet(event.daemonSet, event.observedAt, event.keeps);
      return { outcome, affected: [key] };
    }
    case 'DaemonSetDeleted':
      return { outcome: await store.deleteDaemonSet(event.key, event.observedAt), affected: [event.key] };
    case 'PodStatusReported':
      return {
        outcome: await store.putPodStatus(event.report),
        affected: [toDaemonSetKey(event.report.namespace, event.report.daemonSet)],
      };
    case 'RolloutCommand': {
      const flipped = SWITCHES[event.command];
      if (flipped !== undefined) {
        // Each switch is a fact with its own time: a late, older pause changes nothing after a resume.
        try {
          const outcome = await store.setRolloutSwitch(event.key, flipped.name, flipped.on, event.observedAt);
          return { outcome, affected: [event.key] };
        } catch (error) {
          if (isImpossibleCommand(error)) {
            throw new TerminalError(`rollout ${event.command} ${event.key}: ${error.message}`, { cause: error });
          }
          throw error;
        }
      }
      const command = {
        command: event.command,
        ...(event.toRevision === undefined ? {} : { toRevision: event.toRevision }),
        ...(event.revisionHash === undefined ? {} : { revisionHash: event.revisionHash }),
        at: event.observedAt,
      };
      try {
        // undo and restart replace the template, as an apply does, so they are ordered with applies: a
        // redelivered one, or one older than the last apply, changes nothing.
        await store.updateDaemonSet(
          event.key,
          (current, revisions) => applyRolloutCommand(current, revisions, command),
          event.observedAt,
        );
      } catch (error) {
        if (isImpossibleCommand(error)) {
          throw new TerminalError(`rollout ${event.command} ${event.key}: ${error.message}`, { cause: error });
        }
        throw error;
      }
      return { outcome: 'stored', affected: [event.key] };
    }
    case 'Ignored':
      return { outcome: 'ignored', affected: [] };
  }
}

/**
 * A node keeps the creation time of its first join, as the API server keeps `metadata.creationTimestamp`;
 * a node event that carries none (an EC2 event, a bare agent registration) is stamped with its time.
 */
async function withCreationTimestamp(node: Node, store: ClusterStore, observedAt: string): Promise<Node> {
  if (node.creationTimestamp !== undefined) return node;
  const stored = await store.getNode(node.name);
  return { ...node, creationTimestamp: stored?.creationTimestamp ?? observedAt };
}

/** The switch each switch command sets, and to what. */
const SWITCHES: Readonly<Partial<Record<RolloutCommandName, Readonly<{ name: RolloutSwitch; on: boolean }>>>> = {
  pause: { name: 'paused', on: true },
  resume: { name: 'paused', on: false },
  freeze: { name: 'frozen', on: true },
  unfreeze: { name: 'frozen', on: false },
};

/** A command that no retry can carry out: no such DaemonSet, or no revision to go back to. */
function isImpossibleCommand(error: unknown): error is Error {
  return (
    error instanceof DaemonSetNotFoundError ||
    error instanceof NoRolloutHistoryError ||
    error instanceof NoPreviousRevisionError ||
    error instanceof RevisionNotFoundError
  );
}
