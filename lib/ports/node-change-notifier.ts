/**
 * Tells node agents that their desired pods changed, after the write that changed them is stored (on AWS: one
 * MQTT message per node through IoT Core, docs/decisions/0007-node-agent-reaction-and-cost.md). A notice is a
 * hint, never the data: the agent reads its pods through the API when one arrives, and on its fallback poll when
 * one is lost.
 */
export interface NodeChangeNotifier {
  /**
   * Tells each named node once, however often it is named. Never throws: a notice that cannot be sent is the
   * implementation's to report, since the write it follows is already stored.
   */
  podsChanged(nodeNames: readonly string[]): Promise<void>;
}

/** The MQTT topic a node's agent subscribes to (its client id is the node name). */
export function nodeChangeTopic(nodeName: string): string {
  return `everynode/nodes/${nodeName}/changed`;
}

/** The message published on `nodeChangeTopic(nodeName)`: the node's name, nothing else. */
export type NodeChangeNotice = Readonly<{ node: string }>;
