import { describe, expect, it } from 'vitest';
import { parseIngestMessage } from '../../../lib/messages/parse-ingest-message.js';
import type { ClusterStore } from '../../../lib/ports/cluster-store.js';
import { applyIngestEvent } from '../../../lib/reconcile/apply-ingest-event.js';
import { reconcile } from '../../../lib/reconcile/reconcile-pass.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { anApi, REQUEST_TIME } from '../api/api-harness.js';

const NOW = Date.UTC(2026, 0, 1);
const KEY = 'default/agent';

function imageOf(store: ClusterStore) {
  return store.getDaemonSet(KEY).then((stored) => {
    const containers = stored?.daemonSet.template.spec['containers'] as readonly { image: string }[] | undefined;
    return containers?.[0]?.image;
  });
}

/** Applies three templates in turn, reconciling after each, so revisions 1, 2 and 3 exist. */
async function aDaemonSetWithThreeRevisions(store: ClusterStore): Promise<void> {
  await store.putNode(aNode('node-a').build(), new Date(NOW).toISOString());
  for (const [index, image] of ['agent:1', 'agent:2', 'agent:3'].entries()) {
    await store.applyDaemonSet(aDaemonSet('agent').withImage(image).build(), new Date(NOW + index).toISOString());
    await reconcile(KEY, { store, now: () => NOW });
  }
}

describe('rollout undo through the ingest queue', () => {
  it('goes back to the same revision when its message is delivered twice', async () => {
    const { request, store, ingest } = anApi();
    await aDaemonSetWithThreeRevisions(store);

    await request('POST', '/v1/daemonsets/default/agent/rollout', { body: { command: 'undo' } });
    const [message] = ingest.messages;
    const body = JSON.stringify(message);
    for (let delivery = 0; delivery < 2; delivery += 1) {
      await applyIngestEvent(parseIngestMessage(body, {}, REQUEST_TIME), { store, now: () => NOW });
      await reconcile(KEY, { store, now: () => NOW });
    }

    expect(message).toMatchObject({ command: 'undo', toRevision: 2 });
    expect(await imageOf(store)).toBe('agent:2');
    expect((await store.listRevisions(KEY)).map((revision) => revision.revision).sort()).toEqual([1, 3, 4]);
  });

  it('ignores a copy of an undo that arrives after a later apply', async () => {
    const { request, store, ingest } = anApi();
    await aDaemonSetWithThreeRevisions(store);
    await request('POST', '/v1/daemonsets/default/agent/rollout', { body: { command: 'undo' } });
    const body = JSON.stringify(ingest.messages[0]);
    await applyIngestEvent(parseIngestMessage(body, {}, REQUEST_TIME), { store, now: () => NOW });
    const later = new Date(REQUEST_TIME + 60_000).toISOString();
    await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:4').build(), later);

    await applyIngestEvent(parseIngestMessage(body, {}, REQUEST_TIME), { store, now: () => NOW });

    expect(await imageOf(store)).toBe('agent:4');
  });

  it('refuses an undo with nothing to go back to when it is issued', async () => {
    const { request, store, ingest } = anApi();
    await store.applyDaemonSet(aDaemonSet('agent').build(), new Date(NOW).toISOString());
    await reconcile(KEY, { store, now: () => NOW });

    const reply = await request('POST', '/v1/daemonsets/default/agent/rollout', { body: { command: 'undo' } });

    expect(reply.status).toBe(422);
    expect(reply.body['details']).toMatchObject({
      causes: [{ field: 'toRevision', message: 'no last revision to roll back to' }],
    });
    expect(ingest.messages).toEqual([]);
  });
});
