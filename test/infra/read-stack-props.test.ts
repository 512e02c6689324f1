import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readStackProps } from '../../infra/read-stack-props.js';

const contextOf = (values: Record<string, unknown>) => ({ tryGetContext: (key: string): unknown => values[key] });

describe('readStackProps', () => {
  it('leaves every prop at its default when no context is given', () => {
    expect(readStackProps(contextOf({}))).toEqual({});
  });

  it('reads the string values of -c flags', () => {
    const props = readStackProps(
      contextOf({
        autoScalingGroupNames: 'workers, gpu-workers',
        instanceStateChanges: 'false',
        resyncIntervalMinutes: '10',
        tableRemovalPolicy: 'destroy',
        reserveConcurrency: 'false',
        alarmEmail: 'oncall@example.com',
        logLevel: 'debug',
        nodeLivenessIntervalMinutes: '2',
        nodeGracePeriodSeconds: '120',
        pushChannel: 'false',
      }),
    );

    expect(props).toEqual({
      autoScalingGroupNames: ['workers', 'gpu-workers'],
      instanceStateChanges: false,
      resyncInterval: Duration.minutes(10),
      tableRemovalPolicy: RemovalPolicy.DESTROY,
      reserveConcurrency: false,
      alarmEmail: 'oncall@example.com',
      logLevel: 'DEBUG',
      nodeLivenessInterval: Duration.minutes(2),
      nodeGracePeriod: Duration.seconds(120),
      pushChannel: false,
    });
  });

  it('reads typed values from cdk.json', () => {
    const props = readStackProps(
      contextOf({ autoScalingGroupNames: ['workers'], reserveConcurrency: true, resyncIntervalMinutes: 2 }),
    );

    expect(props).toEqual({
      autoScalingGroupNames: ['workers'],
      reserveConcurrency: true,
      resyncInterval: Duration.minutes(2),
    });
  });

  it.each([
    [{ autoScalingGroupNames: ' , ' }, /names nothing/],
    [{ instanceStateChanges: 'no' }, /true or false/],
    [{ resyncIntervalMinutes: 'soon' }, /must be a number/],
    [{ tableRemovalPolicy: 'snapshot' }, /retain or destroy/],
    [{ logLevel: 'verbose' }, /one of DEBUG, INFO, WARN, ERROR/],
    [{ pushChannel: 'off' }, /pushChannel must be true or false/],
  ])('refuses %j', (values, message) => {
    expect(() => readStackProps(contextOf(values))).toThrow(message);
  });
});
