import { startupGateOf } from '../manifest/read-startup-gate.js';
import type { IngestEvent } from '../messages/ingest-event.js';
import { type DaemonSetKey, type RolloutSwitch, toDaemonSetKey } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import { isGated, STARTUP_COMPLETE_CONDITION, STARTUP_TAINT_KEY, startupCondition } from '../model/node-lifecycle.js';
import type { FactOutcome } from '../ports/cluster-store.js';
import { DaemonSetNotFoundError, TerminalError } from '../ports/errors.js';
import type { HeartbeatStore } from '../ports/heartbeat-store.js';
import type { RolloutCommandName } from '../ports/rollout-command.js';
import { NoPreviousRevisionError, NoRolloutHistoryError, RevisionNotFoundError } from '../revision/history-errors.js';
import { applyRolloutCommand } from '../rollout/apply-rollout-command.js';
import { applyNodeEvent } from './apply-node-event.js';
import { applyNodeLifecycle } from './apply-node-lifecycle.js';
import { type AppliedStartupGate, type StartupGateDeps, toRef } from './apply-startup-gate.js';

/** What storing one fact did, and which DaemonSets must look again. */
export type AppliedIngestEvent = Readonly<{
  outcome: FactOutcome | 'ignored';
  /** Keys to enqueue for reconcile. */
  affected: readonly DaemonSetKey[];
  /** A node whose startup gate must be looked at again later (a pod turning available, a deadline). */
  gateRecheck?: Readonly<{ node: string; afterSeconds: number }>;
}>;

/** What storing a fact takes: the cluster store and the node path's deps, and where presence events go. */
export type IngestEventDeps = StartupGateDeps &
  Readonly<{
    /** Node agents' heartbeat items, where an `AgentPresence` fact is stored. */
    heartbeats?: Pick<HeartbeatStore, 'recordPresence'>;
  }>;

/**
 * Stores one fact with the store's conditional write and names the DaemonSets it can affect. The keys
 * are returned whatever the outcome: a redelivered fact finds itself `unchanged`, yet its first delivery
 * may have failed before the keys were enqueued. A node fact also runs the node path (`applyNodeEvent`): the
 * node's pods are decided and written here, and only the DaemonSets whose status counts the node are named.
 */
export async function applyIngestEvent(event: IngestEvent, deps: IngestEventDeps): Promise<AppliedIngestEvent> {
  const { store } = deps;
  switch (event.type) {
    case 'NodeJoined':
    case 'NodeUpdated': {
      const stored = await store.getNode(event.node.name);
      const node = withStoredState(event.node, stored, event.type, event.observedAt);
      const outcome = await store.putNode(node, event.observedAt);
      const affected = await applyNodeEvent(node.name, deps);
      // The gate decides after the node path placed the critical pods (and opens at once when none is needed).
      return withGate(outcome, affected, await applyNodeLifecycle(node.name, deps), node.name);
    }
    case 'NodeRemoved': {
      const outcome = await store.removeNode(event.name, event.observedAt);
      return { outcome, affected: await applyNodeEvent(event.name, deps) };
    }
    case 'NodeTerminating':
    case 'NodeDrainRequested': {
      const fact = await store.getNodeFact(event.name);
      const stored = fact?.node;
      const action = event.type === 'NodeTerminating' ? event.lifecycleAction : undefined;
      if (stored === undefined) {
        // Nothing to drain (never joined, or already gone): the hook lets the instance go at once. A redelivery
        // calls again, and Auto Scaling answers that the action is closed, which is fine.
        if (action !== undefined) {
          await deps.lifecycleActions?.complete(toRef(event.name, action), 'CONTINUE');
        }
        return { outcome: 'unchanged', affected: [] };
      }
      const keep = event.type === 'NodeDrainRequested' && event.keep;
      const timeout = event.type === 'NodeDrainRequested' ? event.timeoutSeconds : undefined;
      // A drain already under way is not restarted by a redelivery (or a second drain): its clock keeps running.
      const drain = stored.drain ?? {
        requestedAt: event.observedAt,
        keep,
        ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
      };
      const sameAction = action?.lifecycleActionToken === stored.lifecycleAction?.lifecycleActionToken;
      const lifecycleAction = action === undefined || sameAction ? stored.lifecycleAction : action;
      const previous = stored.lifecycleAction;
      if (!sameAction && action !== undefined && previous !== undefined && previous.completedAt === undefined) {
        // The instance leaves before its launch went on: that launch is abandoned (or gets the result already
        // decided) before the terminate action takes its place, so no action is left open.
        await deps.lifecycleActions?.complete(toRef(event.name, previous), previous.result ?? 'ABANDON');
      }
      const node: Node = {
        ...stored,
        unschedulable: true,
        drain,
        ...(lifecycleAction === undefined ? {} : { lifecycleAction }),
      };
      // A command about the node as it is now: written over the fact it was decided from (a lost race comes back
      // through redelivery), and newer than it, so an earlier gate write does not make the drain look stale.
      const time = new Date(
        Math.max(Date.parse(event.observedAt), Date.parse(fact?.observedAt ?? '') + 1),
      ).toISOString();
      const same = stored.drain !== undefined && node.lifecycleAction === stored.lifecycleAction;
      const outcome = same ? 'unchanged' : await store.replaceNode(node, time, fact?.observedAt ?? time);
      if (outcome === 'stale') throw new Error(`node ${event.name}: another fact landed while starting its drain`);
      const lifecycle = await applyNodeLifecycle(event.name, deps);
      return withGate(outcome, [], lifecycle, event.name);
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
    case 'PodDeleted':
      // The pod's agent stops it and reports it gone; the reconcile that follows replaces it (at once with surge).
      return { outcome: await store.deletePod(event.key, event.request, event.observedAt), affected: [event.key] };
    case 'PodStatusReported': {
      const { report } = event;
      // The node is read beside the write (one gathered read with the report's own): it only tells whether the
      // gate may move, and whatever changes the node later looks at the gate itself.
      const [outcome, node] = await Promise.all([store.putPodStatus(report), store.getNode(report.nodeName)]);
      const key = toDaemonSetKey(report.namespace, report.daemonSet);
      const affected = [key];
      // A gated node may open with this pod; a continuous gate may close when it turns unavailable.
      const action = node?.lifecycleAction;
      // A redelivered report whose first delivery decided the action but failed to complete it.
      const actionOpen = action?.result !== undefined && action.completedAt === undefined;
      const opening = node !== undefined && (isGated(node) || node.drain !== undefined || actionOpen);
      const closing = node !== undefined && !report.ready && startupCondition(node)?.status === 'True';
      if (!opening && !closing) return { outcome, affected };
      // An open gate closes again only for a `continuous` critical DaemonSet's pod: only this report's DaemonSet can
      // have turned unavailable, so its record alone decides whether to look (one read, not every DaemonSet's pods on
      // the node for every pod that is not ready yet).
      if (!opening && !(await isContinuousCritical(store, key))) return { outcome, affected };
      const gate = await applyNodeLifecycle(report.nodeName, deps);
      return withGate(outcome, affected, gate, report.nodeName);
    }
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
    case 'AgentPresence': {
      // Liveness input only: the node lifecycle controller reads it on its next check; no DaemonSet looks at it.
      if (deps.heartbeats === undefined) {
        // Retryable: the message comes back, and ends in the dead-letter queue rather than being lost.
        throw new Error(`node ${event.presence.nodeName}: a presence event arrived, but no heartbeat store is wired`);
      }
      const changed = await deps.heartbeats.recordPresence(event.presence);
      return { outcome: changed ? 'stored' : 'unchanged', affected: [] };
    }
    case 'Ignored':
      return { outcome: 'ignored', affected: [] };
  }
}

function withGate(
  outcome: FactOutcome,
  affected: readonly DaemonSetKey[],
  gate: Pick<AppliedStartupGate, 'affected' | 'recheckAfterSeconds'>,
  node: string,
): AppliedIngestEvent {
  const all = [...new Set([...affected, ...gate.affected])];
  return gate.recheckAfterSeconds === undefined
    ? { outcome, affected: all }
    : { outcome, affected: all, gateRecheck: { node, afterSeconds: gate.recheckAfterSeconds } };
}

/**
 * A node keeps the creation time of its first join, as the API server keeps `metadata.creationTimestamp`;
 * a node event that carries none (an EC2 event, a bare agent registration) is stamped with its time.
 *
 * A join of a node everynode already knows (an Auto Scaling launch event after the EC2 `running` one, an agent
 * registering again) keeps what the startup gate owns: once a node is gated or went through its gate, the
 * `everynode.io/startup` taint and the `StartupComplete` condition stay as the gate left them, so a late join
 * neither opens a gate nor closes an open one; and the lifecycle action stays unless the join brings a new one.
 * An update (`node edit`, an agent's `NodeUpdated`) is the whole node, as a user sent it, but for the lifecycle
 * action, which only everynode writes.
 */
function withStoredState(
  node: Node,
  stored: Node | undefined,
  type: 'NodeJoined' | 'NodeUpdated',
  observedAt: string,
): Node {
  const stamped =
    node.creationTimestamp !== undefined
      ? node
      : { ...node, creationTimestamp: stored?.creationTimestamp ?? observedAt };
  if (stored === undefined) return stamped;
  // The lifecycle action is everynode's bookkeeping, not the node's content: no join or edit drops it.
  const incoming = stamped.lifecycleAction;
  const sameAction = incoming?.lifecycleActionToken === stored.lifecycleAction?.lifecycleActionToken;
  const lifecycleAction = incoming === undefined || sameAction ? stored.lifecycleAction : incoming;
  // A drain stays through joins, and through edits that keep the node cordoned; uncordoning ends a kept drain.
  const drain =
    stored.drain !== undefined && (type === 'NodeJoined' || stamped.unschedulable) ? stored.drain : undefined;
  const kept = {
    ...stamped,
    ...(lifecycleAction === undefined ? {} : { lifecycleAction }),
    ...(drain === undefined ? {} : { drain, unschedulable: true }),
  };
  if (type === 'NodeUpdated') return kept;
  const storedCondition = startupCondition(stored);
  const keepGate = isGated(stored) || storedCondition !== undefined;
  return {
    ...kept,
    ...(keepGate
      ? {
          taints: [
            ...stamped.taints.filter((taint) => taint.key !== STARTUP_TAINT_KEY),
            ...stored.taints.filter((taint) => taint.key === STARTUP_TAINT_KEY),
          ],
          conditions: [
            ...stamped.conditions.filter((condition) => condition.type !== STARTUP_COMPLETE_CONDITION),
            ...(storedCondition === undefined ? [] : [storedCondition]),
          ],
        }
      : {}),
  };
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

/** The DaemonSet is startup-critical in `continuous` mode (its pods' unavailability gates their node again). */
async function isContinuousCritical(store: StartupGateDeps['store'], key: DaemonSetKey): Promise<boolean> {
  const stored = await store.getDaemonSet(key);
  return stored !== undefined && startupGateOf(stored.daemonSet)?.mode === 'continuous';
}
