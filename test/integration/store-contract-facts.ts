import { expect, it } from 'vitest';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';
import { DaemonSetNotFoundError, TerminalError } from '../../lib/ports/errors.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { at, KEY, type MakeStore, NOW, versionOf } from './store-contract-fixtures.js';

const options = { now: () => NOW };

export function describeNodeFacts(makeStore: MakeStore): void {
  it('stores a node and reads it back', async () => {
    const store = await makeStore(options);
    const node = aNode('node-a').labelled({ zone: 'a' }).build();

    const outcome = await store.putNode(node, at(1));

    expect(outcome).toBe('stored');
    expect(await store.getNode('node-a')).toEqual(node);
    expect(await store.listNodes()).toEqual([node]);
  });

  it('ignores older facts and recognises duplicates', async () => {
    const store = await makeStore(options);
    const current = aNode('node-a').labelled({ zone: 'b' }).build();
    await store.putNode(current, at(2));

    const older = await store.putNode(aNode('node-a').labelled({ zone: 'a' }).build(), at(1));
    const duplicate = await store.putNode(current, at(2));
    const sameTimeOtherContent = await store.putNode(aNode('node-a').build(), at(2));

    expect([older, duplicate, sameTimeOtherContent]).toEqual(['stale', 'unchanged', 'stale']);
    expect(await store.getNode('node-a')).toEqual(current);
  });

  it('advances the fact time on a newer identical fact, so older facts stay refused', async () => {
    const store = await makeStore(options);
    const node = aNode('node-a').build();
    await store.putNode(node, at(1));

    const newer = await store.putNode(node, at(3));
    const between = await store.putNode(aNode('node-a').notReady().build(), at(2));

    expect([newer, between]).toEqual(['unchanged', 'stale']);
    expect(await store.getNode('node-a')).toEqual(node);
  });

  it('keeps a removal tombstone that beats a late, older join', async () => {
    const store = await makeStore(options);
    await store.putNode(aNode('node-a').build(), at(1));

    const removed = await store.removeNode('node-a', at(3));
    const lateJoin = await store.putNode(aNode('node-a').build(), at(2));

    expect([removed, lateJoin]).toEqual(['stored', 'stale']);
    expect(await store.getNode('node-a')).toBeUndefined();
    expect(await store.listNodes()).toEqual([]);
  });

  it('remembers the removal of a node it never saw', async () => {
    const store = await makeStore(options);

    const removed = await store.removeNode('node-a', at(2));
    const lateJoin = await store.putNode(aNode('node-a').build(), at(1));
    const rejoin = await store.putNode(aNode('node-a').build(), at(3));

    expect([removed, lateJoin, rejoin]).toEqual(['unchanged', 'stale', 'stored']);
    expect(await store.listNodes()).toEqual([aNode('node-a').build()]);
  });

  it('refuses a fact time that does not parse', async () => {
    const store = await makeStore(options);

    const putting = store.putNode(aNode('node-a').build(), 'yesterday');

    await expect(putting).rejects.toBeInstanceOf(TerminalError);
  });
}

export function describeDaemonSetFacts(makeStore: MakeStore): void {
  it('starts a new DaemonSet at generation 1, created when first observed', async () => {
    const store = await makeStore(options);

    const result = await store.applyDaemonSet(aDaemonSet('agent').withGeneration(7).build(), at(1));

    expect(result).toEqual({ outcome: 'stored', generation: 1 });
    const stored = await store.getDaemonSet(KEY);
    expect(stored?.daemonSet).toEqual({ ...aDaemonSet('agent').build(), generation: 1, creationTimestamp: at(1) });
    expect(stored?.status).toBeUndefined();
    expect(stored?.memory).toEqual({ failedPodBackoff: {} });
  });

  it('bumps the generation only when the spec changes, and the version on every spec write', async () => {
    const store = await makeStore(options);
    const base = aDaemonSet('agent');
    await store.applyDaemonSet(base.build(), at(1));
    const version = await versionOf(store);

    const same = await store.applyDaemonSet(base.build(), at(2));
    const versionAfterSame = await versionOf(store);
    const metadataOnly = await store.applyDaemonSet(base.annotated({ team: 'infra' }).build(), at(3));
    const newImage = await store.applyDaemonSet(base.annotated({ team: 'infra' }).withImage('agent:2').build(), at(4));
    const paused = await store.applyDaemonSet(
      base.annotated({ team: 'infra' }).withImage('agent:2').withRollout({ paused: true }).build(),
      at(5),
    );

    expect(same).toEqual({ outcome: 'unchanged', generation: 1 });
    expect(versionAfterSame).toBe(version);
    expect(metadataOnly).toEqual({ outcome: 'stored', generation: 1 });
    expect(newImage).toEqual({ outcome: 'stored', generation: 2 });
    expect(paused).toEqual({ outcome: 'stored', generation: 3 });
    expect(await versionOf(store)).toBe(version + 3);
  });

  it('ignores an older apply', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), at(2));

    const result = await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:1').build(), at(1));

    expect(result.outcome).toBe('stale');
    expect((await store.getDaemonSet(KEY))?.daemonSet.template.spec).toEqual(
      aDaemonSet('agent').withImage('agent:2').build().template.spec,
    );
  });

  it('marks a DaemonSet deleted, and an older apply does not bring it back', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));

    const deleted = await store.deleteDaemonSet(KEY, at(3));
    const olderApply = await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), at(2));
    const again = await store.deleteDaemonSet(KEY, at(4));

    expect([deleted, olderApply.outcome, again]).toEqual(['stored', 'stale', 'unchanged']);
    expect((await store.getDaemonSet(KEY))?.daemonSet.deletionTimestamp).toBe(at(3));
  });

  it('lets a newer apply win over a deletion', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    await store.deleteDaemonSet(KEY, at(2));

    const result = await store.applyDaemonSet(aDaemonSet('agent').build(), at(3));

    expect(result).toEqual({ outcome: 'stored', generation: 1 });
    expect((await store.getDaemonSet(KEY))?.daemonSet.deletionTimestamp).toBeUndefined();
  });

  it('remembers the deletion of a DaemonSet it never saw', async () => {
    const store = await makeStore(options);

    const deleted = await store.deleteDaemonSet(KEY, at(2));
    const lateApply = await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));

    expect([deleted, lateApply.outcome]).toEqual(['unchanged', 'stale']);
    expect(await store.getDaemonSet(KEY)).toBeUndefined();
    expect(await store.listDaemonSets()).toEqual([]);
  });

  it('lists DaemonSets by key', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('zeta').build(), at(1));
    await store.applyDaemonSet(aDaemonSet('alpha').inNamespace('kube-system').build(), at(1));
    await store.applyDaemonSet(aDaemonSet('alpha').build(), at(1));

    const listed = await store.listDaemonSets();

    const keys = listed.map(({ daemonSet }) => `${daemonSet.namespace}/${daemonSet.name}`);
    expect(keys).toEqual(['default/alpha', 'default/zeta', 'kube-system/alpha']);
  });

  it('updates a spec through a pure change, bumping generation and version', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    const version = await versionOf(store);

    const updated = await store.updateDaemonSet(KEY, (current) => ({
      ...current,
      rollout: { ...current.rollout, paused: true },
    }));

    expect(updated.rollout.paused).toBe(true);
    expect(updated.generation).toBe(2);
    expect(await store.getDaemonSet(KEY)).toMatchObject({ daemonSet: updated, version: version + 1 });
  });

  it('reads placement again from a template changed by an update, as a rollback does', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    const previous = aDaemonSet('agent').tolerating({ operator: 'Exists' }).build();

    const updated = await store.updateDaemonSet(KEY, (current) => ({ ...current, template: previous.template }));

    expect(updated.placement).toEqual(previous.placement);
    expect((await store.getDaemonSet(KEY))?.daemonSet.placement).toEqual(previous.placement);
  });

  it('runs the change again on fresh state when a competing write lands first', async () => {
    const store: ClusterStore = await makeStore({
      ...options,
      hooks: {
        beforeUpdateWrite: async (_key, attempt) => {
          if (attempt === 1) await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:2').build(), at(2));
        },
      },
    });
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
    const seen: string[] = [];

    const updated = await store.updateDaemonSet(KEY, (current) => {
      seen.push(JSON.stringify(current.template.spec));
      return { ...current, rollout: { ...current.rollout, paused: true } };
    });

    expect(seen).toHaveLength(2);
    expect(updated.template).toEqual(aDaemonSet('agent').withImage('agent:2').build().template);
    expect(updated.rollout.paused).toBe(true);
    expect(updated.generation).toBe(3);
  });

  it('orders an update that carries a fact time with applies: stale ones change nothing, newer ones win', async () => {
    const store = await makeStore(options);
    await store.applyDaemonSet(aDaemonSet('agent').build(), at(2));
    const restarted = (image: string) => (current: DaemonSet) => ({
      ...current,
      template: aDaemonSet('agent').withImage(image).build().template,
    });

    const stale = await store.updateDaemonSet(KEY, restarted('agent:stale'), at(2));
    const newer = await store.updateDaemonSet(KEY, restarted('agent:3'), at(3));
    const duplicate = await store.updateDaemonSet(KEY, restarted('agent:again'), at(3));
    const lateApply = await store.applyDaemonSet(aDaemonSet('agent').withImage('agent:late').build(), at(2));

    expect(stale.template).toEqual(aDaemonSet('agent').build().template);
    expect(newer.template).toEqual(aDaemonSet('agent').withImage('agent:3').build().template);
    expect(duplicate).toEqual(newer);
    expect(lateApply.outcome).toBe('stale');
    expect((await store.getDaemonSet(KEY))?.daemonSet.template).toEqual(newer.template);
  });

  it('refuses to update a DaemonSet that does not exist', async () => {
    const store = await makeStore(options);

    const updating = store.updateDaemonSet(KEY, (current) => current);

    await expect(updating).rejects.toBeInstanceOf(DaemonSetNotFoundError);
  });
}

export function describeRecordsAndCopies(makeStore: MakeStore): void {
  it('records a rejection once per id, oldest first', async () => {
    const store = await makeStore(options);
    const first = { id: 'm-2', source: 'ingest', reason: 'bad yaml', body: '{', time: at(2) };
    const other = { id: 'm-1', source: 'ingest', reason: 'unknown kind', body: '{}', time: at(1) };

    await store.recordRejection(first);
    await store.recordRejection({ ...first, reason: 'redelivered' });
    await store.recordRejection(other);

    expect(await store.listRejections()).toEqual([other, first]);
  });

  it('hands out copies, so callers cannot change what is stored', async () => {
    const store = await makeStore(options);
    const node = aNode('node-a').labelled({ zone: 'a' }).build();
    await store.putNode(node, at(1));
    (node.labels as Record<string, string>)['zone'] = 'changed-after-put';

    const read = await store.getNode('node-a');
    (read?.labels as Record<string, string>)['zone'] = 'changed-after-get';

    expect((await store.getNode('node-a'))?.labels).toEqual({ zone: 'a' });
  });
}
