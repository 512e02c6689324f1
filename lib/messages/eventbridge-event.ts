import * as z from 'zod';

const rfc3339 = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp' });
const instanceId = z.string().regex(/^i-[0-9a-f]{8,17}$/, 'expected an EC2 instance id (i-0123456789abcdef0)');

/** The EventBridge envelope every AWS service event shares (as EventBridge delivers it into SQS). */
export const eventBridgeEnvelopeSchema = z.object({
  id: z.string().optional(),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  time: rfc3339,
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.record(z.string(), z.unknown()),
});

export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelopeSchema>;

/** `EC2 Instance Launch Successful` / `EC2 Instance Terminate Successful` (and their `Unsuccessful` twins). */
export const autoScalingActivityDetailSchema = z.object({
  EC2InstanceId: instanceId,
  AutoScalingGroupName: z.string().min(1).optional(),
  Details: z.object({ 'Availability Zone': z.string().min(1).optional() }).optional(),
});

/** `EC2 Instance-launch Lifecycle Action` / `EC2 Instance-terminate Lifecycle Action`. */
export const lifecycleActionDetailSchema = z.object({
  EC2InstanceId: instanceId,
  AutoScalingGroupName: z.string().min(1).max(255),
  LifecycleHookName: z.string().min(1).max(255),
  LifecycleActionToken: z.string().min(1).max(255),
  LifecycleTransition: z.string().optional(),
});

/** `EC2 Instance State-change Notification`. */
export const instanceStateChangeDetailSchema = z.object({
  'instance-id': instanceId,
  state: z.string().min(1),
});

/** The detail types everynode acts on, by source. */
export const AUTO_SCALING_SOURCE = 'aws.autoscaling';
export const EC2_SOURCE = 'aws.ec2';

/** A body is taken for an EventBridge event when it carries the envelope's own fields. */
export function looksLikeEventBridgeEvent(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'detail-type' in value && 'source' in value;
}
