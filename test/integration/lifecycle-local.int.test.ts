import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/start-local-control-plane.js';
import { runEverynode } from '../cli/run-everynode.js';

type NodeObject = {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { taints?: { key: string }[]; unschedulable?: boolean };
  status: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
};
type PodObject = { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } };
type LifecycleCall = {
  call: string;
  result?: string;
  lifecycleActionToken: string;
  instanceId: string;
  outcome: string;
};

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const daemonSet = (namespace: string, name: string, annotations: Record<string, string>, minReadySeconds = 0) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace, annotations },
  spec: {
    selector: { matchLabels: { app: name } },
    minReadySeconds,
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image: `registry.example/${name}:1` }] },
    },
  },
});

describe('node lifecycle in the local control plane', () => {
  let plane: LocalControlPlane;
  let stateDir: string;
  const api = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${plane.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${plane.token}`, 'content-type': 'application/json', ...init.headers },
    });
  const items = async <T>(path: string): Promise<T[]> => ((await (await api(path)).json()) as { items: T[] }).items;
  const node = async (name: string): Promise<NodeObject | undefined> => {
    const reply = await api(`/v1/nodes/${name}`);
    return reply.status === 200 ? ((await reply.json()) as NodeObject) : undefined;
  };
  const lifecycle = async () =>
    (await (await api('/local/lifecycle-actions')).json()) as { completions: LifecycleCall[]; calls: LifecycleCall[] };
  const node9 = async () => node('worker-9');
  const podNames = async (name: string) =>
    (await items<PodObject>(`/v1/nodes/${name}/pods`)).map((pod) => pod.metadata.name);

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'everynode-lifecycle-'));
    plane = await startLocalControlPlane({
      port: 0,
      stateDir,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `lifecycle-${randomUUID()}`,
      agentReadyDelayMs: 300,
      log: () => {},
    });
    for (const manifest of [
      daemonSet('kube-system', 'cni', { 'everynode.io/startup-critical': 'true' }, 1),
      daemonSet('default', 'logs', {}),
    ]) {
      expect((await api('/v1/daemonsets', { method: 'PUT', body: JSON.stringify(manifest) })).status).toBe(202);
    }
    await eventually(async () => ((await items('/v1/daemonsets')).length === 2 ? true : undefined));
  });

  afterAll(async () => {
    await plane?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('gates a launched node until its CNI pod is available, then starts the rest and completes the hook once', async () => {
    const started = await api('/local/lifecycle-actions', {
      method: 'POST',
      body: JSON.stringify({ transition: 'launch', instanceId: 'i-0aaaaaaaaaaaaaaa1' }),
    });
    const { lifecycleActionToken } = (await started.json()) as { lifecycleActionToken: string };

    const gated = await eventually(async () => {
      const joined = await node('i-0aaaaaaaaaaaaaaa1');
      return joined?.spec.taints?.some((taint) => taint.key === 'everynode.io/startup') ? joined : undefined;
    });
    const beforeOpen = await podNames('i-0aaaaaaaaaaaaaaa1');
    const opened = await eventually(async () => {
      const current = await node('i-0aaaaaaaaaaaaaaa1');
      const condition = current?.status.conditions?.find((each) => each.type === 'everynode.io/StartupComplete');
      return condition?.status === 'True' ? { current, condition } : undefined;
    });
    const afterOpen = await eventually(async () => {
      const names = await podNames('i-0aaaaaaaaaaaaaaa1');
      return names.length === 2 ? names : undefined;
    });
    const { completions } = await eventually(async () => {
      const recorded = await lifecycle();
      return recorded.completions.length === 1 ? recorded : undefined;
    });

    expect(started.status).toBe(200);
    expect(gated.metadata.annotations?.['everynode.io/lifecycle-action']).toContain(lifecycleActionToken);
    expect(beforeOpen.every((name) => name.startsWith('cni-'))).toBe(true);
    expect(opened.current?.spec.taints ?? []).toEqual([]);
    expect(opened.condition.message).toMatch(/^1 startup-critical DaemonSet available after \d+\.\d s$/);
    expect(afterOpen.toSorted().map((name) => name.split('-')[0])).toEqual(['cni', 'logs']);
    expect(completions).toEqual([
      expect.objectContaining({
        call: 'CompleteLifecycleAction',
        result: 'CONTINUE',
        lifecycleActionToken,
        instanceId: 'i-0aaaaaaaaaaaaaaa1',
      }),
    ]);
  });

  it('tells the gate opening as an event about the node: the API, the Kubernetes API, get events, describe node', async () => {
    type EventObject = {
      metadata: { namespace: string };
      involvedObject: { kind: string; name: string };
      type: string;
      reason: string;
      message: string;
    };
    const cli = (...args: string[]) => runEverynode(args, { env: { EVERYNODE_STATE_DIR: stateDir } });

    const ofNode = await items<EventObject>('/v1/events?node=i-0aaaaaaaaaaaaaaa1');
    const kube = await items<EventObject>('/api/v1/events');
    // As kubectl describe node asks for them (a node's uid is its name in its events).
    const selected = await items<EventObject>(
      `/api/v1/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Node,involvedObject.name=i-0aaaaaaaaaaaaaaa1,involvedObject.uid=i-0aaaaaaaaaaaaaaa1,involvedObject.namespace=')}`,
    );
    const listed = await cli('get', 'events', '-A');
    const described = await cli('describe', 'node', 'i-0aaaaaaaaaaaaaaa1');

    const opened = {
      metadata: expect.objectContaining({ namespace: 'default' }),
      involvedObject: expect.objectContaining({ kind: 'Node', name: 'i-0aaaaaaaaaaaaaaa1' }),
      type: 'Normal',
      reason: 'StartupGateOpened',
      message: expect.stringMatching(/^1 startup-critical DaemonSet available after \d+\.\d s$/),
    };
    expect(ofNode).toEqual([expect.objectContaining(opened)]);
    expect(kube).toContainEqual(expect.objectContaining(opened));
    expect(selected).toEqual([expect.objectContaining(opened)]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^default +\S+ +Normal +StartupGateOpened +node\/i-0aaaaaaaaaaaaaaa1 +1 startup-critical DaemonSet available/m,
    );
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(
      /^Events:\n +TYPE +REASON +AGE +MESSAGE\n +Normal +StartupGateOpened +\S+ +1 startup/m,
    );
  });

  it('serves the critical pod with the startup toleration after the Kubernetes defaults, to agents and kubectl', async () => {
    type Toleration = { key: string; operator: string; effect: string };
    type SpecPod = { metadata: { name: string; namespace: string }; spec: { tolerations: Toleration[] } };
    const exists = (key: string, effect: string) => ({ key, operator: 'Exists', effect });
    const defaults = [
      exists('node.kubernetes.io/not-ready', 'NoExecute'),
      exists('node.kubernetes.io/unreachable', 'NoExecute'),
      exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
      exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
      exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
      exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ];

    const pods = await items<SpecPod>('/v1/nodes/i-0aaaaaaaaaaaaaaa1/pods');
    const cni = pods.find((pod) => pod.metadata.name.startsWith('cni-'));
    const logs = pods.find((pod) => pod.metadata.name.startsWith('logs-'));
    const viaKube = (await (await api(`/api/v1/namespaces/kube-system/pods/${cni?.metadata.name}`)).json()) as SpecPod;

    expect(cni?.spec.tolerations).toEqual([...defaults, exists('everynode.io/startup', 'NoSchedule')]);
    expect(logs?.spec.tolerations).toEqual(defaults);
    expect(viaKube.spec.tolerations).toEqual(cni?.spec.tolerations);
  });

  it('lets a terminating node go and completes its hook with CONTINUE', async () => {
    await eventually(async () => ((await node('i-0aaaaaaaaaaaaaaa1')) === undefined ? undefined : true));

    const started = await api('/local/lifecycle-actions', {
      method: 'POST',
      body: JSON.stringify({ transition: 'terminate', instanceId: 'i-0aaaaaaaaaaaaaaa1' }),
    });
    const { lifecycleActionToken } = (await started.json()) as { lifecycleActionToken: string };
    await eventually(async () => ((await node('i-0aaaaaaaaaaaaaaa1')) === undefined ? true : undefined));
    const completed = await eventually(async () => {
      const recorded = await lifecycle();
      return recorded.completions.find((call) => call.lifecycleActionToken === lifecycleActionToken);
    });

    expect(completed).toMatchObject({ result: 'CONTINUE', instanceId: 'i-0aaaaaaaaaaaaaaa1' });
    expect((await lifecycle()).completions).toHaveLength(2);
  });

  it('drains a node through the API, the critical pod last, and keeps it cordoned and empty with keep', async () => {
    const joined = await api('/v1/nodes/worker-9', {
      method: 'PUT',
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      }),
    });
    await eventually(async () => {
      const pods = await items<PodObject>('/v1/nodes/worker-9/pods');
      const ready = pods.filter((pod) => pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === 2 ? true : undefined;
    });
    const seen: string[][] = [];

    const drained = await api('/v1/nodes/worker-9/drain', { method: 'POST', body: JSON.stringify({ keep: true }) });
    const node = await eventually(async () => {
      seen.push((await podNames('worker-9')).map((name) => name.split('-')[0] ?? '').toSorted());
      const current = await node9();
      return current?.metadata.annotations?.['everynode.io/drain']?.includes('completedAt') ? current : undefined;
    });

    expect(joined.status).toBe(202);
    expect(drained.status).toBe(202);
    expect(node.spec).toMatchObject({ unschedulable: true });
    expect(await podNames('worker-9')).toEqual([]);
    // The CNI pod is never alone-missing: once the log shipper is there, the CNI is too, until the shipper has gone.
    expect(seen.filter((names) => names.includes('logs') && !names.includes('cni'))).toEqual([]);
  });

  it('refuses a drain body it cannot read, naming the field', async () => {
    const reply = await api('/v1/nodes/worker-9/drain', {
      method: 'POST',
      body: JSON.stringify({ timeoutSeconds: -1 }),
    });

    expect(reply.status).toBe(422);
    expect(JSON.stringify(await reply.json())).toContain('timeoutSeconds');
  });

  it('refuses a simulated lifecycle action it cannot read, naming the field', async () => {
    const reply = await api('/local/lifecycle-actions', {
      method: 'POST',
      body: JSON.stringify({ transition: 'launch', instanceId: 'node-1' }),
    });

    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { message: string }).message).toContain('instanceId');
  });

  it('has nothing in its dead-letter queues', async () => {
    expect(await (await api('/local/dead-letters')).json()).toEqual({ ingest: [], reconcile: [] });
  });
});
