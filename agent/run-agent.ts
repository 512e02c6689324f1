import { join } from 'node:path';
import { packageRootOf, resolveEndpoint } from '../cli/api/resolve-endpoint.js';
import { CliError, EXIT_CODES } from '../cli/cli-error.js';
import type { ConnectionOptions } from '../cli/command-options.js';
import { parseLabelChange, parseTaint } from '../cli/input/parse-node-changes.js';
import { AgentHttpClient } from './agent-http-client.js';
import type { ChangeSource } from './change-source.js';
import { DEFAULT_PAUSE_IMAGE } from './container-config.js';
import { DockerApi } from './docker-api.js';
import { hostFacts } from './host-facts.js';
import { HttpAgentApi } from './http-agent-api.js';
import { imageToPull } from './image-pull-policy.js';
import { LongPollChangeSource } from './long-poll-change-source.js';
import { NodeAgent } from './node-agent.js';
import { parseDuration } from './parse-duration.js';
import { startHeartbeats } from './start-heartbeats.js';

export type AgentOptions = Readonly<{
  nodeName: string;
  label?: readonly string[];
  taint?: readonly string[];
  runtime?: string;
  pollInterval?: string;
  heartbeatInterval?: string;
  push?: string;
  fallbackPollInterval?: string;
  dockerSocket?: string;
  podNetwork?: string;
  podInfraContainerImage?: string;
  stateDir?: string;
}> &
  ConnectionOptions;

/**
 * `everynode agent --node-name <name>`: registers the node and runs its pods in Docker until SIGINT or
 * SIGTERM. Containers keep running when the agent stops; a restarted agent adopts them.
 */
export async function runAgent(options: AgentOptions): Promise<void> {
  const nodeName = options.nodeName;
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(nodeName)) {
    throw new CliError(
      `error: --node-name: Invalid value: ${JSON.stringify(nodeName)}: must be a DNS subdomain`,
      EXIT_CODES.invalidInput,
    );
  }
  if ((options.runtime ?? 'docker') !== 'docker') {
    throw new CliError(
      `error: --runtime: Unsupported value: ${JSON.stringify(options.runtime)}: supported values: "docker"`,
      EXIT_CODES.invalidInput,
    );
  }
  const pollIntervalMs = parseDuration(options.pollInterval ?? '2s', '--poll-interval');
  const heartbeatIntervalMs = parseDuration(options.heartbeatInterval ?? '15s', '--heartbeat-interval');
  const fallbackPollIntervalMs = parseDuration(options.fallbackPollInterval ?? '30m', '--fallback-poll-interval');
  const log = (line: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  };
  const push =
    options.push === undefined || options.push === 'off' ? undefined : await pushSource(options.push, nodeName, log);
  const labels: Record<string, string> = {};
  for (const change of (options.label ?? []).map(parseLabelChange)) {
    if ('remove' in change)
      throw new CliError(`error: --label ${change.key}-: a label to remove`, EXIT_CODES.invalidInput);
    labels[change.key] = change.value;
  }
  const taints = (options.taint ?? []).map(parseTaint);
  const docker = new DockerApi({
    socketPath: options.dockerSocket ?? process.env['DOCKER_SOCKET'] ?? '/var/run/docker.sock',
  });
  // The host's facts (on a host that is not EC2, IMDS may take its whole timeout to fail) while Docker answers.
  const factsFound = hostFacts(nodeName);
  try {
    await docker.ping();
  } catch (error) {
    throw new CliError(
      `error: cannot reach Docker at ${docker.socketPath}: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_CODES.failure,
    );
  }
  const root = packageRootOf(process.argv[1]);
  const client = new AgentHttpClient(
    resolveEndpoint({
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      env: process.env,
      cwd: process.cwd(),
      ...(root === undefined ? {} : { packageRoot: root }),
    }),
  );
  const api = new HttpAgentApi(client, nodeName);
  // Where the agent learns that its pods changed (read at once on each notice, polled only every
  // --fallback-poll-interval while it listens): the MQTT subscription of --push, else the control plane's held
  // request (the local control plane answers it; a control plane without it leaves the agent polling every
  // --poll-interval), or nothing with --push off.
  const changes: ChangeSource | undefined =
    options.push === 'off'
      ? undefined
      : (push ?? new LongPollChangeSource(client, nodeName, (line) => log(`${nodeName}: ${line}`)));
  // The sandbox image is on every pod's path: have it before the first pod arrives, as the kubelet does.
  const pauseImage = options.podInfraContainerImage ?? DEFAULT_PAUSE_IMAGE;
  void prepareImage(docker, pauseImage, (line) => log(`${nodeName}: ${line}`));
  const facts = await factsFound;
  let registeredAt = 0;
  const register = async (): Promise<string> => {
    const outcome = await api.register(nodeName, facts, labels, taints);
    registeredAt = Date.now();
    return outcome;
  };
  const outcome = await registerWithRetry(register, log);
  log(`${nodeName}: node ${outcome} at ${client.endpoint.url}`);
  const heartbeats = startHeartbeats({
    heartbeat: () => api.heartbeat(),
    register,
    settling: () => Date.now() - registeredAt < REGISTRATION_SETTLE_MS,
    intervalMs: heartbeatIntervalMs,
    // Pushed through AWS IoT Core, the connection itself tells the control plane the node is alive (decision 0007).
    ...(push === undefined ? {} : { relaxed: { intervalMs: fallbackPollIntervalMs, while: () => push.connected } }),
    log: (line) => log(`${nodeName}: ${line}`),
  });
  const agent = new NodeAgent({
    nodeName,
    api,
    docker,
    host: {
      nodeName,
      hostIP: facts.hostIP,
      podNetwork: options.podNetwork ?? 'bridge',
      pauseImage,
      emptyDirRoot: join(options.stateDir ?? '/var/lib/everynode', 'pods'),
    },
    pollIntervalMs,
    ...(changes === undefined ? {} : { changes, fallbackPollIntervalMs }),
    ...backoffFromEnv(),
    log,
  });
  agent.start();
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log(`${nodeName}: ${signal}: stopping (containers keep running)`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  heartbeats.stop();
  await agent.stop();
}

/**
 * A registration is stored through the ingest queue: for this long after one, a heartbeat that finds no node means
 * it is not stored yet (not that the node was removed), and does not register it again.
 */
const REGISTRATION_SETTLE_MS = 10_000;

/** Pulls an image unless present; a failure is logged (the pod that needs it reports it again). */
async function prepareImage(docker: DockerApi, image: string, log: (line: string) => void): Promise<void> {
  try {
    if (await imageToPull(image, 'IfNotPresent', docker)) {
      log(`pulling ${image}`);
      await docker.pullImage(image);
    }
  } catch (error) {
    log(`cannot pull ${image} yet: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The MQTT subscription of `--push <url>`, loaded only then (MQTT.js stays out of a polling agent's memory). */
async function pushSource(url: string, nodeName: string, log: (line: string) => void): Promise<ChangeSource> {
  const { MqttChangeSource } = await import('./mqtt-change-source.js');
  try {
    return new MqttChangeSource({ url, nodeName, log });
  } catch (error) {
    throw new CliError(
      `error: --push: Invalid value: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_CODES.invalidInput,
    );
  }
}

/** Registration waits for the control plane (it may start after the agent), retrying with back-off. */
async function registerWithRetry(register: () => Promise<string>, log: (line: string) => void): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await register();
    } catch (error) {
      if (error instanceof CliError && error.exitCode === EXIT_CODES.invalidInput) throw error;
      const delay = Math.min(1000 * 2 ** attempt, 30_000);
      log(
        `cannot register yet (${error instanceof Error ? error.message : String(error)}); retrying in ${delay / 1000}s`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** `EVERYNODE_AGENT_BACKOFF_MS=initial,max` shortens the crash-loop back-off (for tests and demos). */
function backoffFromEnv(): { backoff?: { initialMs: number; maxMs: number } } {
  const given = process.env['EVERYNODE_AGENT_BACKOFF_MS'];
  if (given === undefined || given === '') return {};
  const [initialMs, maxMs] = given.split(',').map(Number);
  if (initialMs === undefined || maxMs === undefined || !(initialMs > 0) || !(maxMs >= initialMs)) return {};
  return { backoff: { initialMs, maxMs } };
}
