import { describe, expect, it } from 'vitest';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { reconcile } from '../../lib/reconcile/reconcile-pass.js';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { aDaemonSetManifest } from '../fixtures/events/manifests.js';
import { localDynamo } from './local-dynamo.js';

const dynamo = localDynamo('store-limits');
const NOW = Date.UTC(2026, 0, 1, 12);
const EARLIER = new Date(NOW - 60_000).toISOString();

describe('DynamoDB limits on a real table', () => {
  it('creates 120 pods that each carry 54 KB of template labels: chunks stay under the 4 MB transaction limit', async () => {
    const store = new DynamoClusterStore(dynamo.documentClient, await dynamo.newTable(), { now: () => NOW });
    const manifest = aDaemonSetManifest('labelled');
    const labels = {
      app: 'labelled',
      ...Object.fromEntries(Array.from({ length: 900 }, (_, index) => [`label-${index}`, 'x'.repeat(50)])),
    };
    const spec = manifest['spec'] as { template: { metadata: { labels: unknown } } };
    spec.template.metadata.labels = labels;
    const daemonSet = toDaemonSet(manifest);
    if (!daemonSet.ok) throw new Error('the fixture manifest is invalid');
    for (let index = 0; index < 120; index += 1) await store.putNode(aNode(`node-${index}`).build(), EARLIER);
    await store.applyDaemonSet(daemonSet.value, EARLIER);

    await reconcile('default/labelled', { store, now: () => NOW });

    const pods = await store.listPods('default/labelled');
    expect(pods).toHaveLength(120);
    expect(Object.keys(pods[0]?.labels ?? {}).length).toBeGreaterThan(900);
  });
});
