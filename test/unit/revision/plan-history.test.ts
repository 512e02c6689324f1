import { describe, expect, it } from 'vitest';
import { planHistory } from '../../../lib/revision/plan-history.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aPod } from '../../fixtures/builders/a-pod.js';
import { revisionOf } from './revision-fixtures.js';

const NOW = Date.UTC(2024, 5, 1, 12);
const base = aDaemonSet('agent');
const v = (n: number) => base.withImage(`registry.example/agent:${n}`).build();

describe('planHistory', () => {
  it('creates revision 1 for a new daemon set', () => {
    const daemonSet = v(1);

    const plan = planHistory(daemonSet, [], [], 0, NOW);

    const expected = { ...revisionOf(daemonSet, 1), creationTimestamp: '2024-06-01T12:00:00.000Z' };
    expect(plan).toEqual({
      current: expected,
      old: [],
      changes: [{ kind: 'createRevision', revision: expected }],
      collisionCount: 0,
    });
  });

  it('changes nothing when the current revision is already the newest', () => {
    const revisions = [revisionOf(v(1), 1), revisionOf(v(2), 2)];

    const plan = planHistory(v(2), revisions, [], 0, NOW);

    expect(plan).toEqual({ current: revisions[1], old: [revisions[0]], changes: [], collisionCount: 0 });
  });

  it('numbers a new template after the highest old revision', () => {
    const revisions = [revisionOf(v(1), 1), revisionOf(v(2), 5)];

    const plan = planHistory(v(3), revisions, [], 0, NOW);

    expect(plan.current.revision).toBe(6);
    expect(plan.changes).toEqual([{ kind: 'createRevision', revision: plan.current }]);
  });

  it('renumbers a reused old revision to the top, as rollout undo does', () => {
    const revisions = [revisionOf(v(1), 1), revisionOf(v(2), 2)];

    const plan = planHistory(v(1), revisions, [], 0, NOW);

    expect(plan.changes).toEqual([{ kind: 'renumberRevision', name: revisions[0]?.name, revision: 3 }]);
    expect(plan.current).toEqual({ ...revisions[0], revision: 3 });
    expect(plan.old).toEqual([revisions[1]]);
  });

  it('keeps the highest of several current revisions and deletes the others', () => {
    const older = revisionOf(v(2), 2);
    const newer = revisionOf(v(2), 4, 1);
    const other = revisionOf(v(1), 3);

    const plan = planHistory(v(2), [newer, other, older], [], 0, NOW);

    expect(plan.current).toEqual(newer);
    expect(plan.changes).toEqual([{ kind: 'deleteRevision', name: older.name }]);
  });

  it('renumbers the kept current revision after removing duplicates when it is not the highest', () => {
    const duplicate = revisionOf(v(2), 1, 1);
    const kept = revisionOf(v(2), 2);
    const other = revisionOf(v(1), 3);

    const plan = planHistory(v(2), [duplicate, kept, other], [], 0, NOW);

    expect(plan.changes).toEqual([
      { kind: 'deleteRevision', name: duplicate.name },
      { kind: 'renumberRevision', name: kept.name, revision: 4 },
    ]);
  });

  it('raises the collision count until the name is free', () => {
    const daemonSet = v(2);
    const squatters = [0, 1].map((count, index) => ({
      ...revisionOf(daemonSet, index + 1, count),
      template: v(9).template,
    }));

    const plan = planHistory(daemonSet, squatters, [], 0, NOW);

    expect(plan.collisionCount).toBe(2);
    expect(plan.current).toEqual({ ...revisionOf(daemonSet, 3, 2), creationTimestamp: '2024-06-01T12:00:00.000Z' });
  });

  it('keeps a collision count it was given', () => {
    const plan = planHistory(v(1), [], [], 3, NOW);

    expect(plan.collisionCount).toBe(3);
    expect(plan.current.hash).toBe(revisionOf(v(1), 1, 3).hash);
  });

  it('deletes the oldest old revisions beyond revisionHistoryLimit', () => {
    const revisions = [1, 2, 3, 4].map((n) => revisionOf(v(n), n));
    const daemonSet = base.withImage('registry.example/agent:5').withRevisionHistoryLimit(2).build();

    const plan = planHistory(daemonSet, revisions, [], 0, NOW);

    expect(plan.changes.slice(1)).toEqual([
      { kind: 'deleteRevision', name: revisions[0]?.name },
      { kind: 'deleteRevision', name: revisions[1]?.name },
    ]);
    expect(plan.old).toEqual(revisions.slice(2));
  });

  it('never deletes an old revision a pod still runs, terminating pods included', () => {
    const revisions = [1, 2, 3, 4].map((n) => revisionOf(v(n), n));
    const daemonSet = base.withImage('registry.example/agent:4').withRevisionHistoryLimit(1).build();
    const pods = [
      aPod('a')
        .on('n1')
        .atRevision(revisions[0]?.hash ?? '')
        .build(),
      aPod('b')
        .on('n2')
        .atRevision(revisions[1]?.hash ?? '')
        .terminating()
        .build(),
    ];

    const plan = planHistory(daemonSet, revisions, pods, 0, NOW);

    expect(plan.changes).toEqual([{ kind: 'deleteRevision', name: revisions[2]?.name }]);
    expect(plan.old.map((revision) => revision.revision)).toEqual([1, 2]);
  });

  it('keeps no unused old revision with a limit of 0', () => {
    const revisions = [revisionOf(v(1), 1), revisionOf(v(2), 2)];
    const daemonSet = base.withImage('registry.example/agent:2').withRevisionHistoryLimit(0).build();

    const plan = planHistory(daemonSet, revisions, [], 0, NOW);

    expect(plan.changes).toEqual([{ kind: 'deleteRevision', name: revisions[0]?.name }]);
    expect(plan.old).toEqual([]);
  });

  it("records the daemon set's change-cause annotation on a new revision", () => {
    const daemonSet = base.annotated({ 'kubernetes.io/change-cause': 'kubectl set image agent=2' }).build();

    const plan = planHistory(daemonSet, [], [], 0, NOW);

    expect(plan.current.changeCause).toBe('kubectl set image agent=2');
  });

  it('sees a template change in annotations as a new revision', () => {
    const revisions = [revisionOf(v(1), 1)];
    const daemonSet = base
      .withImage('registry.example/agent:1')
      .withTemplateAnnotations({ restartedAt: 'now' })
      .build();

    const plan = planHistory(daemonSet, revisions, [], 0, NOW);

    expect(plan.current.revision).toBe(2);
    expect(plan.old).toEqual(revisions);
  });
});
