import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { LABELS } from '../../agent/container-labels.js';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/start-local-control-plane.js';
import { PAUSE_IMAGE, startTestDocker, type TestDocker } from '../../test/e2e/docker-daemon.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatMb, formatSeconds, median } from '../shared/stats.js';

/** Issue 15's aims for the node agent, on a real Docker daemon with the local control plane. */
export const agentBenchmark: Benchmark = {
  name: 'agent',
  title: 'The node agent on a real Docker daemon: join → first container, reaction to pod changes, memory',
  run: runAgentBench,
};

const AGENT = fileURLToPath(new URL('../../dist/everynode-agent.mjs', import.meta.url));
const IMAGE = 'everynode-bench/busybox:1';
const AIM = { joinMs: 3_000, reactionP99Ms: 2_000, rssBytes: 60 * 1024 * 1024 };

type Agent = Readonly<{ process: ChildProcess; startedAt: number }>;

async function runAgentBench(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const joins = options.quick ? 2 : 5;
  const changes = options.quick ? 10 : 30;
  progress('agent: starting dockerd and DynamoDB Local');
  const docker = await startTestDocker([IMAGE]);
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  const stateDir = await mkdtemp(join(tmpdir(), 'everynode-agent-bench-'));
  const plane = await startLocalControlPlane({
    port: 0,
    stateDir,
    dynamoEndpoint: dynamo.endpoint,
    tableName: 'agent-bench',
    agents: false,
    log: () => undefined,
  });
  const agents: Agent[] = [];
  try {
    const api = apiOf(plane);
    // A DaemonSet on every node, so a joining node has a pod at once.
    await api('PUT', '/v1/daemonsets', daemonSet('everywhere', {}));
    const joinMs: number[] = [];
    for (let index = 0; index < joins; index += 1) {
      progress(`agent: join ${index + 1}/${joins}`);
      const node = `join-${index}`;
      const agent = startAgent(node, plane, docker, stateDir, []);
      agents.push(agent);
      await waitFor(async () => (await running(docker, node, 'everywhere')) !== undefined, 30_000);
      joinMs.push(Date.now() - agent.startedAt);
    }
    for (const agent of agents.splice(0)) await stop(agent);

    const reaction: Record<string, number[]> = {};
    const rss: { pods: number; maxBytes: number }[] = [];
    /** The agent's largest resident memory over 5 s. */
    const sampleRss = async (agent: Agent, pods: number): Promise<void> => {
      let maxBytes = 0;
      for (let sample = 0; sample < 10; sample += 1) {
        maxBytes = Math.max(maxBytes, await rssOf(agent.process.pid ?? 0));
        await sleep(500);
      }
      rss.push({ pods, maxBytes });
    };
    // The default (the control plane pushes each change: a held request answered at once), then polling alone.
    const modes = [
      { label: 'push (default)', args: [] },
      { label: 'poll every 2s, no push', args: ['--push', 'off', '--poll-interval', '2s'] },
    ];
    for (const [modeIndex, mode] of modes.entries()) {
      const poll = mode.label;
      const node = `react-${modeIndex}`;
      await api('PUT', `/v1/nodes/${node}`, { apiVersion: 'v1', kind: 'Node', metadata: { labels: { bench: node } } });
      const agent = startAgent(node, plane, docker, stateDir, mode.args);
      agents.push(agent);
      await waitFor(async () => (await running(docker, node, 'everywhere')) !== undefined, 30_000);
      const delays: number[] = [];
      for (let change = 0; change < changes; change += 1) {
        progress(`agent: poll ${poll}, pod change ${change + 1}/${changes}`);
        // Changes come at random moments, so they fall anywhere in the agent's poll cycle.
        await sleep(200 + Math.random() * 1_500);
        const name = `r${modeIndex}-${change}`;
        await api('PUT', '/v1/daemonsets', daemonSet(name, { bench: node }));
        const created = await waitForValue(() => podCreatedOn(api, name), 30_000);
        const container = await waitForValue(() => running(docker, node, name), 30_000);
        const inspected = (await docker.docker.inspectContainer(container)) as unknown as { Created: string };
        delays.push(Date.parse(inspected.Created) - Date.parse(created));
        // The memory aim is for 10 pods: the `everywhere` pod and nine of these.
        if (rss.length === 0 && change === 8) {
          progress('agent: memory with 10 pods running');
          await sampleRss(agent, 10);
        }
      }
      reaction[poll] = delays;
      if (rss.length === 1) {
        progress(`agent: memory with ${changes + 1} pods running`);
        await sampleRss(agent, changes + 1);
      }
      await stop(agent);
      agents.splice(agents.indexOf(agent), 1);
    }
    const p99 = (values: readonly number[]) =>
      values.toSorted((a, b) => a - b)[Math.ceil(values.length * 0.99) - 1] ?? Number.NaN;
    const defaultP99 = p99(reaction[modes[0]?.label ?? ''] ?? []);
    return {
      name: 'agent',
      title: agentBenchmark.title,
      tables: [
        {
          title: `Join → first container running (agent process start → its node's DaemonSet pod's container running), ${joins} joins`,
          columns: ['median', 'max', 'each'],
          rows: [
            [formatSeconds(median(joinMs)), formatSeconds(Math.max(...joinMs)), joinMs.map(formatSeconds).join(', ')],
          ],
        },
        {
          title: `Pod change → its container created (pod creationTimestamp → Docker's Created), ${changes} new pods at random moments`,
          columns: ['how the agent learns', 'median', 'p99', 'max'],
          rows: Object.entries(reaction).map(([poll, delays]) => [
            poll,
            formatSeconds(median(delays)),
            formatSeconds(p99(delays)),
            formatSeconds(Math.max(...delays)),
          ]),
        },
        {
          title:
            'Agent resident memory (VmRSS, max of 10 samples over 5 s) with its pods running, each probed every 10 s',
          columns: ['pods', 'RSS'],
          rows: rss.map((sample) => [sample.pods, formatMb(sample.maxBytes)]),
        },
      ],
      aims: [
        {
          aim: `join → first container running ≤ ${formatSeconds(AIM.joinMs)} on a local image`,
          measured: `max ${formatSeconds(Math.max(...joinMs))}`,
          met: Math.max(...joinMs) <= AIM.joinMs,
        },
        {
          aim: `a pod change reaches its agent ≤ ${formatSeconds(AIM.reactionP99Ms)} p99 (default: pushed by the local control plane)`,
          measured: formatSeconds(defaultP99),
          met: defaultP99 <= AIM.reactionP99Ms,
        },
        {
          aim: `agent RSS ≤ ${formatMb(AIM.rssBytes)} with 10 pods`,
          measured: formatMb(rss[0]?.maxBytes ?? 0),
          met: (rss[0]?.maxBytes ?? Number.POSITIVE_INFINITY) <= AIM.rssBytes,
        },
      ],
      notes: [
        'The agent runs from dist/everynode-agent.mjs (the one-file bundle) against a dockerd of its own (vfs storage, no bridge).',
        'Reaction includes the agent noticing the pod (the push, or its poll), its read of its pods, the image check and Docker creating the container.',
      ],
      figures: { joinMs, reaction, rss },
    };
  } finally {
    for (const agent of agents) await stop(agent);
    await plane.stop();
    await dynamo.stop();
    await docker.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

function apiOf(plane: LocalControlPlane) {
  return async (method: string, path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`${plane.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${plane.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };
}

function daemonSet(name: string, nodeSelector: Record<string, string>): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector,
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'main',
              image: IMAGE,
              command: ['sh', '-c', 'touch /tmp/ready; trap "exit 0" TERM; while true; do sleep 1; done'],
              // Kubernetes' default probe period: each pod is probed (a Docker exec) every 10 s.
              readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  };
}

function startAgent(
  node: string,
  plane: LocalControlPlane,
  docker: TestDocker,
  stateDir: string,
  extra: readonly string[],
): Agent {
  const child = spawn(
    process.execPath,
    [
      AGENT,
      '--node-name',
      node,
      '--docker-socket',
      docker.socketPath,
      '--pod-network',
      'none',
      '--pod-infra-container-image',
      PAUSE_IMAGE,
      '--state-dir',
      join(stateDir, node),
      ...extra,
    ],
    { env: { ...process.env, EVERYNODE_STATE_DIR: plane.stateDir }, stdio: 'ignore' },
  );
  return { process: child, startedAt: Date.now() };
}

async function stop(agent: Agent): Promise<void> {
  if (agent.process.exitCode !== null) return;
  const exited = new Promise((resolve) => agent.process.once('exit', resolve));
  agent.process.kill('SIGTERM');
  await exited;
}

/** The id of the running container of the DaemonSet's pod on the node, if there is one. */
async function running(docker: TestDocker, node: string, daemonSetName: string): Promise<string | undefined> {
  const containers = await docker.docker.listContainers([
    `${LABELS.node}=${node}`,
    `${LABELS.daemonSet}=${daemonSetName}`,
  ]);
  // The pod's container, not its sandbox (which starts first).
  return containers.find((container) => container.State === 'running' && container.Labels[LABELS.sandbox] !== 'true')
    ?.Id;
}

async function podCreatedOn(api: ReturnType<typeof apiOf>, daemonSetName: string): Promise<string | undefined> {
  const list = (await api('GET', `/v1/pods?daemonSet=default/${daemonSetName}`)) as {
    items: { metadata: { creationTimestamp: string } }[];
  };
  return list.items[0]?.metadata.creationTimestamp;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  await waitForValue(async () => ((await check()) ? true : undefined), timeoutMs);
}

async function waitForValue<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(25);
  }
}
