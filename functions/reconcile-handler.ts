import type { SQSRecord } from 'aws-lambda';
import { parseReconcileMessage } from '../lib/messages/parse-reconcile-message.js';
import type { DaemonSetKey } from '../lib/model/daemon-set.js';
import type { Node } from '../lib/model/node.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import type { LifecycleActions } from '../lib/ports/lifecycle-actions.js';
import type { WorkQueue } from '../lib/ports/work-queue.js';
import { applyNodeLifecycle } from '../lib/reconcile/apply-node-lifecycle.js';
import type { StartupGatePlan } from '../lib/reconcile/plan-startup-gate.js';
import { reconcile } from '../lib/reconcile/reconcile-pass.js';
import { acknowledgeTerminalErrors } from './shared/acknowledge-terminal-error.js';
import { METRIC, MetricUnit, type Observability } from './shared/observability.js';
import { type SqsBatchHandler, toSqsBatchHandler } from './shared/to-sqs-batch-handler.js';
import { PENDING_TIMEOUT_SECONDS, unlessPending } from './shared/unless-pending.js';

export type ReconcileHandlerDeps = Readonly<{
  store: ClusterStore;
  /** The reconcile queue itself: progressing DaemonSets are put back with a delay. */
  workQueue: WorkQueue;
  observability: Observability;
  /** Epoch milliseconds: the planner's clock. */
  now: () => number;
  /** Passes tried per message when the DaemonSet keeps moving. @default 4 */
  maxAttempts?: number;
  /** Rejection source when a record has no queue ARN. @default 'reconcile' */
  source?: string;
  /** As `IngestHandlerDeps.pendingTimeoutSeconds`, for immediate re-checks. @default 60 */
  pendingTimeoutSeconds?: number;
  /** Completes Auto Scaling lifecycle actions when a startup-gate check decides one. */
  lifecycleActions?: LifecycleActions;
  /** Seconds between lifecycle heartbeats while a launch hook waits for its gate. */
  heartbeatIntervalSeconds?: number;
}>;

/**
 * The reconcile function: each record names a DaemonSet. Its pending-reconcile marker is cleared, then one
 * pass is planned and written. A DaemonSet still progressing is put back on the queue: with the planner's delay
 * unconditionally, or at once (a step that wrote) only if no reconcile is pending yet, as for a fact (see
 * docs/decisions/0004-coalesced-reconcile.md). Version conflicts that outlast the retries, and every other
 * non-terminal error, fail the record so SQS redelivers it.
 */
export function makeReconcileHandler(deps: ReconcileHandlerDeps): SqsBatchHandler {
  const { logger, metrics } = deps.observability;
  const terminalDeps = { ...deps, source: deps.source ?? 'reconcile' };
  const reconcileDeps = {
    store: deps.store,
    now: deps.now,
    ...(deps.maxAttempts === undefined ? {} : { maxAttempts: deps.maxAttempts }),
    // Each pass clears the marker first (`passOnce`), so a fresh one after a lost race is another pass's.
    handOverToPendingWithinSeconds: deps.pendingTimeoutSeconds ?? PENDING_TIMEOUT_SECONDS,
  };
  const pendingDeps = {
    store: deps.store,
    logger,
    now: deps.now,
    ...(deps.pendingTimeoutSeconds === undefined ? {} : { timeoutSeconds: deps.pendingTimeoutSeconds }),
  };

  /**
   * A delayed re-check waits for time, not for a write: it goes out whatever the marker says. An immediate one
   * follows this pass's own write, so a pending reconcile (which loads after it) stands in for it.
   */
  const recheck = async (key: DaemonSetKey, delaySeconds: number): Promise<void> => {
    const due = delaySeconds > 0 ? [key] : await unlessPending([key], pendingDeps);
    if (due.length === 0) {
      metrics.addMetric(METRIC.reconcilesCoalesced, MetricUnit.Count, 1);
      return;
    }
    await deps.workQueue.enqueue(due, delaySeconds);
    metrics.addMetric(METRIC.reconcileRechecks, MetricUnit.Count, 1);
  };

  const passOnce = async (key: DaemonSetKey, record: SQSRecord): Promise<void> => {
    // Before the load: a fact stored after this clear marks the DaemonSet again and enqueues another pass,
    // and every fact whose ingest found the marker set was stored before it, so this pass's load sees it.
    await deps.store.clearReconcilePending(key);
    const outcome = await reconcile(key, reconcileDeps);
    metrics.addMetric(METRIC.reconcilePasses, MetricUnit.Count, 1);
    if (outcome.status === 'progressing') await recheck(key, outcome.recheckAfterSeconds);
    if (outcome.status === 'handedOver') metrics.addMetric(METRIC.reconcilesHandedOver, MetricUnit.Count, 1);
    logger.debug('reconciled', { daemonSet: key, messageId: record.messageId, ...outcome });
  };

  const gateDeps = {
    store: deps.store,
    now: deps.now,
    ...(deps.lifecycleActions === undefined ? {} : { lifecycleActions: deps.lifecycleActions }),
    ...(deps.heartbeatIntervalSeconds === undefined ? {} : { heartbeatIntervalSeconds: deps.heartbeatIntervalSeconds }),
    onTimeout: (node: Node, plan: StartupGatePlan) =>
      logger.warn('startup gate deadline passed; the node stays tainted', {
        node: node.name,
        waitingFor: plan.waitingFor,
      }),
  };

  /**
   * A node's startup-gate check (a delayed re-check: a pod turning available after minReadySeconds, a deadline,
   * a lifecycle heartbeat): decide and write the gate, then enqueue the DaemonSets an opened gate let in, and the
   * next check when the gate still waits.
   */
  const checkGate = async (node: string): Promise<void> => {
    const gate = await applyNodeLifecycle(node, gateDeps);
    const due = await unlessPending(gate.affected, pendingDeps);
    if (due.length > 0) await deps.workQueue.enqueue(due);
    if (gate.recheckAfterSeconds !== undefined)
      await deps.workQueue.enqueueGateChecks([node], gate.recheckAfterSeconds);
    logger.debug('node lifecycle checked', {
      node,
      opened: gate.gate.plan?.opened ?? false,
      drain: gate.drain.plan?.phase,
      affected: gate.affected.length,
    });
  };

  return (event, context) => {
    // Records of one batch that name the same DaemonSet share one pass: a pass reloads everything, so a
    // second one on the same snapshot would only lose the version race and retry. A failed pass fails
    // every record that shares it, and SQS redelivers them all.
    const passes = new Map<DaemonSetKey, Promise<void>>();
    const checks = new Map<string, Promise<void>>();
    const handleRecord = (record: SQSRecord): Promise<void> =>
      acknowledgeTerminalErrors(record, terminalDeps, () => {
        const message = parseReconcileMessage(record.body);
        if ('node' in message) {
          const check = checks.get(message.node) ?? checkGate(message.node);
          checks.set(message.node, check);
          return check;
        }
        const key = message.daemonSet;
        const pass = passes.get(key) ?? passOnce(key, record);
        passes.set(key, pass);
        return pass;
      });
    return toSqsBatchHandler(handleRecord, deps.observability)(event, context);
  };
}
