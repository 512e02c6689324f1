import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AgentHttpClient } from '../../agent/agent-http-client.js';
import { HttpAgentApi } from '../../agent/http-agent-api.js';
import { LongPollChangeSource } from '../../agent/long-poll-change-source.js';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/start-local-control-plane.js';

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const DAEMON_SET = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'node-exporter', namespace: 'monitoring' },
  spec: {
    selector: { matchLabels: { app: 'node-exporter' } },
    template: {
      metadata: { labels: { app: 'node-exporter' } },
      spec: { containers: [{ name: 'exporter', image: 'prom/node-exporter:v1.8.2' }] },
    },
  },
};

// The local control plane's push to real node agents: a held request answered when the node's pods change.
describe('pod changes pushed to node agents by the local control plane', () => {
  let plane: LocalControlPlane;
  let stateDir: string;
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${plane.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${plane.token}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'everynode-local-'));
    plane = await startLocalControlPlane({
      port: 0,
      stateDir,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `node-changes-${randomUUID()}`,
      agents: false,
      log: () => {},
    });
  });

  afterAll(async () => {
    await plane?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it("tells a listening agent when a DaemonSet places a pod on its node, and the agent's read finds it", async () => {
    const client = new AgentHttpClient({ url: plane.url, auth: { kind: 'token', token: plane.token }, local: true });
    const notices: number[] = [];
    const source = new LongPollChangeSource(client, 'push-1');
    source.start(() => notices.push(Date.now()));
    try {
      await eventually(() => (source.connected ? true : undefined));
      const before = notices.length;
      const node = { apiVersion: 'v1', kind: 'Node', status: { conditions: [{ type: 'Ready', status: 'True' }] } };
      expect((await api('/v1/nodes/push-1', { method: 'PUT', body: JSON.stringify(node) })).status).toBe(202);
      expect((await api('/v1/daemonsets', { method: 'PUT', body: JSON.stringify(DAEMON_SET) })).status).toBe(202);

      await eventually(() => (notices.length > before ? true : undefined));
      const pods = await new HttpAgentApi(client, 'push-1').listPods();

      expect(pods.map((pod) => pod.daemonSet)).toEqual(['node-exporter']);
      expect(source.connected).toBe(true);
    } finally {
      await source.stop();
    }
    expect(source.connected).toBe(false);
  });

  it('holds a request while nothing changes, and refuses a bad timeout or a missing token', async () => {
    const first = (await (await api('/v1/nodes/quiet-1/pods/changes')).json()) as { token: string };
    const started = Date.now();
    const held = await api(`/v1/nodes/quiet-1/pods/changes?after=${first.token}&timeoutSeconds=1`);
    const heldMs = Date.now() - started;
    const bad = await api('/v1/nodes/quiet-1/pods/changes?timeoutSeconds=600');
    const anonymous = await fetch(`${plane.url}/v1/nodes/quiet-1/pods/changes`);

    expect(await held.json()).toEqual({ token: first.token });
    expect(heldMs).toBeGreaterThanOrEqual(900);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      reason: 'BadRequest',
      message: expect.stringMatching(/^timeoutSeconds: Invalid value: "600"/),
    });
    expect(anonymous.status).toBe(401);
  });

  it('stays disconnected (the agent polls) against an API without the route', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', reason: 'NotFound', code: 404 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const lines: string[] = [];
    const source = new LongPollChangeSource(
      new AgentHttpClient({ url, auth: { kind: 'none' }, local: true }),
      'w-1',
      (line) => lines.push(line),
    );
    const notices: number[] = [];
    source.start(() => notices.push(1));
    try {
      await eventually(() => (lines.length > 0 ? true : undefined));
      expect(source.connected).toBe(false);
      expect(notices).toEqual([]);
      expect(lines).toEqual(['pod changes: the control plane has no change feed; polling']);
    } finally {
      await source.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
