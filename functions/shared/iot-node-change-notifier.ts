import { type IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import {
  type NodeChangeNotice,
  type NodeChangeNotifier,
  nodeChangeTopic,
} from '../../lib/ports/node-change-notifier.js';
import { METRIC, MetricUnit, type Observability } from './observability.js';

/** Publishes in flight at once: a step touches up to a few dozen nodes, each publish takes tens of ms. */
export const DEFAULT_PUBLISH_CONCURRENCY = 8;

export type IotNodeChangeNotifierOptions = Readonly<{
  observability: Observability;
  /** @default DEFAULT_PUBLISH_CONCURRENCY */
  concurrency?: number;
}>;

/**
 * Tells node agents through AWS IoT Core: one QoS 1 message `{"node":"<name>"}` on `everynode/nodes/<name>/changed`
 * per node (docs/decisions/0007-node-agent-reaction-and-cost.md). A publish that fails is logged and counted, never
 * thrown: the write it follows is stored, and the agent's fallback poll picks the change up.
 */
export class IotNodeChangeNotifier implements NodeChangeNotifier {
  readonly #client: IoTDataPlaneClient;
  readonly #observability: Observability;
  readonly #concurrency: number;

  constructor(client: IoTDataPlaneClient, options: IotNodeChangeNotifierOptions) {
    const concurrency = options.concurrency ?? DEFAULT_PUBLISH_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`publish concurrency must be a positive integer, got ${concurrency}`);
    }
    this.#client = client;
    this.#observability = options.observability;
    this.#concurrency = concurrency;
  }

  async podsChanged(nodeNames: readonly string[]): Promise<void> {
    const pending = [...new Set(nodeNames)];
    const results = { published: 0, failed: 0 };
    const worker = async (): Promise<void> => {
      for (let node = pending.shift(); node !== undefined; node = pending.shift()) {
        if (await this.#publish(node)) results.published += 1;
        else results.failed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, pending.length) }, worker));
    const { metrics } = this.#observability;
    if (results.published > 0) metrics.addMetric(METRIC.nodeNoticesPublished, MetricUnit.Count, results.published);
    if (results.failed > 0) metrics.addMetric(METRIC.nodeNoticesFailed, MetricUnit.Count, results.failed);
  }

  /** True when IoT Core accepted the message; false (logged) when it did not or the name cannot be a topic level. */
  async #publish(node: string): Promise<boolean> {
    const { logger } = this.#observability;
    if (!isTopicLevel(node)) {
      logger.warn('node name cannot be an MQTT topic level; its agent is not told', { node });
      return false;
    }
    const notice: NodeChangeNotice = { node };
    try {
      await this.#client.send(
        new PublishCommand({
          topic: nodeChangeTopic(node),
          qos: 1,
          payload: new TextEncoder().encode(JSON.stringify(notice)),
          contentType: 'application/json',
        }),
      );
      return true;
    } catch (error) {
      logger.warn('could not tell a node agent its pods changed; its fallback poll will', { node, error });
      return false;
    }
  }
}

/** One MQTT topic level: not empty, no level separator, no wildcard, not a reserved `$` topic. */
function isTopicLevel(name: string): boolean {
  return name !== '' && !/[/+#\0]/.test(name) && !name.startsWith('$');
}
