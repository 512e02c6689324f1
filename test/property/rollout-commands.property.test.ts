import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { FROZEN_ANNOTATION, PAUSED_ANNOTATION } from '../../lib/manifest/everynode-annotations.js';
import type { ControllerRevision, DaemonSet } from '../../lib/model/daemon-set.js';
import { nodeReadyStatus } from '../../lib/model/node.js';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import { ROLLOUT_COMMAND_NAMES } from '../../lib/ports/rollout-command.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import {
  NoPreviousRevisionError,
  NoRolloutHistoryError,
  RevisionNotFoundError,
} from '../../lib/revision/history-errors.js';
import { applyRolloutCommand, type RolloutCommand } from '../../lib/rollout/apply-rollout-command.js';
import { beginRollout } from '../../lib/rollout/begin-rollout.js';
import { toNodeViews } from '../../lib/rollout/node-view.js';
import { arbControls, arbSnapshot, NOW, OLD_HASH } from './rollout-arbitraries.js';

const anySnapshot = arbSnapshot({ controls: arbControls() });

describe('beginRollout invariants', () => {
  test.prop([anySnapshot, fc.boolean(), fc.boolean()])(
    'works towards the hash, keeping a remembered rollout towards it and starting any other now',
    (snapshot, towardsCurrent, notReadyAware) => {
      const views = toNodeViews(snapshot.nodes, snapshot.pods, (node) =>
        nodeShouldRunDaemonPod(node, snapshot.daemonSet.placement),
      );
      const hash = towardsCurrent ? computeRevisionHash(snapshot.daemonSet.template) : OLD_HASH;
      const previous = snapshot.memory.rollout;

      const rollout = beginRollout(previous, hash, views.nodes, notReadyAware, NOW);

      expect(rollout.revisionHash).toBe(hash);
      const kept = previous !== undefined && previous.revisionHash === hash;
      expect([rollout.startedAt, rollout.lastProgressAt]).toEqual(
        kept ? [previous.startedAt, previous.lastProgressAt] : [NOW, NOW],
      );
    },
  );

  test.prop([anySnapshot, fc.boolean(), fc.boolean()])(
    'records only desired NotReady nodes, and none without notReadyAware',
    (snapshot, towardsCurrent, notReadyAware) => {
      const views = toNodeViews(snapshot.nodes, snapshot.pods, (node) =>
        nodeShouldRunDaemonPod(node, snapshot.daemonSet.placement),
      );
      const hash = towardsCurrent ? computeRevisionHash(snapshot.daemonSet.template) : OLD_HASH;
      const byName = new Map(views.nodes.map((view) => [view.name, view]));

      const rollout = beginRollout(snapshot.memory.rollout, hash, views.nodes, notReadyAware, NOW);

      if (!notReadyAware) expect(rollout.notReadyAtStart).toEqual([]);
      for (const name of rollout.notReadyAtStart) {
        const view = byName.get(name);
        expect(view?.decision.shouldRun).toBe(true);
        expect(view && nodeReadyStatus(view.node)).not.toBe('True');
      }
    },
  );
});

const arbCommand = (): fc.Arbitrary<RolloutCommand> =>
  fc
    .record({
      command: fc.constantFrom(...ROLLOUT_COMMAND_NAMES),
      toRevision: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      revisionHash: fc.option(fc.constantFrom(OLD_HASH, 'unknown'), { nil: undefined }),
      at: fc.integer({ min: NOW - 86_400_000, max: NOW }).map((time) => new Date(time).toISOString()),
    })
    .map(({ toRevision, revisionHash, ...command }) => ({
      ...command,
      ...(toRevision === undefined ? {} : { toRevision }),
      ...(revisionHash === undefined ? {} : { revisionHash }),
    }));

/** A snapshot whose DaemonSet already carries some of the control annotations. */
const arbAnnotated = anySnapshot.chain((snapshot) =>
  fc.tuple(
    fc.constant(snapshot),
    fc.subarray([PAUSED_ANNOTATION, FROZEN_ANNOTATION]).map(
      (shown): DaemonSet => ({
        ...snapshot.daemonSet,
        annotations: { ...snapshot.daemonSet.annotations, ...Object.fromEntries(shown.map((key) => [key, 'true'])) },
      }),
    ),
  ),
);

/** The command's result, or undefined when it refuses (only undo does, with nothing to go back to). */
function attempt(
  daemonSet: DaemonSet,
  revisions: readonly ControllerRevision[],
  command: RolloutCommand,
): DaemonSet | undefined {
  try {
    return applyRolloutCommand(daemonSet, revisions, command);
  } catch (error) {
    const refused =
      error instanceof RevisionNotFoundError ||
      error instanceof NoPreviousRevisionError ||
      error instanceof NoRolloutHistoryError;
    if (command.command === 'undo' && refused) return undefined;
    throw error;
  }
}

describe('applyRolloutCommand invariants', () => {
  test.prop([arbAnnotated, arbCommand()])(
    'pause, resume, freeze and unfreeze change only their control and its annotation, present exactly when on',
    ([snapshot, daemonSet], command) => {
      fc.pre(command.command !== 'undo' && command.command !== 'restart');
      const control = command.command === 'pause' || command.command === 'resume' ? 'paused' : 'frozen';
      const annotation = control === 'paused' ? PAUSED_ANNOTATION : FROZEN_ANNOTATION;

      const after = applyRolloutCommand(daemonSet, snapshot.revisions, command);

      expect(after.rollout[control]).toBe(command.command === 'pause' || command.command === 'freeze');
      expect(after.annotations[annotation]).toBe(after.rollout[control] ? 'true' : undefined);
      const { [annotation]: _after, ...othersAfter } = after.annotations;
      const { [annotation]: _before, ...othersBefore } = daemonSet.annotations;
      const rollout = { ...after.rollout, [control]: daemonSet.rollout[control] };
      expect({ ...after, annotations: othersAfter, rollout }).toEqual({ ...daemonSet, annotations: othersBefore });
    },
  );

  test.prop([arbAnnotated, arbCommand()])(
    'undo and restart change only the template, undo to the template of a known revision',
    ([snapshot, daemonSet], command) => {
      fc.pre(command.command === 'undo' || command.command === 'restart');

      const after = attempt(daemonSet, snapshot.revisions, command);

      fc.pre(after !== undefined);
      expect({ ...after, template: daemonSet.template }).toEqual(daemonSet);
      if (command.command === 'undo') {
        expect(snapshot.revisions.map((revision) => revision.template)).toContainEqual(after.template);
      }
    },
  );

  test.prop([arbAnnotated, arbCommand()])(
    'gives the same DaemonSet when applied twice as once',
    ([snapshot, daemonSet], command) => {
      const once = attempt(daemonSet, snapshot.revisions, command);
      fc.pre(once !== undefined);

      const twice = applyRolloutCommand(once, snapshot.revisions, command);

      expect(twice).toEqual(once);
    },
  );
});
