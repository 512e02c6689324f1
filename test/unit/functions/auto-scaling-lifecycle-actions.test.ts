import {
  AutoScalingClient,
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AutoScalingLifecycleActions } from '../../../functions/shared/auto-scaling-lifecycle-actions.js';
import type { LifecycleActionRef } from '../../../lib/ports/lifecycle-actions.js';

const autoScaling = mockClient(AutoScalingClient);

const ACTION: LifecycleActionRef = {
  autoScalingGroupName: 'workers',
  lifecycleHookName: 'everynode-launch',
  lifecycleActionToken: '87654321-4321-4321-4321-210987654321',
  instanceId: 'i-0a1b2c3d4e5f67890',
};

function anAwsError(name: string, message: string, httpStatusCode: number): AutoScalingServiceException {
  return new AutoScalingServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode } });
}

const closed = () =>
  anAwsError('ValidationError', 'No active Lifecycle Action found with instance ID i-0a1b2c3d4e5f67890', 400);
const throttled = () => anAwsError('Throttling', 'Rate exceeded', 400);

function actions(sleeps: number[] = []): AutoScalingLifecycleActions {
  return new AutoScalingLifecycleActions(new AutoScalingClient({ region: 'eu-west-1' }), {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
}

beforeEach(() => {
  autoScaling.reset();
  autoScaling.on(CompleteLifecycleActionCommand).resolves({});
  autoScaling.on(RecordLifecycleActionHeartbeatCommand).resolves({});
});

describe('AutoScalingLifecycleActions', () => {
  it('completes an action with the token, hook, group, instance and result from the event', async () => {
    const outcome = await actions().complete(ACTION, 'CONTINUE');

    expect(outcome).toBe('accepted');
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand).map((call) => call.args[0].input)).toEqual([
      {
        AutoScalingGroupName: 'workers',
        LifecycleHookName: 'everynode-launch',
        LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
        InstanceId: 'i-0a1b2c3d4e5f67890',
        LifecycleActionResult: 'CONTINUE',
      },
    ]);
  });

  it('abandons with ABANDON', async () => {
    await actions().complete(ACTION, 'ABANDON');

    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)[0]?.args[0].input.LifecycleActionResult).toBe(
      'ABANDON',
    );
  });

  it('records a heartbeat for the same action', async () => {
    const outcome = await actions().recordHeartbeat(ACTION);

    expect(outcome).toBe('accepted');
    expect(autoScaling.commandCalls(RecordLifecycleActionHeartbeatCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'workers',
      LifecycleHookName: 'everynode-launch',
      LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
      InstanceId: 'i-0a1b2c3d4e5f67890',
    });
  });

  it('takes an action AWS already closed (a redelivered completion) as done, not as an error', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).resolvesOnce({}).rejects(closed());
    const lifecycle = actions();

    const first = await lifecycle.complete(ACTION, 'CONTINUE');
    const redelivered = await lifecycle.complete(ACTION, 'CONTINUE');

    expect([first, redelivered]).toEqual(['accepted', 'alreadyClosed']);
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(2);
  });

  it('retries a throttled call with growing backoff, then succeeds', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const sleeps: number[] = [];

    const outcome = await actions(sleeps).complete(ACTION, 'CONTINUE');

    expect(outcome).toBe('accepted');
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after its attempts when throttling lasts, and throws so the fact comes back', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).rejects(throttled());

    await expect(actions().complete(ACTION, 'CONTINUE')).rejects.toThrow('Rate exceeded');
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(4);
  });

  it('throws other failures at once (no permission is not retried, nor taken as closed)', async () => {
    autoScaling.on(CompleteLifecycleActionCommand).rejects(anAwsError('AccessDenied', 'not authorized', 403));

    await expect(actions().complete(ACTION, 'CONTINUE')).rejects.toThrow('not authorized');
    expect(autoScaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
  });
});
