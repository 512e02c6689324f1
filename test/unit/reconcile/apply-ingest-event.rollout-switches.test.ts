import { describe, expect, it } from 'vitest';
import { unsetRolloutSwitches } from '../../../lib/manifest/unset-rollout-switches.js';
import { parseIngestMessage } from '../../../lib/messages/parse-ingest-message.js';
import type { JsonObject } from '../../../lib/model/daemon-set.js';
import { applyIngestEvent } from '../../../lib/reconcile/apply-ingest-event.js';
import { InMemoryClusterStore } from '../../../lib/store/memory/in-memory-cluster-store.js';
import { fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';

const NOW_MS = Date.UTC(2026, 0, 1);

const KEY = 'kube-system/fluentd-logger';
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

function withAnnotations(manifest: JsonObject, annotations: Readonly<Record<string, string>>): JsonObject {
  const metadata = manifest['metadata'] as JsonObject;
  return { ...manifest, metadata: { ...metadata, annotations } };
}

async function deliver(store: InMemoryClusterStore, message: JsonObject): Promise<void> {
  await applyIngestEvent(parseIngestMessage(JSON.stringify(message), {}, NOW_MS), { store, now: () => NOW_MS });
}

const apply = (manifest: JsonObject, second: number) => ({
  type: 'DaemonSetApplied',
  manifest,
  observedAt: at(second),
});
const rollout = (command: string, second: number) => ({
  type: 'RolloutCommand',
  namespace: 'kube-system',
  name: 'fluentd-logger',
  command,
  observedAt: at(second),
});

describe('applying a manifest after a rollout command', () => {
  it('keeps a paused rollout paused when the manifest does not mention pausing', async () => {
    const store = new InMemoryClusterStore();
    const manifest = fixtureObject('fluentd.yaml');
    await deliver(store, apply(manifest, 1));
    await deliver(store, rollout('pause', 2));

    await deliver(store, apply(manifest, 3));

    const stored = await store.getDaemonSet(KEY);
    expect(stored?.daemonSet.rollout.paused).toBe(true);
    expect(stored?.daemonSet.annotations['everynode.io/paused']).toBe('true');
  });

  it('keeps the restartedAt of rollout restart, so re-applying the manifest restarts nothing', async () => {
    const store = new InMemoryClusterStore();
    const manifest = fixtureObject('fluentd.yaml');
    await deliver(store, apply(manifest, 1));
    await deliver(store, rollout('restart', 2));
    const restarted = (await store.getDaemonSet(KEY))?.daemonSet.template;

    await deliver(store, apply(manifest, 3));

    const stored = await store.getDaemonSet(KEY);
    expect(restarted?.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe(at(2).replace('.000Z', 'Z'));
    expect(stored?.daemonSet.template).toEqual(restarted);
  });

  it('resumes when the manifest says so', async () => {
    const store = new InMemoryClusterStore();
    const manifest = fixtureObject('fluentd.yaml');
    await deliver(store, apply(manifest, 1));
    await deliver(store, rollout('freeze', 2));

    await deliver(store, apply(withAnnotations(manifest, { 'everynode.io/frozen': 'false' }), 3));

    expect((await store.getDaemonSet(KEY))?.daemonSet.rollout.frozen).toBe(false);
  });
});

describe('unsetRolloutSwitches', () => {
  it('names the switches a manifest leaves out', () => {
    const manifest = fixtureObject('fluentd.yaml');

    expect(unsetRolloutSwitches(manifest)).toEqual(['paused', 'frozen', 'restartedAt']);
    expect(unsetRolloutSwitches(withAnnotations(manifest, { 'everynode.io/paused': 'false' }))).toEqual([
      'frozen',
      'restartedAt',
    ]);
    expect(
      unsetRolloutSwitches({
        spec: {
          updateStrategy: { rollingUpdate: { paused: false, partition: 2 } },
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } },
        },
      }),
    ).toEqual(['frozen']);
  });
});
