import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../agent/container-labels.js';
import { PAUSE_IMAGE, startTestDocker, type TestDocker } from './docker-daemon.js';
import { eventually, startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

// End to end on a real Docker daemon: the local control plane without simulated agents, and two real
// agents for two node names on this one host, each run from the one-file bundle a host installs
// (dist/everynode-agent.mjs, built with the CLI).

const AGENT = fileURLToPath(new URL('../../dist/everynode-agent.mjs', import.meta.url));
const IMAGE_1 = 'everynode-test/busybox:1';
const IMAGE_2 = 'everynode-test/busybox:2';
const NODES = ['node-a', 'node-b'] as const;
const KEY = 'default/agent-demo';
/** The node grace period of the test's control plane (Kubernetes' is 50 s). */
const GRACE_MS = 3_000;

type PodJson = {
  metadata: { name: string; creationTimestamp: string; labels: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: {
    phase: string;
    reason?: string;
    message?: string;
    restartCount?: number;
    conditions: { type: string; status: string; lastTransitionTime?: string }[];
  };
};

/** A container that becomes ready a second after it starts (its readiness probe looks for the file). */
const READY_AFTER_A_SECOND = 'sleep 1; touch /tmp/ready; trap "exit 0" TERM; while true; do sleep 1; done';

function daemonSet(options: {
  image: string;
  command?: string;
  readiness?: readonly string[];
  grace?: number;
}): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent-demo', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent-demo' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'agent-demo' } },
        spec: {
          terminationGracePeriodSeconds: options.grace ?? 1,
          containers: [
            {
              name: 'main',
              image: options.image,
              command: ['sh', '-c', options.command ?? READY_AFTER_A_SECOND],
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'GREETING', value: 'hello $(NODE_NAME)' },
              ],
              resources: { limits: { memory: '32Mi', cpu: '250m' } },
              ...(options.readiness === undefined
                ? {}
                : { readinessProbe: { exec: { command: options.readiness }, periodSeconds: 1 } }),
            },
          ],
        },
      },
    },
  };
}

describe('everynode agent on a real Docker daemon', () => {
  let docker: TestDocker;
  let plane: TestControlPlane;
  const agents = new Map<string, { process: ChildProcess; output: string[] }>();
  const agentState = mkdtempSync(join(tmpdir(), 'everynode-agent-'));

  const api = async (method: string, path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`${plane.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${plane.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };
  const pods = async (): Promise<PodJson[]> =>
    ((await api('GET', `/v1/pods?daemonSet=${encodeURIComponent(KEY)}`)) as { items: PodJson[] }).items;
  const isReady = (pod: PodJson): boolean =>
    pod.status.conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
  const readySince = (pod: PodJson): string | undefined =>
    pod.status.conditions.find((condition) => condition.type === 'Ready')?.lastTransitionTime;
  /** The running containers on the node, with the pod sandboxes (pause containers) or without. */
  const runningOn = async (node: string) =>
    (await docker.docker.listContainers([`${LABELS.node}=${node}`])).filter(
      (container) => container.State === 'running',
    );
  const containersOf = async (node: string) =>
    (await runningOn(node)).filter((container) => container.Labels[LABELS.sandbox] !== 'true');
  /** Resolves once every node runs one ready pod of the given image, and returns those pods. */
  const settledOn = (image: string, timeoutMs = 30_000) =>
    eventually(
      `a ready ${image} pod on each node`,
      async () => {
        const current = (await pods()).filter((pod) => pod.metadata.deletionTimestamp === undefined);
        const running = await Promise.all(NODES.map(containersOf));
        const images = running.flat().map((container) => container.Image);
        const done =
          current.length === NODES.length &&
          current.every(isReady) &&
          running.every((containers) => containers.length === 1) &&
          images.every((name) => name === image);
        return done ? current : undefined;
      },
      timeoutMs,
    );

  const startAgent = (node: string): void => {
    const output: string[] = [];
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
        join(agentState, node),
        '--poll-interval',
        '500ms',
        '--heartbeat-interval',
        '1s',
      ],
      {
        env: { ...process.env, EVERYNODE_STATE_DIR: plane.stateDir, EVERYNODE_AGENT_BACKOFF_MS: '1000,4000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    agents.set(node, { process: child, output });
  };
  const stopAgent = async (node: string, signal: NodeJS.Signals): Promise<void> => {
    const agent = agents.get(node);
    if (agent === undefined || agent.process.exitCode !== null) return;
    const exited = new Promise((resolve) => agent.process.once('exit', resolve));
    agent.process.kill(signal);
    await exited;
  };

  beforeAll(async () => {
    docker = await startTestDocker([IMAGE_1, IMAGE_2]);
    plane = await startTestControlPlane({ agents: false, demo: false, nodeGracePeriodMs: GRACE_MS });
  }, 120_000);

  afterEach((context) => {
    // A failure shows what the agents said (they log every container they start and stop).
    if (context.task.result?.state !== 'fail') return;
    for (const [node, agent] of agents) process.stderr.write(`--- agent ${node}\n${agent.output.join('')}\n`);
  });

  afterAll(async () => {
    for (const node of agents.keys()) await stopAgent(node, 'SIGKILL');
    await plane?.stop();
    await docker?.stop();
  }, 60_000);

  it('registers each node with what it finds on the host, and runs one container per node', async () => {
    const joinedAt = Date.now();
    for (const node of NODES) startAgent(node);
    const nodes = await eventually('both nodes registered', async () => {
      const list = (await api('GET', '/v1/nodes')) as {
        items: { metadata: { name: string; labels: Record<string, string> } }[];
      };
      return list.items.length === NODES.length ? list.items : undefined;
    });
    for (const node of nodes) {
      expect(node.metadata.labels).toMatchObject({
        'kubernetes.io/hostname': node.metadata.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': expect.stringMatching(/^(amd64|arm64)$/),
      });
    }
    await api('PUT', '/v1/daemonsets', daemonSet({ image: IMAGE_1, readiness: ['cat', '/tmp/ready'] }));
    const settled = await settledOn(IMAGE_1);
    expect(settled.map((pod) => pod.spec.nodeName).toSorted()).toEqual([...NODES]);
    // The container got its environment from the pod, fieldRefs resolved, and its limits.
    const [container] = await containersOf('node-a');
    const inspected = (await docker.docker.inspectContainer(container?.Id ?? '')) as unknown as {
      Config: { Env: string[] };
      HostConfig: { Memory: number; NanoCpus: number };
    };
    const pod = settled.find((candidate) => candidate.spec.nodeName === 'node-a');
    expect(inspected.Config.Env).toEqual(
      expect.arrayContaining(['NODE_NAME=node-a', `POD_NAME=${pod?.metadata.name}`, 'GREETING=hello node-a']),
    );
    expect(inspected.HostConfig).toMatchObject({ Memory: 32 * 1024 * 1024, NanoCpus: 250_000_000 });
    expect(Date.now() - joinedAt).toBeLessThan(30_000);
  });

  it('replaces the containers on an image change one node at a time, each wave gated by readiness', async () => {
    const before = await pods();
    const samples: PodJson[][] = [];
    await api('PUT', '/v1/daemonsets', daemonSet({ image: IMAGE_2, readiness: ['cat', '/tmp/ready'] }));
    const started = Date.now();
    const settled = await eventually('the rollout to image 2', async () => {
      samples.push(await pods());
      const done = await settledOn(IMAGE_2, 1).catch(() => undefined);
      return done;
    });
    const elapsed = Date.now() - started;
    expect(settled.every((pod) => !before.some((old) => old.metadata.name === pod.metadata.name))).toBe(true);
    // maxUnavailable 1: at every moment at least one of the two nodes had a ready pod.
    for (const sample of samples) expect(sample.filter(isReady).length).toBeGreaterThanOrEqual(1);
    // The second wave began only after the first new pod was ready.
    const [first, second] = settled.toSorted((a, b) =>
      a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp),
    );
    expect(Date.parse(second?.metadata.creationTimestamp ?? '')).toBeGreaterThanOrEqual(
      Date.parse(readySince(first as PodJson) ?? '') - 1000,
    );
    expect(elapsed).toBeLessThan(30_000);
  });

  it('holds the rollout while the new pod fails its readiness probe', async () => {
    await api('PUT', '/v1/daemonsets', daemonSet({ image: IMAGE_1, readiness: ['cat', '/never-there'] }));
    await eventually('the new pod running, not ready', async () =>
      (await pods()).some((pod) => pod.status.phase === 'Running' && !isReady(pod)) ? true : undefined,
    );
    // And it stays so: the rollout waits for it.
    await sleep(2_000);
    const current = (await pods()).filter((pod) => pod.metadata.deletionTimestamp === undefined);
    const running = current.filter((pod) => pod.status.phase === 'Running');
    const [oldRevision] = [...new Set((await pods()).map((pod) => pod.metadata.labels['controller-revision-hash']))];
    expect(oldRevision).toBeDefined();
    // One node runs the new revision, never ready; the other still runs the old one, ready.
    const notReady = running.filter((pod) => !isReady(pod));
    const ready = running.filter(isReady);
    expect(notReady).toHaveLength(1);
    expect(ready).toHaveLength(1);
    expect(notReady[0]?.metadata.labels['controller-revision-hash']).not.toBe(
      ready[0]?.metadata.labels['controller-revision-hash'],
    );
    const images = (await Promise.all(NODES.map(containersOf))).flat().map((container) => container.Image);
    expect(images.toSorted()).toEqual([IMAGE_1, IMAGE_2]);
  });

  it('backs off a crash-looping container and reports its restarts', async () => {
    await api('PUT', '/v1/daemonsets', daemonSet({ image: IMAGE_1, command: 'echo crashing; exit 3' }));
    const crashing = await eventually(
      'a pod reporting two restarts',
      async () =>
        (await pods()).find((pod) => (pod.status.restartCount ?? 0) >= 2 && pod.status.reason === 'CrashLoopBackOff'),
      30_000,
    );
    expect(crashing.status.phase).toBe('Running');
    expect(isReady(crashing)).toBe(false);
    expect(crashing.status.message).toMatch(/back-off \d+s restarting failed container=main .*exit code 3/);
    // Back-off doubles (1 s, 2 s, 4 s here): no more than a handful of restarts in a few seconds.
    await sleep(3_000);
    const later = (await pods()).find((pod) => pod.metadata.name === crashing.metadata.name);
    expect(later?.status.restartCount ?? 0).toBeLessThanOrEqual((crashing.status.restartCount ?? 0) + 2);
    // One container per pod is kept (with its sandbox): each restart replaces the exited one.
    const node = crashing.spec.nodeName ?? '';
    const all = await docker.docker.listContainers([
      `${LABELS.node}=${node}`,
      `${LABELS.pod}=${crashing.metadata.name}`,
    ]);
    expect(all.map((container) => container.Labels[LABELS.container]).toSorted()).toEqual(['POD', 'main']);
  });

  it('adopts its containers after being killed with SIGKILL and restarted: no duplicates', async () => {
    await api('PUT', '/v1/daemonsets', daemonSet({ image: IMAGE_2, readiness: ['cat', '/tmp/ready'] }));
    await settledOn(IMAGE_2);
    const before = (await runningOn('node-a')).map((container) => container.Id).toSorted();
    // The pod's container and its sandbox.
    expect(before).toHaveLength(2);
    await stopAgent('node-a', 'SIGKILL');
    startAgent('node-a');
    await eventually('the restarted agent to register', async () =>
      agents.get('node-a')?.output.join('').includes('node updated') ? true : undefined,
    );
    await sleep(2_000);
    const after = (await runningOn('node-a')).map((container) => container.Id).toSorted();
    expect(after).toEqual(before);
    const settled = await settledOn(IMAGE_2);
    expect(settled.every(isReady)).toBe(true);
  });

  it('stops every container after its grace period when the DaemonSet is deleted', async () => {
    // A container that ignores SIGTERM: only SIGKILL, after the 2 s grace period, stops it.
    await api(
      'PUT',
      '/v1/daemonsets',
      daemonSet({ image: IMAGE_1, command: 'trap "" TERM; while true; do sleep 1; done', grace: 2 }),
    );
    await settledOn(IMAGE_1);
    const deletedAt = Date.now();
    await api('DELETE', '/v1/daemonsets/default/agent-demo');
    await eventually('no container and no pod left', async () => {
      const left = (
        await Promise.all(NODES.map((node) => docker.docker.listContainers([`${LABELS.node}=${node}`])))
      ).flat();
      return left.length === 0 && (await pods()).length === 0 ? true : undefined;
    });
    expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(2_000);
  });

  it('runs init containers, emptyDir, hostNetwork, httpGet/tcpSocket/exec probes, a pod sandbox; refuses a ConfigMap volume', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const web = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            hostNetwork: true,
            nodeSelector: { 'kubernetes.io/hostname': 'node-a' },
            terminationGracePeriodSeconds: 1,
            volumes: [{ name: 'www', emptyDir: {} }],
            initContainers: [
              {
                name: 'content',
                image: IMAGE_1,
                command: ['sh', '-c', 'echo "written by init on $(NODE)" > /www/index.html'],
                env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
                volumeMounts: [{ name: 'www', mountPath: '/www' }],
              },
            ],
            containers: [
              {
                name: 'web',
                image: IMAGE_1,
                command: ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www'],
                ports: [{ name: 'http', containerPort: port }],
                volumeMounts: [{ name: 'www', mountPath: '/www', readOnly: true }],
                readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
                livenessProbe: { tcpSocket: { port }, periodSeconds: 1 },
              },
              {
                // Healthy for two seconds after each start, then its liveness probe fails: it is restarted.
                name: 'flaky',
                image: IMAGE_1,
                command: [
                  'sh',
                  '-c',
                  'touch /tmp/alive; sleep 2; rm /tmp/alive; trap "exit 0" TERM; while true; do sleep 1; done',
                ],
                livenessProbe: { exec: { command: ['cat', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 1 },
              },
            ],
          },
        },
      },
    };
    const configMapped = {
      ...daemonSet({ image: IMAGE_1 }),
      metadata: { name: 'configured', namespace: 'default' },
    } as unknown as { spec: { selector: object; template: { metadata: object; spec: Record<string, unknown> } } };
    configMapped.spec.selector = { matchLabels: { app: 'configured' } };
    configMapped.spec.template.metadata = { labels: { app: 'configured' } };
    configMapped.spec.template.spec['volumes'] = [{ name: 'config', configMap: { name: 'settings' } }];
    await api('PUT', '/v1/daemonsets', web);
    await api('PUT', '/v1/daemonsets', configMapped);
    // Two containers of one pod without hostNetwork: the client reaches the server on localhost, through the network
    // namespace of the pod's sandbox (the pods' network is "none": nothing else could connect them).
    const pair = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'pair', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'pair' } },
        template: {
          metadata: { labels: { app: 'pair' } },
          spec: {
            nodeSelector: { 'kubernetes.io/hostname': 'node-a' },
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'server',
                image: IMAGE_1,
                command: [
                  'sh',
                  '-c',
                  'mkdir -p /www; echo "from the server" > /www/index.html; httpd -f -p 127.0.0.1:8080 -h /www',
                ],
              },
              {
                name: 'client',
                image: IMAGE_1,
                command: [
                  'sh',
                  '-c',
                  'until wget -q -O /tmp/page http://127.0.0.1:8080/index.html; do sleep 0.2; done; trap "exit 0" TERM; while true; do sleep 1; done',
                ],
                readinessProbe: { exec: { command: ['cat', '/tmp/page'] }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    };
    await api('PUT', '/v1/daemonsets', pair);
    const podsOf = async (name: string) =>
      ((await api('GET', `/v1/pods?daemonSet=default/${name}`)) as { items: PodJson[] }).items;

    const served = await eventually('the page the init container wrote, served on the host network', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/index.html`).catch(() => undefined);
      return response?.ok ? await response.text() : undefined;
    });
    expect(served.trim()).toBe('written by init on node-a');
    await eventually('the web pod ready', async () => ((await podsOf('web')).some(isReady) ? true : undefined));
    const restarted = await eventually(
      'the flaky container restarted by its liveness probe',
      async () => (await podsOf('web')).find((pod) => (pod.status.restartCount ?? 0) >= 1),
      20_000,
    );
    expect(restarted.spec.nodeName).toBe('node-a');
    const refused = await eventually('the ConfigMap pod failed with a reason', async () =>
      (await podsOf('configured')).find((pod) => pod.status.reason === 'UnsupportedVolume'),
    );
    expect(refused.status.message).toContain('spec.volumes[0].configMap: Unsupported value');
    expect(await docker.docker.listContainers([`${LABELS.pod}=${refused.metadata.name}`])).toEqual([]);
    const paired = await eventually('the client reaching the server over localhost', async () =>
      (await podsOf('pair')).find(isReady),
    );
    const inPod = await docker.docker.listContainers([`${LABELS.pod}=${paired.metadata.name}`]);
    const sandbox = inPod.find((container) => container.Labels[LABELS.sandbox] === 'true');
    expect(sandbox?.Image).toBe(PAUSE_IMAGE);
    for (const name of ['server', 'client']) {
      const id = inPod.find((container) => container.Labels[LABELS.container] === name)?.Id ?? '';
      const inspected = (await docker.docker.inspectContainer(id)) as unknown as {
        HostConfig: { NetworkMode: string };
      };
      expect(inspected.HostConfig.NetworkMode).toBe(`container:${sandbox?.Id}`);
    }

    await api('DELETE', '/v1/daemonsets/default/web');
    await api('DELETE', '/v1/daemonsets/default/configured');
    await api('DELETE', '/v1/daemonsets/default/pair');
    await eventually('the web containers gone', async () => {
      const left = await docker.docker.listContainers([`${LABELS.node}=node-a`]);
      return left.length === 0 ? true : undefined;
    });
  });

  it("turns a stopped agent's node NotReady and unreachable after the grace period, and Ready when it is back", async () => {
    type NodeJson = {
      spec: { taints?: { key: string; effect: string }[] };
      status: { conditions?: { type: string; status: string; reason?: string }[] };
    };
    const node = async (): Promise<NodeJson> => (await api('GET', '/v1/nodes/node-b')) as NodeJson;
    const ready = (found: NodeJson) => found.status.conditions?.find((condition) => condition.type === 'Ready');
    const unreachable = (found: NodeJson) =>
      (found.spec.taints ?? []).some(
        (taint) => taint.key === 'node.kubernetes.io/unreachable' && taint.effect === 'NoExecute',
      );
    expect(ready(await node())?.status).toBe('True');
    const stoppedAt = Date.now();
    await stopAgent('node-b', 'SIGTERM');
    const lost = await eventually('node-b NotReady', async () => {
      const found = await node();
      return ready(found)?.status === 'Unknown' && unreachable(found) ? found : undefined;
    });
    // The grace period runs from the last heartbeat, at most one heartbeat interval (1 s) before the stop.
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(GRACE_MS - 1_000);
    expect(ready(lost)?.reason).toBe('NodeStatusUnknown');
    // node-a kept sending heartbeats: it stays Ready.
    const other = (await api('GET', '/v1/nodes/node-a')) as NodeJson;
    expect(ready(other)?.status).toBe('True');
    startAgent('node-b');
    await eventually('node-b Ready again', async () => {
      const found = await node();
      return ready(found)?.status === 'True' && !unreachable(found) ? true : undefined;
    });
  });
});
