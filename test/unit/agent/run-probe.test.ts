import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerApi } from '../../../agent/docker-api.js';
import { probeTiming, runProbe } from '../../../agent/run-probe.js';
import type { JsonObject } from '../../../lib/model/daemon-set.js';

// httpGet and tcpSocket probes against a real server on loopback; exec probes through a Docker stand-in.

let server: Server;
let port = 0;
const target = (containerPorts: JsonObject[] = []) => ({
  containerId: 'abc',
  container: { name: 'main', ports: containerPorts },
  address: '127.0.0.1',
});
const noDocker = {} as DockerApi;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.statusCode = request.url === '/healthz' ? 200 : request.url === '/moved' ? 302 : 503;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('runProbe', () => {
  it('passes an httpGet probe on 200 to 399 and fails it otherwise, with the status in the reason', async () => {
    expect(await runProbe({ httpGet: { path: '/healthz', port } }, target(), noDocker, 1000)).toBeUndefined();
    expect(await runProbe({ httpGet: { path: '/moved', port } }, target(), noDocker, 1000)).toBeUndefined();
    expect(await runProbe({ httpGet: { path: '/broken', port } }, target(), noDocker, 1000)).toBe(
      'HTTP probe failed with statuscode: 503',
    );
  });

  it("resolves a named port from the container's ports", async () => {
    const named = target([{ name: 'http', containerPort: port }]);
    expect(await runProbe({ httpGet: { path: '/healthz', port: 'http' } }, named, noDocker, 1000)).toBeUndefined();
    expect(await runProbe({ httpGet: { path: '/healthz', port: 'metrics' } }, named, noDocker, 1000)).toMatch(
      /no port/,
    );
  });

  it('passes a tcpSocket probe when a connection opens and fails it when refused', async () => {
    expect(await runProbe({ tcpSocket: { port } }, target(), noDocker, 1000)).toBeUndefined();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await runProbe({ tcpSocket: { port: closedPort } }, target(), noDocker, 1000)).toMatch(/ECONNREFUSED/);
  });

  it('passes an exec probe on exit code 0 only', async () => {
    const exitingWith = (code: number) => ({ exec: async () => code }) as unknown as DockerApi;
    const probe = { exec: { command: ['cat', '/tmp/ready'] } };
    expect(await runProbe(probe, target(), exitingWith(0), 1000)).toBeUndefined();
    expect(await runProbe(probe, target(), exitingWith(1), 1000)).toBe('exec probe exited with code 1');
  });

  it("uses Kubernetes' probe defaults", () => {
    expect(probeTiming({})).toEqual({
      initialDelayMs: 0,
      periodMs: 10_000,
      timeoutMs: 1000,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(probeTiming({ initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 1 })).toMatchObject({
      initialDelayMs: 5000,
      periodMs: 2000,
      failureThreshold: 1,
    });
  });
});
