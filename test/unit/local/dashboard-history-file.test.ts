import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFleetView } from '../../../dashboard/fleet-view.js';
import { openDashboardHistoryFile } from '../../../local/dashboard-history-file.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { aNode } from '../../fixtures/builders/a-node.js';
import { stored } from '../dashboard/fleet-fixture.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'everynode-history-'));
  dirs.push(dir);
  return join(dir, 'dashboard-history.json');
}

const view = () =>
  buildFleetView({ daemonSets: [stored(aDaemonSet('agent').build())], nodes: [aNode('n1').build()], pods: [] }, 1e12);

describe('openDashboardHistoryFile', () => {
  it('starts empty, writes the history at stop, and gives it back at the next start', async () => {
    const path = await tempFile();
    const first = await openDashboardHistoryFile(path, () => undefined);
    first.recorder.observe(view(), new Map());
    await first.stop();

    const second = await openDashboardHistoryFile(path, () => undefined);
    await second.stop();

    expect(second.recorder.feed(5).map((event) => event.reason)).toEqual(['DaemonSetCreated']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ kind: 'everynode.io/dashboard-history' });
  });

  it('sets an unreadable history aside, says so, and starts a new one', async () => {
    const path = await tempFile();
    await writeFile(path, '{"kind": "not ours"');
    const logged: string[] = [];

    const history = await openDashboardHistoryFile(path, (message) => logged.push(message));
    await history.stop();

    expect(history.recorder.feed(5)).toEqual([]);
    expect(logged.join('\n')).toMatch(/set aside as .*dashboard-history\.json\.unreadable/);
    expect((await readdir(join(path, '..'))).toSorted()).toEqual(['dashboard-history.json.unreadable']);
  });
});
