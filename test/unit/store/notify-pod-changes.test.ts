import { describe, expect, it } from 'vitest';
import { notifyPodChanges } from '../../../lib/store/notify-pod-changes.js';

describe('notifyPodChanges', () => {
  it('names each node whose pods changed once, and ignores changes to nodes and DaemonSets alone', async () => {
    const told: string[][] = [];
    const listener = notifyPodChanges({ podsChanged: async (names) => void told.push([...names]) });

    await listener([
      { daemonSet: 'default/agent' },
      { daemonSet: 'default/agent', nodeName: 'worker-1', pods: true },
      { nodeName: 'worker-2' },
      { daemonSet: 'default/agent', nodeName: 'worker-3', pods: true },
      { daemonSet: 'default/agent', nodeName: 'worker-1', pods: true },
    ]);
    await listener([{ nodeName: 'worker-2' }, { daemonSet: 'default/agent' }]);

    expect(told).toEqual([['worker-1', 'worker-3']]);
  });
});
