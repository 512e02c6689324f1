import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeApiHandler } from '../../functions/api-handler.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import type { IngestQueue } from '../../lib/messages/ingest-message.js';
import { InMemoryClusterStore } from '../../lib/store/memory/in-memory-cluster-store.js';
import { InMemoryHeartbeatStore } from '../../lib/store/memory/in-memory-heartbeat-store.js';
import { agentManifest } from '../dynamo/bench-manifests.js';
import { realisticNodes } from '../placement/realistic-nodes.js';
import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatCount, formatMs, median } from '../shared/stats.js';

/** Issue 16's aims for the Kubernetes API: paging a 10,000-node list, and how soon a watch sees a change. */
export const kubeApiBenchmark: Benchmark = {
  name: 'kube-api',
  title:
    'Kubernetes API: paging nodes with limit/continue, watch latency of a DaemonSet change (API handler, in-memory store)',
  run: runKubeApi,
};

const PAGE = 500;
const WATCH_ROUNDS = 10;
const AIM_WATCH_MS = 1000;

const noIngest: IngestQueue = { send: async () => undefined };

function event(path: string, query: Record<string, string>): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { accept: 'application/json' },
    queryStringParameters: query,
    requestContext: {
      accountId: '0',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}

async function runKubeApi(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const sizes = options.quick ? [1_000] : [1_000, 10_000];
  const paging: {
    nodes: number;
    pages: number;
    totalMs: number;
    firstMs: number;
    nextMs: number;
    seen: number;
  }[] = [];
  const watches: { nodes: number; latencies: number[] }[] = [];
  for (const size of sizes) {
    progress(`kube-api: ${formatCount(size)} nodes`);
    const store = new InMemoryClusterStore({ now: () => Date.now() });
    for (const node of realisticNodes(size)) await store.putNode(node, new Date().toISOString());
    const handler = makeApiHandler({ store, ingest: noIngest, heartbeats: new InMemoryHeartbeatStore() });

    const started = performance.now();
    const names = new Set<string>();
    let pages = 0;
    let firstMs = 0;
    let token: string | undefined;
    do {
      const pageStarted = performance.now();
      const query: Record<string, string> = {
        limit: String(PAGE),
        ...(token === undefined ? {} : { continue: token }),
      };
      const body = JSON.parse((await handler(event('/api/v1/nodes', query))).body ?? '{}') as {
        items: { metadata: { name: string } }[];
        metadata: { continue?: string };
      };
      for (const item of body.items) names.add(item.metadata.name);
      token = body.metadata.continue;
      if (pages === 0) firstMs = performance.now() - pageStarted;
      pages += 1;
    } while (token !== undefined);
    const totalMs = performance.now() - started;
    const nextMs = pages > 1 ? (totalMs - firstMs) / (pages - 1) : 0;
    paging.push({ nodes: size, pages, totalMs, firstMs, nextMs, seen: names.size });

    // What `kubectl rollout status` does: list the DaemonSet by name, then watch it from the list's version.
    const manifest = agentManifest('agent');
    const parsed = toDaemonSet(manifest);
    if (!parsed.ok) throw new Error('the bench DaemonSet does not validate');
    await store.applyDaemonSet(parsed.value, new Date().toISOString());
    const latencies: number[] = [];
    for (let round = 0; round < WATCH_ROUNDS; round += 1) {
      const query = { fieldSelector: 'metadata.name=agent' };
      const path = `/apis/apps/v1/namespaces/${parsed.value.namespace}/daemonsets`;
      const listed = JSON.parse((await handler(event(path, query))).body ?? '{}') as {
        metadata: { resourceVersion: string };
      };
      const watch = handler(event(path, { ...query, watch: 'true', resourceVersion: listed.metadata.resourceVersion }));
      // A change lands at a random point of the watch's polling cycle.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      const changedAt = performance.now();
      const next = { ...parsed.value, minReadySeconds: round + 1 };
      await store.applyDaemonSet(next, new Date().toISOString());
      await watch;
      latencies.push(performance.now() - changedAt);
    }
    watches.push({ nodes: size, latencies });
  }
  const worst = Math.max(...watches.flatMap((run) => run.latencies));
  const largest = paging.at(-1);
  return {
    name: 'kube-api',
    title: kubeApiBenchmark.title,
    tables: [
      {
        title: `GET /api/v1/nodes?limit=${PAGE}, following continue to the end`,
        columns: ['nodes', 'pages', 'all pages', 'first page', 'each next page', 'distinct nodes seen'],
        rows: paging.map((run) => [
          formatCount(run.nodes),
          run.pages,
          formatMs(run.totalMs),
          formatMs(run.firstMs),
          formatMs(run.nextMs),
          formatCount(run.seen),
        ]),
      },
      {
        title: `A DaemonSet change → the watch that rollout status opens returns it (fieldSelector metadata.name), ${WATCH_ROUNDS} rounds`,
        columns: ['nodes in the store', 'median', 'max'],
        rows: watches.map((run) => [
          formatCount(run.nodes),
          formatMs(median(run.latencies)),
          formatMs(Math.max(...run.latencies)),
        ]),
      },
    ],
    aims: [
      {
        aim: `a list of ${formatCount(largest?.nodes ?? 0)} nodes pages with limit/continue, every node once`,
        measured: `${formatCount(largest?.seen ?? 0)} of ${formatCount(largest?.nodes ?? 0)} in ${largest?.pages ?? 0} pages`,
        met: largest !== undefined && largest.seen === largest.nodes,
      },
      {
        aim: `a watch sees each DaemonSet change within ${formatMs(AIM_WATCH_MS)}`,
        measured: `max ${formatMs(worst)}`,
        met: worst <= AIM_WATCH_MS,
      },
    ],
    notes: [
      'The API handler in process over the in-memory store: the cost of the Kubernetes API layer itself (rendering, selecting, paging, diffing), without DynamoDB reads, which the local and deployed stores add.',
      'The first page reads, renders and records the whole list (its resourceVersion is a digest of every member, and a watch from it diffs against that state); each next page comes from that recorded state by its continue token and renders nothing.',
    ],
    figures: { paging, watches },
  };
}
