import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { LogLevel } from './function-environment.js';
import type { ReconcilerStackProps } from './reconciler-stack.js';

/** Context keys (`cdk deploy -c key=value`, or `context` in cdk.json) the app reads. */
export const CONTEXT_KEYS = {
  autoScalingGroupNames: 'autoScalingGroupNames',
  instanceStateChanges: 'instanceStateChanges',
  resyncIntervalMinutes: 'resyncIntervalMinutes',
  tableRemovalPolicy: 'tableRemovalPolicy',
  reserveConcurrency: 'reserveConcurrency',
  alarmEmail: 'alarmEmail',
  logLevel: 'logLevel',
  lifecycleHookGroups: 'lifecycleHookGroups',
  gateLaunches: 'gateLaunches',
  nodeLivenessIntervalMinutes: 'nodeLivenessIntervalMinutes',
  nodeGracePeriodSeconds: 'nodeGracePeriodSeconds',
  pushChannel: 'pushChannel',
} as const;

type ContextReader = Readonly<{ tryGetContext(key: string): unknown }>;

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * Turns context values into stack props. `-c` values arrive as strings, cdk.json values may be typed,
 * so both `"a,b"` and `["a", "b"]`, `"false"` and `false` are accepted. Unknown values are refused
 * rather than ignored.
 */
export function readStackProps(node: ContextReader): ReconcilerStackProps {
  const groups = node.tryGetContext(CONTEXT_KEYS.autoScalingGroupNames);
  const stateChanges = node.tryGetContext(CONTEXT_KEYS.instanceStateChanges);
  const interval = node.tryGetContext(CONTEXT_KEYS.resyncIntervalMinutes);
  const removal = node.tryGetContext(CONTEXT_KEYS.tableRemovalPolicy);
  const reserve = node.tryGetContext(CONTEXT_KEYS.reserveConcurrency);
  const email = node.tryGetContext(CONTEXT_KEYS.alarmEmail);
  const logLevel = node.tryGetContext(CONTEXT_KEYS.logLevel);
  const hookGroups = node.tryGetContext(CONTEXT_KEYS.lifecycleHookGroups);
  const gateLaunches = node.tryGetContext(CONTEXT_KEYS.gateLaunches);
  const livenessInterval = node.tryGetContext(CONTEXT_KEYS.nodeLivenessIntervalMinutes);
  const grace = node.tryGetContext(CONTEXT_KEYS.nodeGracePeriodSeconds);
  const push = node.tryGetContext(CONTEXT_KEYS.pushChannel);
  return {
    ...(groups === undefined ? {} : { autoScalingGroupNames: toList(CONTEXT_KEYS.autoScalingGroupNames, groups) }),
    ...(stateChanges === undefined
      ? {}
      : { instanceStateChanges: toBoolean(CONTEXT_KEYS.instanceStateChanges, stateChanges) }),
    ...(interval === undefined
      ? {}
      : { resyncInterval: Duration.minutes(toNumber(CONTEXT_KEYS.resyncIntervalMinutes, interval)) }),
    ...(removal === undefined ? {} : { tableRemovalPolicy: toRemovalPolicy(removal) }),
    ...(reserve === undefined ? {} : { reserveConcurrency: toBoolean(CONTEXT_KEYS.reserveConcurrency, reserve) }),
    ...(email === undefined ? {} : { alarmEmail: String(email) }),
    ...(logLevel === undefined ? {} : { logLevel: toLogLevel(logLevel) }),
    ...(hookGroups === undefined ? {} : { lifecycleHookGroups: toList(CONTEXT_KEYS.lifecycleHookGroups, hookGroups) }),
    ...(gateLaunches === undefined ? {} : { gateLaunches: toBoolean(CONTEXT_KEYS.gateLaunches, gateLaunches) }),
    ...(livenessInterval === undefined
      ? {}
      : {
          nodeLivenessInterval: Duration.minutes(toNumber(CONTEXT_KEYS.nodeLivenessIntervalMinutes, livenessInterval)),
        }),
    ...(grace === undefined
      ? {}
      : { nodeGracePeriod: Duration.seconds(toNumber(CONTEXT_KEYS.nodeGracePeriodSeconds, grace)) }),
    ...(push === undefined ? {} : { pushChannel: toBoolean(CONTEXT_KEYS.pushChannel, push) }),
  };
}

function toList(key: string, value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const names = items.map((item) => item.trim()).filter((item) => item !== '');
  if (names.length === 0) throw new Error(`context ${key} names nothing; leave it out to follow every group`);
  return names;
}

function toBoolean(key: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

function toNumber(key: string, value: unknown): number {
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(number) || String(value).trim() === '') {
    throw new Error(`context ${key} must be a number, got ${JSON.stringify(value)}`);
  }
  return number;
}

function toRemovalPolicy(value: unknown): RemovalPolicy {
  if (value === 'retain') return RemovalPolicy.RETAIN;
  if (value === 'destroy') return RemovalPolicy.DESTROY;
  throw new Error(`context ${CONTEXT_KEYS.tableRemovalPolicy} must be retain or destroy, got ${JSON.stringify(value)}`);
}

function toLogLevel(value: unknown): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === String(value).toUpperCase());
  if (level === undefined) {
    throw new Error(
      `context ${CONTEXT_KEYS.logLevel} must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return level;
}
