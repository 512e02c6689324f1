import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Node } from '../../lib/model/node.js';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import { placementAnswers } from '../../lib/placement/placement-answers.js';
import { arbNode, arbPlacement } from './placement-arbitraries.js';

// Keys a plain object inherits (`constructor`) must read as absent labels, as Object.hasOwn reads them.
const arbNodeWithInheritedKeys = (): fc.Arbitrary<Node> =>
  fc
    .tuple(arbNode(), fc.dictionary(fc.constantFrom('constructor', 'toString', 'cores'), fc.constantFrom('', '7', 'a')))
    .map(([node, extra]) => ({ ...node, labels: { ...node.labels, ...extra } }));

const arbPlacementOnInheritedKeys = () =>
  fc
    .tuple(
      arbPlacement(),
      fc.constantFrom('constructor', 'toString', 'cores'),
      fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt'),
    )
    .map(([placement, key, operator]) => ({
      ...placement,
      requiredNodeAffinity: [
        {
          matchExpressions: [
            operator === 'Exists' || operator === 'DoesNotExist' ? { key, operator } : { key, operator, values: ['7'] },
          ],
        },
      ],
    }));

/** What the reasons say about keeping a running pod: only taints that are not NoExecute may be listed. */
const reasonsAllowKeeping = (reasons: readonly string[]): boolean =>
  reasons.every((reason) => reason.startsWith('taint ') && !reason.endsWith(':NoExecute is not tolerated'));

describe('placementAnswers, the compiled fast path', () => {
  test.prop([fc.oneof(arbNode(), arbNodeWithInheritedKeys()), fc.oneof(arbPlacement(), arbPlacementOnInheritedKeys())])(
    'agrees with the reasons the explaining rules give',
    (node, placement) => {
      const { reasons } = nodeShouldRunDaemonPod(node, placement);

      const answers = placementAnswers(node, placement);

      expect(answers).toEqual({ shouldRun: reasons.length === 0, shouldContinueRunning: reasonsAllowKeeping(reasons) });
    },
  );

  test.prop([arbNode(), arbPlacement()])('gives the answers of nodeShouldRunDaemonPod', (node, placement) => {
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, placement);

    expect(placementAnswers(node, placement)).toEqual({ shouldRun, shouldContinueRunning });
  });
});
