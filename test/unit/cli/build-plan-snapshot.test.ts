import { describe, expect, it } from 'vitest';
import { buildPlanSnapshot, UNKNOWN_TEMPLATE_ANNOTATION } from '../../../cli/plan/build-plan-snapshot.js';
import { computeRevisionHash } from '../../../lib/revision/compute-revision-hash.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';

describe('buildPlanSnapshot', () => {
  const daemonSet = aDaemonSet('agent').build();
  const current = computeRevisionHash(daemonSet.template);

  it('holds the DaemonSet, nodes and pods at version 0 with empty memory', () => {
    const nodes = [aNode('a').build()];
    const pods = [aPod('p').on('a').atRevision(current).build()];

    const snapshot = buildPlanSnapshot(daemonSet, nodes, pods, POD_EPOCH);

    expect(snapshot).toMatchObject({ daemonSet, nodes, pods, version: 0, memory: { failedPodBackoff: {} } });
    expect(snapshot.revisions).toEqual([
      expect.objectContaining({ name: `agent-${current}`, hash: current, revision: 1, template: daemonSet.template }),
    ]);
  });

  it('numbers the hashes seen on pods below the current revision, oldest first', () => {
    const pods = [
      aPod('newer')
        .atRevision('bbb')
        .createdAt(POD_EPOCH + 2000)
        .build(),
      aPod('older')
        .atRevision('aaa')
        .createdAt(POD_EPOCH + 1000)
        .build(),
      aPod('again')
        .atRevision('aaa')
        .createdAt(POD_EPOCH + 3000)
        .build(),
    ];

    const snapshot = buildPlanSnapshot(daemonSet, [], pods, POD_EPOCH);

    expect(snapshot.revisions.map((revision) => [revision.hash, revision.revision])).toEqual([
      ['aaa', 1],
      ['bbb', 2],
      [current, 3],
    ]);
  });

  it('gives an old revision a stand-in template that never equals the current one', () => {
    const snapshot = buildPlanSnapshot(daemonSet, [], [aPod('p').atRevision('aaa').build()], POD_EPOCH);

    expect(snapshot.revisions[0]?.template.metadata.annotations).toEqual({ [UNKNOWN_TEMPLATE_ANNOTATION]: 'aaa' });
    expect(snapshot.revisions[0]?.template.spec).toEqual(daemonSet.template.spec);
  });
});
