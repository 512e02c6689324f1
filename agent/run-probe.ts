import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { JsonObject } from '../lib/model/daemon-set.js';
import { objectAt, objectsAt, stringsAt } from './agent-pod.js';
import type { DockerApi } from './docker-api.js';

/** The timing of a probe, with Kubernetes' defaults. */
export type ProbeTiming = Readonly<{
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}>;

export function probeTiming(probe: JsonObject): ProbeTiming {
  const seconds = (key: string, fallback: number): number =>
    typeof probe[key] === 'number' && (probe[key] as number) >= 0 ? (probe[key] as number) : fallback;
  return {
    initialDelayMs: seconds('initialDelaySeconds', 0) * 1000,
    periodMs: Math.max(1, seconds('periodSeconds', 10)) * 1000,
    timeoutMs: Math.max(1, seconds('timeoutSeconds', 1)) * 1000,
    successThreshold: Math.max(1, seconds('successThreshold', 1)),
    failureThreshold: Math.max(1, seconds('failureThreshold', 3)),
  };
}

/** Where a probe of one container reaches it. */
export type ProbeTarget = Readonly<{ containerId: string; container: JsonObject; address: string }>;

/**
 * Runs one `exec`, `httpGet` or `tcpSocket` probe as the kubelet does: exec succeeds on exit code 0,
 * httpGet on a status from 200 to 399, tcpSocket when a connection opens; each within `timeoutSeconds`.
 * Resolves to a failure message, or undefined on success.
 */
export async function runProbe(
  probe: JsonObject,
  target: ProbeTarget,
  docker: DockerApi,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const exec = objectAt(probe, 'exec');
    if (probe['exec'] !== undefined) {
      const code = await docker.exec(target.containerId, stringsAt(exec, 'command') ?? [], timeoutMs);
      return code === 0 ? undefined : `exec probe exited with code ${code}`;
    }
    if (probe['httpGet'] !== undefined) return await httpProbe(objectAt(probe, 'httpGet'), target, timeoutMs);
    if (probe['tcpSocket'] !== undefined) return await tcpProbe(objectAt(probe, 'tcpSocket'), target, timeoutMs);
    return 'probe has no handler (exec, httpGet or tcpSocket)';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A port given by number or by the name of one of the container's ports. */
export function resolvePort(port: unknown, container: JsonObject): number | undefined {
  if (typeof port === 'number') return port;
  const named = objectsAt(container, 'ports').find((entry) => entry['name'] === port);
  if (named !== undefined && typeof named['containerPort'] === 'number') return named['containerPort'];
  const parsed = Number(port);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

function httpProbe(action: JsonObject, target: ProbeTarget, timeoutMs: number): Promise<string | undefined> {
  const port = resolvePort(action['port'], target.container);
  if (port === undefined) return Promise.resolve(`httpGet probe: no port ${JSON.stringify(action['port'])}`);
  const host = typeof action['host'] === 'string' ? action['host'] : target.address;
  const https = action['scheme'] === 'HTTPS';
  const headers: Record<string, string> = { 'user-agent': 'everynode-probe/1.0' };
  for (const header of objectsAt(action, 'httpHeaders')) headers[String(header['name'])] = String(header['value']);
  return new Promise((resolve) => {
    const request = (https ? httpsRequest : httpRequest)(
      {
        host,
        port,
        path: typeof action['path'] === 'string' ? action['path'] : '/',
        method: 'GET',
        headers,
        timeout: timeoutMs,
        ...(https ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        resolve(status >= 200 && status < 400 ? undefined : `HTTP probe failed with statuscode: ${status}`);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`httpGet probe: no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve(`httpGet probe: ${error.message}`));
    request.end();
  });
}

function tcpProbe(action: JsonObject, target: ProbeTarget, timeoutMs: number): Promise<string | undefined> {
  const port = resolvePort(action['port'], target.container);
  if (port === undefined) return Promise.resolve(`tcpSocket probe: no port ${JSON.stringify(action['port'])}`);
  const host = typeof action['host'] === 'string' ? action['host'] : target.address;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`tcpSocket probe: no connection to ${host}:${port} within ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(`tcpSocket probe: ${error.message}`);
    });
  });
}
