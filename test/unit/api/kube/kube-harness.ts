import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeApiHandler } from '../../../../functions/api-handler.js';
import type { IngestMessage, IngestQueue } from '../../../../lib/messages/ingest-message.js';
import { parseIngestMessage } from '../../../../lib/messages/parse-ingest-message.js';
import type { ClusterStore } from '../../../../lib/ports/cluster-store.js';
import { applyIngestEvent } from '../../../../lib/reconcile/apply-ingest-event.js';
import { InMemoryClusterStore } from '../../../../lib/store/memory/in-memory-cluster-store.js';
import { InMemoryHeartbeatStore } from '../../../../lib/store/memory/in-memory-heartbeat-store.js';
import { type ApiReply, apiEvent, REQUEST_TIME, type RequestOptions } from '../api-harness.js';

/** An ingest queue whose messages are stored at once, as the ingest handler stores them (no reconcile). */
export class ApplyingIngestQueue implements IngestQueue {
  readonly messages: IngestMessage[] = [];
  readonly #store: ClusterStore;
  readonly #clock: () => number;

  constructor(store: ClusterStore, clock: () => number) {
    this.#store = store;
    this.#clock = clock;
  }

  async send(messages: readonly IngestMessage[]): Promise<void> {
    for (const message of messages) {
      this.messages.push(message);
      const now = this.#clock();
      const event = parseIngestMessage(JSON.stringify(message), { SentTimestamp: String(now) }, now);
      await applyIngestEvent(event, { store: this.#store, now: () => now });
    }
  }
}

/**
 * The API handler over an in-memory store whose writes are applied as they are sent. Each request is a second
 * after the one before (facts with equal times are the same fact).
 */
export function aKubeApi() {
  let now = REQUEST_TIME;
  const clock = () => now;
  const store = new InMemoryClusterStore({ now: clock });
  const ingest = new ApplyingIngestQueue(store, clock);
  const heartbeats = new InMemoryHeartbeatStore();
  const handler = makeApiHandler({ store, ingest, heartbeats });
  const at = (event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 => {
    now += 1000;
    return { ...event, requestContext: { ...event.requestContext, timeEpoch: now, time: new Date(now).toUTCString() } };
  };
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiReply> => {
    const result = await handler(at(apiEvent(method, path, options)));
    return {
      status: result.statusCode ?? 0,
      body: JSON.parse(
        result.body === undefined || result.body === '' ? 'null' : (result.body.split('\n')[0] ?? 'null'),
      ) as Record<string, unknown>,
      headers: result.headers ?? {},
    };
  };
  const raw = async (method: string, path: string, options: RequestOptions = {}) =>
    handler(at(apiEvent(method, path, options)));
  return { store, ingest, request, raw };
}

export const DAEMON_SETS = '/apis/apps/v1/namespaces/kube-system/daemonsets';

export const fluentd = (image = 'fluent/fluentd:v1.14') => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'fluentd', namespace: 'kube-system', labels: { app: 'fluentd' } },
  spec: {
    selector: { matchLabels: { name: 'fluentd' } },
    template: {
      metadata: { labels: { name: 'fluentd' } },
      spec: {
        containers: [
          { name: 'fluentd', image, env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'busybox:1' },
        ],
      },
    },
  },
});

export const node = (name: string, labels: Readonly<Record<string, string>> = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
