import type { KeptOnApply } from '../manifest/unset-rollout-switches.js';
import type { AgentPresence } from '../model/agent-presence.js';
import type { DaemonSet, DaemonSetKey } from '../model/daemon-set.js';
import type { LifecycleAction, Node } from '../model/node.js';
import type { PodDeletionRequest, PodStatusReport } from '../model/pod.js';
import type { RolloutCommandName } from '../ports/rollout-command.js';

/**
 * A validated fact from the ingest queue, whatever its wire format (an everynode message or an AWS
 * EventBridge event). `observedAt` is always RFC 3339 in UTC (`Date#toISOString`), so the store can order
 * facts by comparing strings.
 */
export type IngestEvent =
  | Readonly<{ type: 'NodeJoined' | 'NodeUpdated'; node: Node; observedAt: string }>
  | Readonly<{ type: 'NodeRemoved'; name: string; observedAt: string }>
  /**
   * An Auto Scaling terminate lifecycle action: the node is drained (not kept), then the action is completed
   * `CONTINUE` and the node removed.
   */
  | Readonly<{ type: 'NodeTerminating'; name: string; lifecycleAction: LifecycleAction; observedAt: string }>
  /** `everynode node drain`: delete the node's pods in order, then remove it (or keep it cordoned). */
  | Readonly<{ type: 'NodeDrainRequested'; name: string; timeoutSeconds?: number; keep: boolean; observedAt: string }>
  | Readonly<{
      type: 'DaemonSetApplied';
      daemonSet: DaemonSet;
      /** Rollout switches and `restartedAt` the manifest does not mention: applying keeps their stored value (see unsetRolloutSwitches). */
      keeps: readonly KeptOnApply[];
      observedAt: string;
    }>
  | Readonly<{ type: 'DaemonSetDeleted'; key: DaemonSetKey; observedAt: string }>
  /** A user deleted one pod (`kubectl delete pod`): the DaemonSet replaces it once it is gone. */
  | Readonly<{ type: 'PodDeleted'; key: DaemonSetKey; request: PodDeletionRequest; observedAt: string }>
  /** `observedAt` repeats `report.observedAt`. */
  | Readonly<{ type: 'PodStatusReported'; report: PodStatusReport; observedAt: string }>
  | Readonly<{
      type: 'RolloutCommand';
      key: DaemonSetKey;
      command: RolloutCommandName;
      toRevision?: number;
      revisionHash?: string;
      observedAt: string;
    }>
  /**
   * A node agent's MQTT connection to AWS IoT Core opened or closed (an IoT lifecycle event): liveness input,
   * stored on the node's heartbeat item, never on the node. `observedAt` repeats `presence.time`.
   */
  | Readonly<{ type: 'AgentPresence'; presence: AgentPresence; observedAt: string }>
  /** A well-formed event that carries no fact for us (an EC2 instance `stopping`, a failed launch). */
  | Readonly<{ type: 'Ignored'; reason: string; observedAt: string }>;
