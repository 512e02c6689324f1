import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/start-local-control-plane.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatMs } from '../shared/stats.js';
import { daemonSet, quantile, until } from './gate-latency-bench.js';

/**
 * Issue 14's drain aim: a node running 10 DaemonSets drains in order (ordinary pods first, startup-critical ones
 * only once the others are gone) and its terminate lifecycle action is completed `CONTINUE`; how long that takes.
 */
export const drainBenchmark: Benchmark = {
  name: 'drain',
  title: 'Terminate drain of a node running 10 DaemonSets → CompleteLifecycleAction CONTINUE, local control plane',
  run: runDrain,
};

const CRITICAL = ['cni', 'kube-proxy'];
const ORDINARY = ['logs', 'metrics', 'security', 'node-exporter', 'csi', 'dns-cache', 'gpu-plugin', 'tracing'];
const AGENT_READY_MS = 200;

type Sample = Readonly<{
  /** Terminate lifecycle action sent → CompleteLifecycleAction (CONTINUE) accepted. */
  continueMs: number;
  /** The spans between the drain's steps, from the control plane's narrated writes (see `PHASES`). */
  phases: readonly number[];
  /** A critical pod deleted before the last ordinary pod was gone (from the narrated writes, not sampling). */
  violation: boolean;
}>;

const PHASES = [
  'action sent → the 8 ordinary pods deleted (controller)',
  '→ the last ordinary pod gone (agents see the deletion, confirm it)',
  '→ the first critical pod deleted (controller)',
  '→ the last critical pod gone (agents)',
  '→ CompleteLifecycleAction CONTINUE (controller)',
];

type PodObject = {
  metadata: { name: string; deletionTimestamp?: string };
  status: { conditions: { type: string; status: string }[] };
};

/** The control plane's narration (LoggingClusterStore), each line with the time it was written. */
type Narration = { lines: (readonly [number, string])[] };

async function runDrain(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const drains = options.quick ? 3 : 10;
  progress('drain: starting DynamoDB Local');
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  const stateDir = await mkdtemp(join(tmpdir(), 'everynode-drain-bench-'));
  let samples: Sample[] = [];
  const narration: Narration = { lines: [] };
  try {
    const plane = await startLocalControlPlane({
      port: 0,
      stateDir,
      dynamoEndpoint: dynamo.endpoint,
      tableName: 'drain-bench',
      agentReadyDelayMs: AGENT_READY_MS,
      log: (line) => narration.lines.push([Date.now(), line]),
    });
    try {
      samples = await measure(plane, narration, drains, progress);
    } finally {
      await plane.stop();
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true });
    await dynamo.stop();
  }
  const sorted = (values: readonly number[]) => values.toSorted((a, b) => a - b);
  const toContinue = sorted(samples.map((sample) => sample.continueMs));
  const violations = samples.filter((sample) => sample.violation).length;
  const row = (title: string, values: readonly number[]) => [
    title,
    formatMs(quantile(sorted(values), 0.5)),
    formatMs(quantile(sorted(values), 0.9)),
    formatMs(sorted(values).at(-1) ?? Number.NaN),
  ];
  return {
    name: 'drain',
    title: drainBenchmark.title,
    tables: [
      {
        title: `${drains} terminate lifecycle actions, one node at a time; 2 startup-critical + 8 ordinary DaemonSets, all 10 pods ready first; agents confirm a deleted pod gone ${AGENT_READY_MS / 2} ms after they see it`,
        columns: ['span', 'median', 'p90', 'max'],
        rows: [
          row('terminate action → CompleteLifecycleAction CONTINUE', toContinue),
          ...PHASES.map((title, index) =>
            row(
              `  ${title}`,
              samples.map((sample) => sample.phases[index] ?? 0),
            ),
          ),
        ],
      },
    ],
    aims: [
      {
        aim: 'a drain of a node running 10 DaemonSets deletes the critical pods only after the others are gone',
        measured: `${violations} of ${samples.length} drains deleted a critical pod before the last ordinary pod was gone`,
        met: violations === 0,
      },
      {
        aim: 'every terminate lifecycle action is completed exactly once, with CONTINUE',
        measured: `${samples.length} of ${drains} completed once`,
        met: samples.length === drains,
      },
    ],
    notes: [
      'Every time is taken in the benchmark process, which runs the control plane: the action is sent, each write the control plane narrates (a pod deleted, a pod reported gone), and the completion the local Auto Scaling endpoint recorded.',
    ],
    figures: { samples },
  };
}

async function measure(
  plane: LocalControlPlane,
  narration: Narration,
  drains: number,
  progress: Progress,
): Promise<Sample[]> {
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${plane.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${plane.token}`, 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const manifests = [
    ...CRITICAL.map((name) => daemonSet('kube-system', name, { 'everynode.io/startup-critical': 'true' }, 0)),
    ...ORDINARY.map((name) => daemonSet('default', name, {}, 0)),
  ];
  for (const manifest of manifests) await api('/v1/daemonsets', { method: 'PUT', body: JSON.stringify(manifest) });
  await until(async () => ((await api('/v1/daemonsets'))['items'] as unknown[]).length === manifests.length);
  const podsOn = async (instanceId: string) =>
    ((await api(`/v1/nodes/${instanceId}/pods`))['items'] ?? []) as PodObject[];
  const completionOf = async (token: unknown) => {
    const { completions } = (await api('/local/lifecycle-actions')) as unknown as {
      completions: { lifecycleActionToken: string; result: string; at: string }[];
    };
    return completions.filter((each) => each.lifecycleActionToken === token);
  };
  const samples: Sample[] = [];
  for (let index = 0; index < drains; index += 1) {
    progress(`drain: node ${index + 1}/${drains}`);
    const instanceId = `i-0${(0xd0000 + index).toString(16).padStart(16, '0')}`;
    await api('/local/lifecycle-actions', {
      method: 'POST',
      body: JSON.stringify({ transition: 'launch', instanceId }),
    });
    // Ready: the gate opened and every DaemonSet's pod is Running on the node (agents report within a sync).
    await until(async () => {
      const pods = await podsOn(instanceId).catch(() => []);
      const ready = pods.filter(
        (pod) =>
          pod.metadata.deletionTimestamp === undefined &&
          pod.status.conditions.some((each) => each.type === 'Ready' && each.status === 'True'),
      );
      return ready.length === manifests.length;
    }, 120_000);
    await until(async () => {
      const node = await api(`/v1/nodes/${instanceId}`);
      const conditions = ((node['status'] as Record<string, unknown>)['conditions'] ?? []) as {
        type: string;
        status: string;
      }[];
      return conditions.some((each) => each.type === 'everynode.io/StartupComplete' && each.status === 'True');
    });

    const sentAt = Date.now();
    const { lifecycleActionToken } = await api('/local/lifecycle-actions', {
      method: 'POST',
      body: JSON.stringify({ transition: 'terminate', instanceId }),
    });
    const completed = await until(async () => {
      const done = await completionOf(lifecycleActionToken);
      return done.length > 0 ? done : undefined;
    }, 60_000);
    const [completion] = completed;
    if (completed.length !== 1 || completion?.result !== 'CONTINUE') {
      throw new Error(`${instanceId}: expected one CONTINUE, got ${JSON.stringify(completed)}`);
    }
    const completedAt = Date.parse(completion.at);
    const lines = narration.lines.filter(([at, line]) => at >= sentAt && line.includes(` on ${instanceId}`));
    const times = (pattern: RegExp, critical: boolean) =>
      lines.flatMap(([at, line]) => {
        const name = pattern.exec(line)?.[1];
        return name !== undefined && CRITICAL.some((each) => name.startsWith(`${each}-`)) === critical ? [at] : [];
      });
    // `logs: delete pod logs-x on i-1 (drained)` and `pod logs-x on i-1: gone`.
    const deleted = (critical: boolean) => times(/: delete pod (\S+) on \S+ \(drained\)$/, critical);
    const gone = (critical: boolean) => times(/(?:^|\s)pod (\S+) on \S+: gone$/, critical);
    const ordinaryDeleted = Math.max(...deleted(false));
    const ordinaryGone = Math.max(...gone(false));
    const criticalDeleted = Math.min(...deleted(true));
    const criticalGone = Math.max(...gone(true));
    if (deleted(false).length !== ORDINARY.length || deleted(true).length !== CRITICAL.length) {
      throw new Error(`${instanceId}: expected every pod deleted once, saw ${JSON.stringify(lines)}`);
    }
    if (![ordinaryDeleted, ordinaryGone, criticalDeleted, criticalGone].every(Number.isFinite)) {
      throw new Error(`${instanceId}: a pod was never reported gone: ${JSON.stringify(lines)}`);
    }
    samples.push({
      continueMs: completedAt - sentAt,
      phases: [
        ordinaryDeleted - sentAt,
        ordinaryGone - ordinaryDeleted,
        criticalDeleted - ordinaryGone,
        criticalGone - criticalDeleted,
        completedAt - criticalGone,
      ],
      violation: criticalDeleted < ordinaryGone,
    });
    await until(async () => {
      const reply = await fetch(`${plane.url}/v1/nodes/${instanceId}`, {
        headers: { authorization: `Bearer ${plane.token}` },
      });
      return reply.status === 404;
    });
  }
  return samples;
}
