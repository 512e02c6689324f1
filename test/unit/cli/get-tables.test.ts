import { describe, expect, it } from 'vitest';
import { formatDaemonSets } from '../../../cli/output/format-daemon-sets.js';
import { formatNodes } from '../../../cli/output/format-nodes.js';
import { formatPods, podNodeName } from '../../../cli/output/format-pods.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const HOUR_AGO = '2026-01-01T00:00:00Z';

describe('formatDaemonSets', () => {
  const daemonSet = {
    metadata: { name: 'gpu-monitor', namespace: 'monitoring', creationTimestamp: HOUR_AGO },
    spec: {
      selector: {
        matchLabels: { app: 'gpu' },
        matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['test'] }],
      },
      template: {
        spec: { nodeSelector: { hardware: 'gpu' }, containers: [{ name: 'dcgm', image: 'nvcr.io/dcgm:3' }] },
      },
    },
    status: {
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 1,
    },
  };

  it('prints kubectl columns', () => {
    const table = formatDaemonSets([daemonSet], false, NOW);

    expect(table.split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['NAMESPACE', 'NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
      ['monitoring', 'gpu-monitor', '2', '2', '1', '2', '1', 'hardware=gpu', '60m'],
    ]);
  });

  it('adds containers, images and the selector when wide', () => {
    const table = formatDaemonSets([daemonSet], true, NOW);

    expect(
      table
        .split('\n')[1]
        ?.split(/\s{2,}/)
        .slice(-3),
    ).toEqual(['dcgm', 'nvcr.io/dcgm:3', 'app=gpu,tier notin (test)']);
  });
});

describe('formatPods', () => {
  const pod = {
    metadata: {
      name: 'fluentd-abc',
      namespace: 'kube-system',
      creationTimestamp: HOUR_AGO,
      labels: { 'controller-revision-hash': '6d9f' },
    },
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-1'] }] }],
          },
        },
      },
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };

  it('prints READY from the Ready condition, and NODE from the node affinity of an unscheduled pod', () => {
    const table = formatPods([pod], { wide: true, withNamespace: true, now: NOW });

    expect(table.split('\n')[1]?.split(/\s{2,}/)).toEqual([
      'kube-system',
      'fluentd-abc',
      '1/1',
      'Running',
      '0',
      '60m',
      'gpu-1',
      '6d9f',
    ]);
  });

  it('shows a deleting pod as Terminating', () => {
    const terminating = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: HOUR_AGO } };

    const table = formatPods([terminating], { wide: false, withNamespace: false, now: NOW });

    expect(table.split('\n')[1]).toMatch(/^fluentd-abc +1\/1 +Terminating +0 +60m$/);
  });

  it('reads the node of a scheduled pod from spec.nodeName', () => {
    const node = podNodeName({ spec: { nodeName: 'worker-1' } });

    expect(node).toBe('worker-1');
  });
});

describe('formatNodes', () => {
  it('marks a gated node StartupGated, and StartupTimeout once its gate deadline passed', () => {
    const gated = (reason: string) => ({
      metadata: { name: 'i-1', creationTimestamp: HOUR_AGO },
      spec: { taints: [{ key: 'everynode.io/startup', effect: 'NoSchedule' }] },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'everynode.io/StartupComplete', status: 'False', reason },
        ],
      },
    });
    const open = { ...gated('CriticalPodsAvailable'), spec: {} };

    const statuses = [gated('WaitingForCriticalPods'), gated('StartupTimeout'), open].map(
      (node) =>
        formatNodes([node], false, NOW)
          .split('\n')[1]
          ?.split(/\s{2,}/)[1],
    );

    expect(statuses).toEqual(['Ready,StartupGated', 'Ready,StartupTimeout', 'Ready']);
  });

  it('prints status with SchedulingDisabled, roles and taints', () => {
    const node = {
      metadata: { name: 'cp-1', creationTimestamp: HOUR_AGO, labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.29.3' } },
    };

    const table = formatNodes([node], true, NOW);

    expect(
      table
        .split('\n')[1]
        ?.split(/\s{2,}/)
        .slice(0, 6),
    ).toEqual([
      'cp-1',
      'NotReady,SchedulingDisabled',
      'control-plane',
      '60m',
      'v1.29.3',
      'node-role.kubernetes.io/control-plane:NoSchedule',
    ]);
  });
});
