import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { describeZodError } from '../lib/messages/ingest-message.js';
import { LocalRouteError } from './local-http-server.js';

const requestSchema = z
  .object({
    transition: z.enum(['launch', 'terminate']),
    instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'expected an EC2 instance id (i-0123456789abcdef0)'),
    autoScalingGroupName: z.string().min(1).max(255).default('workers'),
    lifecycleHookName: z.string().min(1).max(255).optional(),
  })
  .strict();

/** What `POST /local/lifecycle-actions` starts: one simulated Auto Scaling lifecycle action. */
export type SimulatedLifecycleRequest = z.input<typeof requestSchema>;

/**
 * The EventBridge event EC2 Auto Scaling sends when an instance enters `Pending:Wait` (launch) or
 * `Terminating:Wait` (terminate) under a lifecycle hook, with a fresh token: what the local control plane puts on
 * its ingest queue to simulate a hook. Bad input is refused with the field at fault.
 *
 * @throws LocalRouteError (400) when the request does not describe a lifecycle action.
 */
export function simulatedLifecycleEvent(body: unknown, now: Date): Readonly<{ token: string; event: object }> {
  const result = requestSchema.safeParse(body);
  if (!result.success)
    throw new LocalRouteError(400, 'BadRequest', `invalid lifecycle action: ${describeZodError(result.error)}`);
  const request = result.data;
  const launch = request.transition === 'launch';
  const token = randomUUID();
  return {
    token,
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': launch ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action',
      source: 'aws.autoscaling',
      account: '000000000000',
      time: now.toISOString(),
      region: 'local',
      resources: [],
      detail: {
        LifecycleActionToken: token,
        AutoScalingGroupName: request.autoScalingGroupName,
        LifecycleHookName: request.lifecycleHookName ?? (launch ? 'everynode-launch' : 'everynode-terminate'),
        EC2InstanceId: request.instanceId,
        LifecycleTransition: launch ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
      },
    },
  };
}
