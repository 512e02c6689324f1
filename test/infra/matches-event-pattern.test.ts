import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from './matches-event-pattern.js';

const event = {
  source: 'aws.ec2',
  resources: ['arn:aws:ec2:eu-west-1:123456789012:instance/i-0a1b2c3d4e5f67890'],
  detail: { state: 'running', 'instance-id': 'i-0a1b2c3d4e5f67890' },
};

describe('matchesEventPattern', () => {
  it('matches when every field holds one of the listed values', () => {
    expect(matchesEventPattern({ source: ['aws.autoscaling', 'aws.ec2'], detail: { state: ['running'] } }, event)).toBe(
      true,
    );
  });

  it('does not match a value outside the list', () => {
    expect(matchesEventPattern({ detail: { state: ['terminated'] } }, event)).toBe(false);
  });

  it('does not match when the event lacks a field of the pattern', () => {
    expect(matchesEventPattern({ detail: { AutoScalingGroupName: ['workers'] } }, event)).toBe(false);
  });

  it('matches an array field when any of its elements is listed', () => {
    expect(matchesEventPattern({ resources: [event.resources[0]] }, event)).toBe(true);
  });

  it('refuses content filters it does not implement', () => {
    expect(() => matchesEventPattern({ source: [{ prefix: 'aws.' }] }, event)).toThrow(/not supported/);
  });
});
