import type * as z from 'zod';
import type { LifecycleAction } from '../model/node.js';
import { TerminalError } from '../ports/errors.js';
import {
  AUTO_SCALING_SOURCE,
  autoScalingActivityDetailSchema,
  EC2_SOURCE,
  eventBridgeEnvelopeSchema,
  instanceStateChangeDetailSchema,
  lifecycleActionDetailSchema,
} from './eventbridge-event.js';
import type { IngestEvent } from './ingest-event.js';
import { describeZodError } from './ingest-message.js';
import { toInstanceNode } from './to-instance-node.js';

/** Instance states that mean the node is there, or going away; every other state is ignored. */
const JOINING_STATES: ReadonlySet<string> = new Set(['running']);
const LEAVING_STATES: ReadonlySet<string> = new Set(['shutting-down', 'terminated']);

export type FromEventBridgeOptions = Readonly<{
  /**
   * Nodes that join from these events carry the startup gate's taint (`everynode.io/startup`), so only
   * startup-critical DaemonSets start on them until the gate opens. The stack turns it on when it completes
   * launch lifecycle hooks. @default false
   */
  gateJoins?: boolean;
}>;

/**
 * Maps an AWS-native EventBridge event (EC2 Auto Scaling, EC2 state changes) onto a node fact.
 * Node name = instance id; observedAt = the event's `time`. A launch lifecycle action joins the node with the
 * action attached (to be completed when its gate opens, or at once when joins are not gated); a terminate
 * lifecycle action is a `NodeTerminating` fact: the node leaves and its action is completed `CONTINUE`.
 *
 * @throws TerminalError when the envelope or detail is malformed, or the detail type is not one we handle.
 */
export function fromEventBridgeEvent(value: unknown, options: FromEventBridgeOptions = {}): IngestEvent {
  const gated = options.gateJoins === true;
  const envelope = parse(eventBridgeEnvelopeSchema, value, 'EventBridge event');
  const observedAt = new Date(envelope.time).toISOString();
  const detailType = envelope['detail-type'];
  const what = `${envelope.source} "${detailType}"`;

  if (envelope.source === AUTO_SCALING_SOURCE) {
    switch (detailType) {
      case 'EC2 Instance Launch Successful':
      case 'EC2 Instance Terminate Successful': {
        const detail = parse(autoScalingActivityDetailSchema, envelope.detail, `${what} detail`);
        if (detailType === 'EC2 Instance Terminate Successful') {
          return { type: 'NodeRemoved', name: detail.EC2InstanceId, observedAt };
        }
        const zone = detail.Details?.['Availability Zone'];
        const node = toInstanceNode({
          instanceId: detail.EC2InstanceId,
          time: observedAt,
          gated,
          ...(zone === undefined ? {} : { zone }),
          ...(detail.AutoScalingGroupName === undefined ? {} : { autoScalingGroup: detail.AutoScalingGroupName }),
        });
        return { type: 'NodeJoined', node, observedAt };
      }
      case 'EC2 Instance-launch Lifecycle Action':
      case 'EC2 Instance-terminate Lifecycle Action': {
        const detail = parse(lifecycleActionDetailSchema, envelope.detail, `${what} detail`);
        const terminating = detailType === 'EC2 Instance-terminate Lifecycle Action';
        const action: LifecycleAction = {
          transition: terminating ? 'terminate' : 'launch',
          autoScalingGroupName: detail.AutoScalingGroupName,
          lifecycleHookName: detail.LifecycleHookName,
          lifecycleActionToken: detail.LifecycleActionToken,
          receivedAt: observedAt,
          // Without a gate nothing is waited for: the launch goes on at once.
          ...(terminating || gated ? {} : { result: 'CONTINUE' as const, decidedAt: observedAt }),
        };
        if (terminating)
          return { type: 'NodeTerminating', name: detail.EC2InstanceId, lifecycleAction: action, observedAt };
        const node = toInstanceNode({
          instanceId: detail.EC2InstanceId,
          time: observedAt,
          gated,
          autoScalingGroup: detail.AutoScalingGroupName,
        });
        return { type: 'NodeJoined', node: { ...node, lifecycleAction: action }, observedAt };
      }
      case 'EC2 Instance Launch Unsuccessful':
      case 'EC2 Instance Terminate Unsuccessful':
        return { type: 'Ignored', reason: `${what}: the instance did not change`, observedAt };
      default:
        throw new TerminalError(`unsupported EventBridge event ${what}`);
    }
  }

  if (envelope.source === EC2_SOURCE && detailType === 'EC2 Instance State-change Notification') {
    const detail = parse(instanceStateChangeDetailSchema, envelope.detail, `${what} detail`);
    const instanceId = detail['instance-id'];
    if (JOINING_STATES.has(detail.state)) {
      return { type: 'NodeJoined', node: toInstanceNode({ instanceId, time: observedAt, gated }), observedAt };
    }
    if (LEAVING_STATES.has(detail.state)) return { type: 'NodeRemoved', name: instanceId, observedAt };
    return { type: 'Ignored', reason: `${what}: instance ${instanceId} is ${detail.state}`, observedAt };
  }

  throw new TerminalError(`unsupported EventBridge event ${what}`);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new TerminalError(`invalid ${what}: ${describeZodError(result.error)}`);
  return result.data;
}
