import { describe, expect, it } from 'vitest';
import { buildFleetView } from '../../../dashboard/fleet-view.js';
import { searchNodes } from '../../../dashboard/search-nodes.js';
import { parseLabelSelector } from '../../../lib/labels/parse-label-selector.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { aPod, POD_EPOCH } from '../../fixtures/builders/a-pod.js';
import { currentOf, podOf, stored } from './fleet-fixture.js';

const gpu = aDaemonSet('gpu-plugin').withNodeSelector({ hardware: 'gpu' }).build();
const nodes = Array.from({ length: 12 }, (_, index) =>
  aNode(`node-${String(index).padStart(2, '0')}`)
    .labelled({ zone: index % 2 === 0 ? 'a' : 'b', ...(index < 3 ? { hardware: 'gpu' } : {}) })
    .build(),
);
const pods = [podOf(gpu, aPod('gpu-0').on('node-00').atRevision(currentOf(gpu)).readySince(POD_EPOCH).build())];
const view = buildFleetView({ daemonSets: [stored(gpu)], nodes, pods }, POD_EPOCH + 1000);
const column = view.columns[0];
const names = (list: ReturnType<typeof searchNodes>) => list.items.map((item) => item.name);

describe('searchNodes', () => {
  it('finds nodes by part of the name, whatever the case', () => {
    expect(names(searchNodes(view, { name: 'DE-1', limit: 50, offset: 0 }))).toEqual(['node-10', 'node-11']);
  });

  it('finds nodes by label selector, and by both at once', () => {
    const selector = parseLabelSelector('zone=a,hardware');

    expect(names(searchNodes(view, { selector, limit: 50, offset: 0 }))).toEqual(['node-00', 'node-02']);
    expect(names(searchNodes(view, { selector, name: '02', limit: 50, offset: 0 }))).toEqual(['node-02']);
  });

  it('lists the nodes behind a state or a why-not reason of one DaemonSet, with every state per node', () => {
    const missing = searchNodes(view, { ...(column ? { column } : {}), state: 'missing', limit: 50, offset: 0 });
    const reason = 'nodeSelector hardware=gpu does not match';
    const excluded = searchNodes(view, { ...(column ? { column } : {}), reason, limit: 50, offset: 0 });

    expect(names(missing)).toEqual(['node-01', 'node-02']);
    expect(missing.items[0]).toMatchObject({ state: 'missing', states: ['missing'], ready: 'True', gated: false });
    expect(excluded.total).toBe(9);
  });

  it('pages: total, a continue token while more remain, none on the last page', () => {
    const first = searchNodes(view, { limit: 5, offset: 0 });
    const last = searchNodes(view, { limit: 5, offset: 10 });

    expect(first).toMatchObject({ total: 12, continue: '5' });
    expect(names(first)).toEqual(['node-00', 'node-01', 'node-02', 'node-03', 'node-04']);
    expect(names(last)).toEqual(['node-10', 'node-11']);
    expect(last.continue).toBeUndefined();
  });
});
