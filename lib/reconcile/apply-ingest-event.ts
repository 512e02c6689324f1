import { RESTARTED_AT_ANNOTATION, type RolloutSwitch } from '../manifest/unset-rollout-switches.js';
import type { IngestEvent } from '../messages/ingest-event.js';
import { type DaemonSet, type DaemonSetKey, toDaemonSetKey } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import type { ClusterStore, FactOutcome } from '../ports/cluster-store.js';
import { DaemonSetNotFoundError, TerminalError } from '../ports/errors.js';
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
      const key = toDaemonSetKey(event.daemonSet.namespace, event.daemonSet.name);
      const daemonSet = await keepingRolloutSwitches(event.daemonSet, event.keeps, store, event.observedAt);
      const { outcome } = await store.applyDaemonSet(daemonSet, event.observedAt);
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
      const command = {
        command: event.command,
        ...(event.toRevision === undefined ? {} : { toRevision: event.toRevision }),
        ...(event.revisionHash === undefined ? {} : { revisionHash: event.revisionHash }),
        at: event.observedAt,
      };
      try {
        // undo and restart replace the template, as an apply does, so they are ordered with applies: a
        // redelivered one, or one older than the last apply, changes nothing. The switches (pause, freeze...)
        // are not, so a late apply is never dropped for them; re-applying a switch is harmless.
        const replacesTemplate = event.command === 'undo' || event.command === 'restart';
        await store.updateDaemonSet(
          event.key,
          (current, revisions) => applyRolloutCommand(current, revisions, command),
          replacesTemplate ? event.observedAt : undefined,
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

/**
 * The applied DaemonSet with the stored value of every rollout switch its manifest left unset, so a
 * `rollout pause` or `freeze`, and the template's `restartedAt` of `rollout restart`, survive applying a
 * manifest that does not mention them (as kubectl's merge keeps fields another actor set). The switches are set as the rollout commands set them, annotation included.
 */
async function keepingRolloutSwitches(
  daemonSet: DaemonSet,
  keeps: readonly RolloutSwitch[],
  store: ClusterStore,
  at: string,
): Promise<DaemonSet> {
  if (keeps.length === 0) return daemonSet;
  const stored = await store.getDaemonSet(toDaemonSetKey(daemonSet.namespace, daemonSet.name));
  if (stored === undefined || stored.daemonSet.deletionTimestamp !== undefined) return daemonSet;
  const { paused, frozen } = stored.daemonSet.rollout;
  let kept = daemonSet;
  if (keeps.includes('paused') && paused) kept = applyRolloutCommand(kept, [], { command: 'pause', at });
  if (keeps.includes('frozen') && frozen) kept = applyRolloutCommand(kept, [], { command: 'freeze', at });
  const restartedAt = stored.daemonSet.template.metadata.annotations[RESTARTED_AT_ANNOTATION];
  if (keeps.includes('restartedAt') && restartedAt !== undefined) {
    const { metadata } = kept.template;
    const annotations = { ...metadata.annotations, [RESTARTED_AT_ANNOTATION]: restartedAt };
    kept = { ...kept, template: { ...kept.template, metadata: { ...metadata, annotations } } };
  }
  return kept;
}

/** A command that no retry can carry out: no such DaemonSet, or no revision to go back to. */
function isImpossibleCommand(error: unknown): error is Error {
  return (
    error instanceof DaemonSetNotFoundError ||
    error instanceof NoRolloutHistoryError ||
    error instanceof NoPreviousRevisionError ||
    error instanceof RevisionNotFoundError
  );
}
