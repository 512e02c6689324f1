import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { ControllerRevision, DaemonSet, JsonValue, PodTemplate } from '../../lib/model/daemon-set.js';
import type { Pod } from '../../lib/model/pod.js';
import { applyRevisionChanges } from '../../lib/revision/apply-revision-changes.js';
import { templatesEqual } from '../../lib/revision/canonical-json.js';
import { computeRevisionHash, revisionName } from '../../lib/revision/compute-revision-hash.js';
import { planHistory } from '../../lib/revision/plan-history.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aPod } from '../fixtures/builders/a-pod.js';

const NOW = Date.UTC(2024, 5, 1);
const IMAGES = 5;

const daemonSetWith = (image: number, limit: number): DaemonSet =>
  aDaemonSet('agent').withImage(`agent:${image}`).withRevisionHistoryLimit(limit).build();

/** Revisions of a few templates (duplicates of one template included), unique names and numbers. */
const arbRevisions = (): fc.Arbitrary<readonly ControllerRevision[]> =>
  fc
    .uniqueArray(fc.record({ image: fc.nat(IMAGES - 1), revision: fc.integer({ min: 1, max: 40 }) }), {
      selector: (entry) => entry.revision,
      maxLength: 8,
    })
    .map((entries) =>
      entries.map(({ image, revision }, index) => {
        const { template } = daemonSetWith(image, 0);
        const hash = computeRevisionHash(template, index);
        return {
          name: revisionName('agent', hash),
          hash,
          revision,
          template,
          creationTimestamp: '2024-01-01T00:00:00Z',
        };
      }),
    );

const podWith = (revisionHash: string, terminating: boolean, index: number): Pod => {
  const pod = aPod(`agent-${index}`).on(`n${index}`).atRevision(revisionHash);
  return (terminating ? pod.terminating() : pod).build();
};

type Scenario = Readonly<{ daemonSet: DaemonSet; revisions: readonly ControllerRevision[]; pods: readonly Pod[] }>;

const arbScenario = (): fc.Arbitrary<Scenario> =>
  fc.tuple(fc.nat(IMAGES - 1), fc.nat(4), arbRevisions()).chain(([image, limit, revisions]) => {
    const hashes = ['', 'unknown', ...revisions.map((revision) => revision.hash)];
    const arbPods = fc.array(fc.tuple(fc.constantFrom(...hashes), fc.boolean()), { maxLength: 6 });
    return arbPods.map((pods) => ({
      daemonSet: daemonSetWith(image, limit),
      revisions,
      pods: pods.map(([hash, terminating], index) => podWith(hash, terminating, index)),
    }));
  });

const isLive = (pods: readonly Pod[]) => (revision: ControllerRevision) =>
  pods.some((pod) => pod.revisionHash === revision.hash);

describe('planHistory invariants', () => {
  test.prop([arbScenario()])(
    'leaves exactly one current revision, numbered highest',
    ({ daemonSet, revisions, pods }) => {
      const plan = planHistory(daemonSet, revisions, pods, 0, NOW);

      const after = applyRevisionChanges(revisions, plan.changes);
      const current = after.filter((revision) => templatesEqual(revision.template, daemonSet.template));
      expect(current).toEqual([plan.current]);
      expect(Math.max(...after.map((revision) => revision.revision))).toBe(plan.current.revision);
      expect(after.length).toBe(plan.old.length + 1);
    },
  );

  test.prop([arbScenario()])(
    'keeps at most revisionHistoryLimit old revisions unless pods run them',
    ({ daemonSet, revisions, pods }) => {
      const plan = planHistory(daemonSet, revisions, pods, 0, NOW);

      expect(plan.old.length <= daemonSet.revisionHistoryLimit || plan.old.every(isLive(pods))).toBe(true);
    },
  );

  test.prop([arbScenario()])('never deletes an old revision a pod runs', ({ daemonSet, revisions, pods }) => {
    const plan = planHistory(daemonSet, revisions, pods, 0, NOW);

    const deleted = plan.changes.flatMap((change) => (change.kind === 'deleteRevision' ? [change.name] : []));
    const deletedOld = revisions.filter(
      (revision) => deleted.includes(revision.name) && !templatesEqual(revision.template, daemonSet.template),
    );
    expect(deletedOld.filter(isLive(pods))).toEqual([]);
  });

  test.prop([arbScenario()])(
    'is a fixpoint: re-planning after applying the changes changes nothing',
    ({ daemonSet, revisions, pods }) => {
      const plan = planHistory(daemonSet, revisions, pods, 0, NOW);

      const again = planHistory(
        daemonSet,
        applyRevisionChanges(revisions, plan.changes),
        pods,
        plan.collisionCount,
        NOW + 1,
      );

      expect(again.changes).toEqual([]);
      expect(again.current).toEqual(plan.current);
    },
  );

  test.prop([
    arbScenario().chain((scenario) =>
      fc.tuple(
        fc.constant(scenario),
        fc.shuffledSubarray([...scenario.revisions], { minLength: scenario.revisions.length }),
        fc.shuffledSubarray([...scenario.pods], { minLength: scenario.pods.length }),
      ),
    ),
  ])(
    'does not depend on the order of revisions and pods',
    ([{ daemonSet, revisions, pods }, shuffledRevisions, shuffledPods]) => {
      const shuffled = planHistory(daemonSet, shuffledRevisions, shuffledPods, 0, NOW);

      expect(shuffled).toEqual(planHistory(daemonSet, revisions, pods, 0, NOW));
    },
  );
});

/** The same JSON with every object's keys in reverse order. */
function reverseKeys(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reverseKeys);
  const object = value as { readonly [key: string]: JsonValue };
  return Object.fromEntries(
    Object.keys(object)
      .reverse()
      .map((key) => [key, reverseKeys(object[key] ?? null)]),
  );
}

const arbTemplate = (): fc.Arbitrary<PodTemplate> =>
  fc.record({
    metadata: fc.record({
      labels: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
      annotations: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    }),
    spec: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>, { maxKeys: 5 }),
  });

describe('computeRevisionHash invariants', () => {
  test.prop([arbTemplate(), fc.nat()])('is deterministic', (template, collisionCount) => {
    const copy = structuredClone(template);

    expect(computeRevisionHash(copy, collisionCount)).toBe(computeRevisionHash(template, collisionCount));
  });

  test.prop([arbTemplate(), fc.nat()])('does not depend on key order', (template, collisionCount) => {
    const reordered = reverseKeys(template) as PodTemplate;

    expect(computeRevisionHash(reordered, collisionCount)).toBe(computeRevisionHash(template, collisionCount));
  });

  test.prop([arbTemplate(), fc.nat()])(
    'stays within the safe alphabet and 10 characters',
    (template, collisionCount) => {
      expect(computeRevisionHash(template, collisionCount)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    },
  );
});
