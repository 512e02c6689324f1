import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import { toleratesTaint } from '../../lib/placement/tolerates-taint.js';
import { arbNode, arbPermutation, arbPlacement, arbTaint, arbToleration } from './placement-arbitraries.js';

const answers = ({ shouldRun, shouldContinueRunning }: { shouldRun: boolean; shouldContinueRunning: boolean }) => ({
  shouldRun,
  shouldContinueRunning,
});

describe('nodeShouldRunDaemonPod invariants', () => {
  test.prop([arbNode(), arbPlacement()])('shouldRun implies shouldContinueRunning', (node, placement) => {
    const decision = nodeShouldRunDaemonPod(node, placement);

    expect(!decision.shouldRun || decision.shouldContinueRunning).toBe(true);
  });

  test.prop([arbNode(), arbPlacement()])('gives reasons exactly when shouldRun is false', (node, placement) => {
    const decision = nodeShouldRunDaemonPod(node, placement);

    expect(decision.reasons.length === 0).toBe(decision.shouldRun);
  });

  test.prop([arbNode(), arbPlacement(), fc.array(fc.string(), { minLength: 1, maxLength: 3 })])(
    'ignores PreferNoSchedule taints',
    (node, placement, keys) => {
      const soft = keys.map((key) => ({ key, effect: 'PreferNoSchedule' as const }));
      const without = { ...node, taints: node.taints.filter((taint) => taint.effect !== 'PreferNoSchedule') };

      const decision = nodeShouldRunDaemonPod({ ...without, taints: [...soft, ...without.taints] }, placement);

      expect(decision).toEqual(nodeShouldRunDaemonPod(without, placement));
    },
  );

  test.prop([arbNode(), arbPlacement(), arbToleration()])(
    'never turns a yes into a no when a toleration is added',
    (node, placement, toleration) => {
      const before = nodeShouldRunDaemonPod(node, placement);

      const after = nodeShouldRunDaemonPod(node, { ...placement, tolerations: [...placement.tolerations, toleration] });

      expect(after.shouldRun || !before.shouldRun).toBe(true);
      expect(after.shouldContinueRunning || !before.shouldContinueRunning).toBe(true);
    },
  );

  test.prop([
    arbNode().chain((node) => fc.tuple(fc.constant(node), arbPermutation(node.taints))),
    arbPlacement().chain((placement) => fc.tuple(fc.constant(placement), arbPermutation(placement.tolerations))),
  ])('does not depend on the order of taints and tolerations', ([node, taints], [placement, tolerations]) => {
    const shuffled = nodeShouldRunDaemonPod({ ...node, taints }, { ...placement, tolerations });

    expect(shuffled).toEqual(nodeShouldRunDaemonPod(node, placement));
  });

  test.prop([arbNode(), arbPlacement()])('makes taints irrelevant with a bare Exists toleration', (node, placement) => {
    const tolerant = { ...placement, tolerations: [...placement.tolerations, { operator: 'Exists' as const }] };

    const decision = nodeShouldRunDaemonPod(node, tolerant);

    expect(answers(decision)).toEqual(answers(nodeShouldRunDaemonPod({ ...node, taints: [] }, placement)));
  });
});

describe('toleratesTaint invariants', () => {
  test.prop([
    arbTaint(),
    fc.constantFrom({ operator: 'Exists' as const }, { key: '', operator: 'Exists' as const, effect: '' as const }),
  ])('tolerates every taint with an Exists toleration of empty key and effect', (taint, toleration) => {
    expect(toleratesTaint(toleration, taint)).toBe(true);
  });

  test.prop([arbTaint(), arbToleration(), fc.option(fc.nat(), { nil: undefined })])(
    'ignores tolerationSeconds',
    (taint, toleration, seconds) => {
      const { tolerationSeconds: _, ...rest } = toleration;

      const changed = toleratesTaint(seconds === undefined ? rest : { ...rest, tolerationSeconds: seconds }, taint);

      expect(changed).toBe(toleratesTaint(toleration, taint));
    },
  );
});
