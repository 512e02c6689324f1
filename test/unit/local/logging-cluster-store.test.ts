import { describe, expect, it } from 'vitest';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { LoggingClusterStore } from '../../../local/logging-cluster-store.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';

const NOW = Date.UTC(2026, 0, 1, 12);

function aLoggingStore() {
  const lines: string[] = [];
  const store = new LoggingClusterStore(new InMemoryClusterStore({ now: () => NOW }), (line) => lines.push(line));
  return { store, lines };
}

describe('LoggingClusterStore', () => {
  it('tells node joins, updates and removals, and stays quiet about facts that change nothing', async () => {
    const { store, lines } = aLoggingStore();
    const node = aNode('worker-2').build();

    await store.putNode(node, '2026-01-01T10:00:00.000Z');
    await store.putNode(node, '2026-01-01T10:00:01.000Z');
    await store.putNode(aNode('worker-2').labelled({ zone: 'b' }).build(), '2026-01-01T10:00:02.000Z');
    await store.removeNode('worker-2', '2026-01-01T10:00:03.000Z');

    expect(lines).toEqual(['node worker-2 joined', 'node worker-2 updated', 'node worker-2 removed']);
  });

  it('tells each pod a reconcile step creates, without repeating it as an event', async () => {
    const { store, lines } = aLoggingStore();
    const daemonSet = toDaemonSet(fixtureObject('fluentd.yaml'));
    if (!daemonSet.ok) throw new Error('fixture manifest is invalid');
    await store.putNode(aNode('worker-1').build(), '2026-01-01T10:00:00.000Z');
    await store.applyDaemonSet(daemonSet.value, '2026-01-01T10:00:00.000Z');
    lines.length = 0;

    await reconcile('kube-system/fluentd-logger', { store, now: () => NOW });

    expect(lines).toEqual([expect.stringMatching(/^fluentd-logger: create pod fluentd-logger-\S+ on worker-1$/)]);
  });
});
