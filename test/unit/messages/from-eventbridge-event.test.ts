import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromEventBridgeEvent } from '../../../lib/messages/from-eventbridge-event.js';
import { TerminalError } from '../../../lib/ports/errors.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/events');

type Sample = Readonly<{ file: string; event: Record<string, unknown> }>;

function samplesIn(folder: string): Sample[] {
  const path = join(FIXTURES, folder);
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file: `${folder}/${file}`, event: JSON.parse(readFileSync(join(path, file), 'utf8')) }));
}

const samples = [...samplesIn('eventbridge'), ...samplesIn('eventbridge-extra')];

/** What each AWS event means for the node set, independently of the code under test. */
function expectedType(event: Record<string, unknown>): string {
  const detail = event['detail'] as Record<string, unknown>;
  const known = `${event['source']} ${event['detail-type']}`;
  switch (known) {
    case 'aws.autoscaling EC2 Instance Launch Successful':
    case 'aws.autoscaling EC2 Instance-launch Lifecycle Action':
      return 'NodeJoined';
    case 'aws.autoscaling EC2 Instance Terminate Successful':
      return 'NodeRemoved';
    case 'aws.autoscaling EC2 Instance-terminate Lifecycle Action':
      return 'NodeTerminating';
    case 'aws.autoscaling EC2 Instance Launch Unsuccessful':
    case 'aws.autoscaling EC2 Instance Terminate Unsuccessful':
      return 'Ignored';
    case 'aws.ec2 EC2 Instance State-change Notification':
      if (detail['state'] === 'running') return 'NodeJoined';
      return ['shutting-down', 'terminated'].includes(String(detail['state'])) ? 'NodeRemoved' : 'Ignored';
    default:
      return 'refused';
  }
}

function instanceIdOf(event: Record<string, unknown>): string {
  const detail = event['detail'] as Record<string, unknown>;
  return String(detail['EC2InstanceId'] ?? detail['instance-id']);
}

const asgLaunch = samplesIn('eventbridge-extra').find(({ file }) => file.endsWith('asg-launch-successful.json'));

describe('fromEventBridgeEvent', () => {
  it.each(samples.filter(({ event }) => expectedType(event) !== 'refused'))(
    'maps $file onto the node fact it stands for',
    ({ event }) => {
      const observedAt = new Date(String(event['time'])).toISOString();

      const ingestEvent = fromEventBridgeEvent(event);

      expect(ingestEvent.type).toBe(expectedType(event));
      expect(ingestEvent.observedAt).toBe(observedAt);
      if (ingestEvent.type === 'NodeJoined') expect(ingestEvent.node.name).toBe(instanceIdOf(event));
      if (ingestEvent.type === 'NodeRemoved' || ingestEvent.type === 'NodeTerminating') {
        expect(ingestEvent.name).toBe(instanceIdOf(event));
      }
    },
  );

  it.each(samples.filter(({ event }) => expectedType(event) === 'refused'))(
    'refuses $file, which is not an event it handles',
    ({ event }) => {
      expect(() => fromEventBridgeEvent(event)).toThrow(TerminalError);
    },
  );

  it('labels a launched node with its instance id, zone and Auto Scaling group, Ready at event time', () => {
    const event = asgLaunch?.event;

    const ingestEvent = fromEventBridgeEvent(event);

    expect(ingestEvent).toMatchObject({
      type: 'NodeJoined',
      node: {
        name: 'i-0b188560f1a2b3c4d',
        labels: {
          'everynode.io/instance-id': 'i-0b188560f1a2b3c4d',
          'topology.kubernetes.io/zone': 'eu-west-1b',
          'everynode.io/auto-scaling-group': 'workers',
        },
        taints: [],
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-03-11T21:31:47.000Z' }],
      },
    });
  });

  const launchAction = samples.find(({ file }) => file.endsWith('autoscaling-launch-lifecycle-action.json'))?.event;
  const terminateAction = samples.find(({ file }) =>
    file.endsWith('autoscaling-terminate-lifecycle-action.json'),
  )?.event;

  it('joins a launch lifecycle action gated, with the action (token, hook, group) to complete when the gate opens', () => {
    const ingestEvent = fromEventBridgeEvent(launchAction, { gateJoins: true });

    expect(ingestEvent).toMatchObject({
      type: 'NodeJoined',
      node: {
        name: 'i-0a1b2c3d4e5f67890',
        taints: [{ key: 'everynode.io/startup', effect: 'NoSchedule', timeAdded: '2025-03-04T10:14:59.000Z' }],
        lifecycleAction: {
          transition: 'launch',
          autoScalingGroupName: 'workers',
          lifecycleHookName: 'everynode-launch',
          lifecycleActionToken: '87654321-4321-4321-4321-210987654321',
          receivedAt: '2025-03-04T10:14:59.000Z',
        },
      },
    });
    expect(ingestEvent.type === 'NodeJoined' && ingestEvent.node.lifecycleAction?.result).toBeUndefined();
  });

  it('decides CONTINUE at once for a launch lifecycle action when joins are not gated', () => {
    const ingestEvent = fromEventBridgeEvent(launchAction);

    expect(ingestEvent).toMatchObject({
      type: 'NodeJoined',
      node: { taints: [], lifecycleAction: { result: 'CONTINUE', decidedAt: '2025-03-04T10:14:59.000Z' } },
    });
  });

  it('turns a terminate lifecycle action into NodeTerminating with the action to complete', () => {
    const ingestEvent = fromEventBridgeEvent(terminateAction);

    expect(ingestEvent).toMatchObject({
      type: 'NodeTerminating',
      lifecycleAction: { transition: 'terminate', lifecycleActionToken: '0f1e2d3c-4b5a-4968-8776-655443322110' },
    });
  });

  it('refuses a lifecycle action without its token, naming the field', () => {
    const detail = { ...(launchAction?.['detail'] as object), LifecycleActionToken: undefined };

    expect(() => fromEventBridgeEvent({ ...launchAction, detail })).toThrow(/LifecycleActionToken/);
  });

  it('gates EC2 and Auto Scaling joins when told to', () => {
    const event = {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      time: '2026-03-11T21:29:54Z',
      detail: { 'instance-id': 'i-0abcd1111aaaa2222', state: 'running' },
    };

    const gated = fromEventBridgeEvent(event, { gateJoins: true });
    const open = fromEventBridgeEvent(event);

    expect(gated.type === 'NodeJoined' && gated.node.taints.map((taint) => taint.key)).toEqual([
      'everynode.io/startup',
    ]);
    expect(open.type === 'NodeJoined' && open.node.taints).toEqual([]);
  });

  it('leaves out the zone label when the event does not carry the zone', () => {
    const event = {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      time: '2026-03-11T21:29:54Z',
      detail: { 'instance-id': 'i-0abcd1111aaaa2222', state: 'running' },
    };

    const ingestEvent = fromEventBridgeEvent(event);

    expect(ingestEvent.type === 'NodeJoined' && ingestEvent.node.labels).toEqual({
      'everynode.io/instance-id': 'i-0abcd1111aaaa2222',
    });
  });

  it('ignores other instance states with a reason instead of refusing them', () => {
    const event = {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      time: '2026-03-11T21:29:54Z',
      detail: { 'instance-id': 'i-0abcd1111aaaa2222', state: 'stopping' },
    };

    const ingestEvent = fromEventBridgeEvent(event);

    expect(ingestEvent).toMatchObject({
      type: 'Ignored',
      reason: expect.stringContaining('i-0abcd1111aaaa2222 is stopping'),
    });
  });

  it('refuses an unsupported detail type', () => {
    const event = {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ec2',
      time: '2026-03-11T21:29:54Z',
      detail: {},
    };

    expect(() => fromEventBridgeEvent(event)).toThrow(
      new TerminalError('unsupported EventBridge event aws.ec2 "AWS API Call via CloudTrail"'),
    );
  });

  it('refuses an event whose detail has no instance id', () => {
    const event = { ...asgLaunch?.event, detail: { AutoScalingGroupName: 'workers' } };

    expect(() => fromEventBridgeEvent(event)).toThrow(/detail: EC2InstanceId: /);
  });

  it('refuses an envelope without a time', () => {
    const event = { 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: {} };

    expect(() => fromEventBridgeEvent(event)).toThrow(/^invalid EventBridge event: time: /);
  });
});
