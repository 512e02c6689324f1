import { AppsV1Api, type Informer, KubeConfig, makeInformer, type V1DaemonSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

/**
 * Issue 16: `@kubernetes/client-node`, the client most Node tools use, lists and watches everynode's DaemonSets
 * through an informer (list, then watch from the list's resourceVersion), from the kubeconfig `npm start` writes.
 */

let plane: TestControlPlane;

/** Generous on a loaded machine (the full suite shares two cores). */
const SETTLE_MS = 90_000;
let informer: Informer<V1DaemonSet> | undefined;

beforeAll(async () => {
  plane = await startTestControlPlane();
});

afterAll(async () => {
  await informer?.stop();
  await plane?.stop();
});

describe('@kubernetes/client-node against the local control plane', () => {
  it('lists DaemonSets, then sees a change through its informer watch', { timeout: 240_000 }, async () => {
    const config = new KubeConfig();
    config.loadFromFile(plane.kubeconfig);
    const apps = config.makeApiClient(AppsV1Api);

    // The demo is seeded through the ingest queue: it is stored moments after the control plane starts.
    const listed = await eventually(
      'the demo DaemonSet',
      async () => {
        const list = await apps.listDaemonSetForAllNamespaces();
        return list.items.length > 0 ? list : undefined;
      },
      SETTLE_MS,
    );
    expect(listed.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`)).toEqual([
      'kube-system/fluentd-logger',
    ]);
    expect(listed.metadata?.resourceVersion).toMatch(/^\d+$/);

    const started = makeInformer(config, '/apis/apps/v1/daemonsets', () => apps.listDaemonSetForAllNamespaces());
    informer = started;
    const images: string[] = [];
    started.on('update', (daemonSet) => images.push(daemonSet.spec?.template.spec?.containers[0]?.image ?? ''));
    await started.start();
    expect(started.list().map((item) => item.metadata?.name)).toEqual(['fluentd-logger']);

    await apps.patchNamespacedDaemonSet({
      name: 'fluentd-logger',
      namespace: 'kube-system',
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'fluent/fluentd:v1.99' }],
    });

    await eventually(
      'the informer to see the new image',
      async () => (images.includes('fluent/fluentd:v1.99') ? true : undefined),
      SETTLE_MS,
    );
    // The informer keeps following the rollout's status changes, all through one watch it re-opens by itself.
    await eventually(
      'the rollout to finish in the informer cache',
      async () => {
        const [cached] = started.list();
        return cached?.status?.updatedNumberScheduled === 3 && cached.status.numberAvailable === 3 ? true : undefined;
      },
      SETTLE_MS,
    );
  });
});
