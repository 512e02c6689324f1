import { describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../../../lib/model/daemon-set.js';
import { NoPreviousRevisionError } from '../../../lib/revision/history-errors.js';
import { applyRolloutCommand, RESTARTED_AT_ANNOTATION } from '../../../lib/rollout/apply-rollout-command.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';

const AT = '2026-03-04T05:06:07.890Z';
const base = aDaemonSet('agent').annotated({ team: 'infra' }).build();

function revision(number: number, image: string): ControllerRevision {
  const template = aDaemonSet('agent').withImage(image).build().template;
  return { name: `agent-h${number}`, hash: `h${number}`, revision: number, template, creationTimestamp: AT };
}

describe('applyRolloutCommand', () => {
  it('pauses with the rollout control and the everynode.io/paused annotation, and resumes without them', () => {
    const paused = applyRolloutCommand(base, [], { command: 'pause', at: AT });
    const resumed = applyRolloutCommand(paused, [], { command: 'resume', at: AT });

    expect(paused.rollout.paused).toBe(true);
    expect(paused.annotations).toEqual({ team: 'infra', 'everynode.io/paused': 'true' });
    expect(resumed).toEqual(base);
  });

  it('freezes and unfreezes the same way', () => {
    const frozen = applyRolloutCommand(base, [], { command: 'freeze', at: AT });
    const thawed = applyRolloutCommand(frozen, [], { command: 'unfreeze', at: AT });

    expect(frozen.rollout.frozen).toBe(true);
    expect(frozen.annotations['everynode.io/frozen']).toBe('true');
    expect(thawed).toEqual(base);
  });

  it('undoes to the previous revision, or to the one asked for', () => {
    const revisions = [revision(1, 'agent:1'), revision(3, 'agent:3'), revision(2, 'agent:2')];

    const previous = applyRolloutCommand(base, revisions, { command: 'undo', at: AT });
    const first = applyRolloutCommand(base, revisions, { command: 'undo', toRevision: 1, at: AT });

    expect(previous.template).toEqual(revision(2, 'agent:2').template);
    expect(first.template).toEqual(revision(1, 'agent:1').template);
  });

  it('refuses to undo without a previous revision', () => {
    expect(() => applyRolloutCommand(base, [revision(1, 'agent:1')], { command: 'undo', at: AT })).toThrow(
      NoPreviousRevisionError,
    );
  });

  it('restarts by stamping the template as kubectl does, to the second', () => {
    const restarted = applyRolloutCommand(base, [], { command: 'restart', at: AT });

    expect(restarted.template.metadata.annotations).toEqual({ [RESTARTED_AT_ANNOTATION]: '2026-03-04T05:06:07Z' });
    expect(restarted.template.spec).toEqual(base.template.spec);
  });
});
