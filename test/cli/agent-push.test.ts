import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changedTopic } from '../../agent/mqtt-change-source.js';
import { TestBroker } from '../fixtures/agent/mqtt-broker.js';
import { settled } from '../fixtures/agent/settled.js';
import { scratchFolder } from './pod-manifests.js';
import { REPOSITORY_ROOT } from './run-everynode.js';

// The one-file agent (dist/everynode-agent.mjs, as hosts run it) with --push: a real broker over WebSocket, a
// stand-in control plane and Docker (an empty node), so what is checked is the bundle's MQTT client, the flags
// and their wiring, not containers.

const AGENT = join(REPOSITORY_ROOT, 'dist', 'everynode-agent.mjs');
const WAIT = { timeout: 20_000, interval: 20 };

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A control plane that knows no node, has no pods for it, and counts what the agent asks. */
async function aControlPlane(): Promise<{ url: string; podReads: () => number; heartbeats: () => number }> {
  let podReads = 0;
  let heartbeats = 0;
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.method === 'GET' && request.url?.endsWith('/pods') === true) podReads += 1;
    if (request.method === 'PUT' && request.url?.endsWith('/heartbeat') === true) heartbeats += 1;
    if (request.method === 'GET' && request.url?.endsWith('/pods') !== true) {
      response.statusCode = 404;
      response.end('{"message":"not found"}');
      return;
    }
    response.end(request.url?.endsWith('/pods') === true ? '{"items":[]}' : '{}');
  });
  await listen(server, 0, '127.0.0.1');
  cleanups.push(() => close(server));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, podReads: () => podReads, heartbeats: () => heartbeats };
}

/** The Docker Engine API as an empty host has it: no containers, every image present. */
async function aDocker(folder: string): Promise<string> {
  const socketPath = join(folder, 'docker.sock');
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(request.url?.includes('/containers/json') === true ? '[]' : request.url === '/_ping' ? 'OK' : '{}');
  });
  await listen(server, socketPath);
  cleanups.push(() => close(server));
  return socketPath;
}

function startAgent(args: readonly string[]): { output: () => string; process: ChildProcess } {
  const { EVERYNODE_ENDPOINT: _endpoint, EVERYNODE_TOKEN: _token, EVERYNODE_STATE_DIR: _state, ...env } = process.env;
  const child = spawn(process.execPath, [AGENT, ...args], {
    env: { ...env, EVERYNODE_TOKEN: 'test', AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  cleanups.push(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  });
  return { output: () => output, process: child };
}

describe('everynode-agent.mjs --push', () => {
  it('subscribes, reads its pods at once on each notice, and heartbeats over HTTP only while the push is down', async () => {
    const folder = scratchFolder();
    const plane = await aControlPlane();
    const dockerSocket = await aDocker(folder);
    const broker = await new TestBroker({ transport: 'websocket' }).start();
    cleanups.push(() => broker.stop());
    const agent = startAgent([
      '--node-name',
      'worker-1',
      '--endpoint',
      plane.url,
      '--docker-socket',
      dockerSocket,
      '--state-dir',
      folder,
      '--push',
      broker.url,
      '--poll-interval',
      '60m',
      '--heartbeat-interval',
      '100ms',
      '--fallback-poll-interval',
      '60m',
    ]);
    await vi.waitFor(
      () => expect(agent.output()).toMatch(/worker-1: push: subscribed: mqtt ws:\/\/127\.0\.0\.1:\d+\/mqtt/),
      WAIT,
    );
    await vi.waitFor(() => expect(plane.podReads()).toBeGreaterThanOrEqual(2), WAIT); // at start, and on connecting
    const reads = await settled(plane.podReads);
    const heartbeats = plane.heartbeats();

    await broker.publish(changedTopic('worker-1'), '{"node":"worker-1"}');
    await vi.waitFor(() => expect(plane.podReads()).toBe(reads + 1), WAIT);
    await sleep(500); // five heartbeat intervals

    expect(plane.podReads()).toBe(reads + 1);
    expect(plane.heartbeats()).toBe(heartbeats);

    await broker.stop();
    await vi.waitFor(() => expect(plane.heartbeats()).toBeGreaterThanOrEqual(heartbeats + 3), WAIT);
    expect(agent.output()).toMatch(/worker-1: push: .* \(retrying; pods are polled meanwhile\)/);
  });

  it('refuses a --push URL it cannot use before doing anything', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [AGENT, '--node-name', 'worker-1', '--push', 'http://broker:1883'],
        (error, _out, stderr) =>
          resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr }),
      ),
    );

    expect(result).toEqual({
      code: 2,
      stderr: 'error: --push: Invalid value: http://broker:1883: the scheme must be mqtt, mqtts, ws or wss\n',
    });
  });
});

async function listen(server: Server, ...at: [number, string] | [string]): Promise<void> {
  server.listen(...(at as [number, string]));
  await once(server, 'listening');
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
