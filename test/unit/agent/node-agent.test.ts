import { describe, expect, it } from 'vitest';
import type { AgentPod } from '../../../agent/agent-pod.js';
import { LABELS } from '../../../agent/container-labels.js';
import type { DockerApi } from '../../../agent/docker-api.js';
import { type AgentPodReport, NodeAgent } from '../../../agent/node-agent.js';
import type { JsonObject } from '../../../lib/model/daemon-set.js';
import { FakeDocker } from '../../fixtures/agent/fake-docker.js';

// The agent's control loop against a Docker stand-in that keeps containers in memory: what it creates, starts,
// restarts, adopts, stops and reports. The real Engine API is exercised by test/e2e/agent-docker.e2e.test.ts.

function aPod(spec: JsonObject, overrides: Partial<AgentPod> = {}): AgentPod {
  return {
    name: 'agent-x1',
    namespace: 'default',
    daemonSet: 'agent',
    revisionHash: 'abc123',
    spec: { containers: [{ name: 'main', image: 'busybox:1' }], ...spec },
    stored: { phase: 'Pending', ready: false },
    ...overrides,
  };
}

function anAgent(pods: { current: AgentPod[] }, docker: FakeDocker, clock: { now: number }) {
  const reports: AgentPodReport[] = [];
  const agent = new NodeAgent({
    nodeName: 'worker-1',
    api: {
      listPods: async () => pods.current,
      report: async (report) => {
        reports.push(report);
      },
    },
    docker: docker as unknown as DockerApi,
    host: { nodeName: 'worker-1', hostIP: '10.0.0.1', podNetwork: 'none', emptyDirRoot: '/tmp/everynode-unit-pods' },
    pollIntervalMs: 0,
    now: () => clock.now,
  });
  const sync = async (): Promise<void> => {
    await agent.syncOnce();
    await agent.idle();
  };
  return { agent, reports, sync };
}

describe('NodeAgent', () => {
  it('runs init containers to completion, in order, before the app container, and reports the pod ready', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const pods = {
      current: [
        aPod({
          initContainers: [
            { name: 'first', image: 'busybox:1' },
            { name: 'second', image: 'busybox:1' },
          ],
        }),
      ],
    };
    const { reports, sync } = anAgent(pods, docker, clock);

    await sync();
    expect(docker.of('agent-x1', 'first')).toHaveLength(1);
    expect(docker.of('agent-x1', 'second')).toHaveLength(0);
    expect(reports.at(-1)).toMatchObject({
      phase: 'Pending',
      ready: false,
      reason: 'PodInitializing',
      message: 'Init:0/2',
    });

    docker.exit(docker.of('agent-x1', 'first')[0]?.id ?? '', 0);
    await sync();
    expect(docker.of('agent-x1', 'second')).toHaveLength(1);
    expect(docker.of('agent-x1', 'main')).toHaveLength(0);

    docker.exit(docker.of('agent-x1', 'second')[0]?.id ?? '', 0);
    await sync();
    await sync();
    expect(docker.of('agent-x1', 'main').map((container) => container.running)).toEqual([true]);
    expect(reports.at(-1)).toMatchObject({ phase: 'Running', ready: true, restartCount: 0 });
    expect(reports.at(-1)?.reason).toBeUndefined();
  });

  it('restarts a crashed container after the back-off, counting restarts and keeping one container', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const { reports, sync } = anAgent({ current: [aPod({})] }, docker, clock);
    await sync();
    const [first] = docker.of('agent-x1', 'main');
    docker.exit(first?.id ?? '', 3);

    clock.now += 5_000;
    await sync();
    expect(docker.of('agent-x1', 'main').map((container) => container.id)).toEqual([first?.id]);
    expect(reports.at(-1)).toMatchObject({
      phase: 'Running',
      ready: false,
      reason: 'CrashLoopBackOff',
      restartCount: 0,
    });
    expect(reports.at(-1)?.message).toMatch(
      /^back-off 10s restarting failed container=main pod=agent-x1 \(exit code 3\)$/,
    );

    clock.now += 5_001;
    await sync();
    const restarted = docker.of('agent-x1', 'main');
    expect(restarted).toHaveLength(1);
    expect(restarted[0]?.labels[LABELS.restartCount]).toBe('1');
    expect(restarted[0]?.running).toBe(true);

    // The second crash waits twice as long.
    docker.exit(restarted[0]?.id ?? '', 3);
    clock.now += 15_000;
    await sync();
    expect(reports.at(-1)).toMatchObject({ reason: 'CrashLoopBackOff', restartCount: 1 });
    clock.now += 5_001;
    await sync();
    expect(docker.of('agent-x1', 'main')[0]?.labels[LABELS.restartCount]).toBe('2');
  });

  it('adopts the containers a previous agent left running: no duplicates, no restarts', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const pods = { current: [aPod({})] };
    await anAgent(pods, docker, clock).sync();
    const before = [...docker.containers.keys()];

    const restarted = anAgent(pods, docker, clock);
    await restarted.sync();
    await restarted.sync();

    expect([...docker.containers.keys()]).toEqual(before);
    // The pod's sandbox and its one container, both adopted.
    expect(docker.created).toBe(2);
    expect(docker.of('agent-x1', 'POD')).toHaveLength(1);
    expect(restarted.reports.at(-1)).toMatchObject({ phase: 'Running', ready: true, restartCount: 0 });
  });

  it('runs a pod without hostNetwork in a sandbox: its containers share its network, it publishes their ports', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const configs = new Map<string, JsonObject>();
    const create = docker.createContainer.bind(docker);
    docker.createContainer = async (name, config) => {
      const id = await create(name, config);
      configs.set(id, config);
      return id;
    };
    const spec = {
      containers: [
        { name: 'web', image: 'busybox:1', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'sidecar', image: 'busybox:1' },
      ],
    };
    const pods = { current: [aPod(spec)] };
    const { sync } = anAgent(pods, docker, clock);
    await sync();

    const [sandbox] = docker.of('agent-x1', 'POD');
    const sandboxConfig = configs.get(sandbox?.id ?? '') ?? {};
    expect(sandboxConfig).toMatchObject({
      Image: 'registry.k8s.io/pause:3.10',
      Hostname: 'agent-x1',
      Labels: { [LABELS.sandbox]: 'true', [LABELS.pod]: 'agent-x1' },
      HostConfig: { NetworkMode: 'none', PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } },
    });
    for (const name of ['web', 'sidecar']) {
      const config = configs.get(docker.of('agent-x1', name)[0]?.id ?? '') ?? {};
      expect((config['HostConfig'] as JsonObject)['NetworkMode']).toBe(`container:${sandbox?.id}`);
      expect(config['Hostname']).toBeUndefined();
      expect((config['HostConfig'] as JsonObject)['PortBindings']).toBeUndefined();
    }

    // The sandbox dies: the pod's containers lost their network; all are replaced, in a new sandbox.
    docker.exit(sandbox?.id ?? '', 137);
    await sync();
    await sync();
    const [renewed] = docker.of('agent-x1', 'POD');
    expect(renewed?.running).toBe(true);
    expect(renewed?.id).not.toBe(sandbox?.id);
    for (const name of ['web', 'sidecar']) {
      const [container] = docker.of('agent-x1', name);
      expect(container?.running).toBe(true);
      const config = configs.get(container?.id ?? '') ?? {};
      expect((config['HostConfig'] as JsonObject)['NetworkMode']).toBe(`container:${renewed?.id}`);
    }

    // A hostNetwork pod has none.
    pods.current = [aPod({ hostNetwork: true }, { name: 'host-x1' })];
    await sync();
    await sync();
    expect(docker.of('host-x1', 'POD')).toEqual([]);
    expect(docker.of('host-x1', 'main')).toHaveLength(1);
  });

  it('reports a sandbox that cannot start, and starts the pod afresh in a new one on the next sync', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const start = docker.startContainer.bind(docker);
    let failSandbox = true;
    docker.startContainer = async (id) => {
      if (failSandbox && docker.containers.get(id)?.labels[LABELS.sandbox] === 'true') {
        throw new Error('failed to create network namespace');
      }
      await start(id);
    };
    const pods = { current: [aPod({})] };
    const { reports, sync } = anAgent(pods, docker, clock);

    await sync();
    expect(reports.at(-1)).toMatchObject({ phase: 'Pending', ready: false, reason: 'FailedCreatePodSandBox' });
    expect(reports.at(-1)?.message).toContain('failed to create network namespace');
    expect(docker.of('agent-x1', 'main').every((container) => !container.running)).toBe(true);

    failSandbox = false;
    await sync();
    await sync();
    const [sandbox] = docker.of('agent-x1', 'POD');
    expect(sandbox?.running).toBe(true);
    expect(docker.of('agent-x1', 'main').map((container) => container.running)).toEqual([true]);
    expect(reports.at(-1)).toMatchObject({ phase: 'Running', ready: true });
  });

  it('stops a terminating pod with its grace period, removes it, and reports it gone', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const pods = { current: [aPod({ terminationGracePeriodSeconds: 7 })] };
    const { reports, sync } = anAgent(pods, docker, clock);
    await sync();
    const [container] = docker.of('agent-x1', 'main');

    pods.current = [aPod({ terminationGracePeriodSeconds: 7 }, { deletionTimestamp: '2026-12-03T10:00:01Z' })];
    const stops: number[] = [];
    const stop = docker.stopContainer.bind(docker);
    docker.stopContainer = async (id, grace) => {
      stops.push(grace);
      await stop(id, grace);
    };
    await sync();

    // The container with the pod's grace period, then its sandbox at once.
    expect(stops).toEqual([7, 0]);
    expect(docker.containers.has(container?.id ?? '')).toBe(false);
    expect(reports.at(-1)).toMatchObject({ podName: 'agent-x1', phase: 'Succeeded', gone: true });
  });

  it("removes containers of pods the control plane no longer lists, and leaves other nodes' containers alone", async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const pods = { current: [aPod({})] };
    const { sync } = anAgent(pods, docker, clock);
    await sync();
    const otherNode = await docker.createContainer('other', {
      Image: 'busybox:1',
      Labels: { [LABELS.node]: 'worker-2', [LABELS.pod]: 'agent-x2', [LABELS.namespace]: 'default' },
    });

    pods.current = [];
    await sync();

    expect([...docker.containers.keys()]).toEqual([otherNode]);
  });

  it('keeps running what it runs while the control plane is unreachable, and carries on when it is back', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const pods = { current: [aPod({})] };
    let reachable = true;
    const reports: AgentPodReport[] = [];
    const agent = new NodeAgent({
      nodeName: 'worker-1',
      api: {
        listPods: async () => {
          if (!reachable) throw new Error('connect ECONNREFUSED');
          return pods.current;
        },
        report: async (report) => {
          if (!reachable) throw new Error('connect ECONNREFUSED');
          reports.push(report);
        },
      },
      docker: docker as unknown as DockerApi,
      host: { nodeName: 'worker-1', hostIP: '10.0.0.1', podNetwork: 'none', emptyDirRoot: '/tmp/everynode-unit-pods' },
      pollIntervalMs: 0,
      now: () => clock.now,
    });
    const sync = async () => {
      await agent.syncOnce();
      await agent.idle();
    };
    await sync();
    const running = [...docker.containers.keys()];

    reachable = false;
    for (let round = 0; round < 3; round += 1) {
      clock.now += 60_000;
      await sync();
    }
    expect([...docker.containers.keys()]).toEqual(running);
    expect(docker.of('agent-x1', 'main')[0]?.running).toBe(true);

    reachable = true;
    pods.current = [];
    clock.now += 60_000;
    await sync();
    expect(docker.containers.size).toBe(0);
  });

  it('fails a pod it cannot run with the reason, and starts nothing', async () => {
    const clock = { now: Date.parse('2026-12-03T10:00:00Z') };
    const docker = new FakeDocker(() => clock.now);
    const pods = { current: [aPod({ volumes: [{ name: 'token', secret: { secretName: 'x' } }] })] };
    const { reports, sync } = anAgent(pods, docker, clock);
    await sync();
    expect(docker.containers.size).toBe(0);
    expect(reports).toEqual([expect.objectContaining({ phase: 'Failed', ready: false, reason: 'UnsupportedVolume' })]);
  });
});
