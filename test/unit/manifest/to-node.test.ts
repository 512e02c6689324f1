import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { toNode } from '../../../lib/manifest/to-node.js';
import { type Node, nodeReadyStatus } from '../../../lib/model/node.js';
import { fixtureObjects } from '../../fixtures/manifests/manifest-fixtures.js';

function fixtureNodes(): Node[] {
  return fixtureObjects('nodes.yaml').map((manifest) => {
    const result = toNode(manifest.object);
    if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
    return result.value;
  });
}

function errorLines(spec: Record<string, unknown>): string[] {
  const result = toNode({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec });
  return result.ok ? [] : result.errors.map(formatFieldError);
}

describe('toNode', () => {
  it('reads the four fixture nodes', () => {
    const nodes = fixtureNodes();

    expect(nodes.map((node) => [node.name, nodeReadyStatus(node), node.unschedulable])).toEqual([
      ['control-plane-1', 'True', false],
      ['gpu-1', 'True', false],
      ['worker-notready', 'False', false],
      ['worker-cordoned', 'True', true],
    ]);
  });

  it('keeps taints, labels, allocatable and versions', () => {
    const [controlPlane, gpu, notReady, cordoned] = fixtureNodes();

    expect(controlPlane).toMatchObject({
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      labels: { 'node-role.kubernetes.io/control-plane': '' },
      allocatable: { cpu: '2', memory: '3880736Ki', pods: '110' },
      creationTimestamp: '2024-05-02T09:14:07Z',
      resourceVersion: '48213',
    });
    expect(gpu?.labels['hardware']).toBe('gpu');
    expect(gpu?.taints).toEqual([]);
    expect(notReady?.taints).toEqual([
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2024-05-03T10:58:02Z' },
    ]);
    expect(cordoned?.taints).toEqual([
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2024-05-03T10:40:19Z' },
    ]);
  });

  it('keeps the conditions without heartbeat noise', () => {
    const notReady = fixtureNodes()[2];

    expect(notReady?.conditions.find((condition) => condition.type === 'Ready')).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'KubeletNotReady',
      message:
        'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
      lastTransitionTime: '2024-05-03T10:57:44Z',
    });
  });

  it('reads a bare node with defaults', () => {
    const result = toNode({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } });

    expect(result).toEqual({
      ok: true,
      value: { name: 'n', labels: {}, taints: [], unschedulable: false, conditions: [], allocatable: {} },
    });
  });

  it('keeps a numeric quantity and resourceVersion as text', () => {
    const result = toNode({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n', resourceVersion: 12 },
      status: { allocatable: { cpu: 4 } },
    });

    expect(result.ok && result.value).toMatchObject({ allocatable: { cpu: '4' }, resourceVersion: '12' });
  });

  it.each<[string, Record<string, unknown>, readonly string[]]>([
    ['a taint without effect', { taints: [{ key: 'a' }] }, ['spec.taints[0].effect: Required value']],
    [
      'an unknown taint effect',
      { taints: [{ key: 'a', effect: 'NoRun' }] },
      [
        'spec.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
    [
      'a taint without key',
      { taints: [{ effect: 'NoSchedule' }] },
      [
        'spec.taints[0].key: Invalid value: "": name part must be non-empty',
        expect.stringMatching(/^spec\.taints\[0\]\.key: Invalid value: "": name part must consist of/) as never,
      ],
    ],
    [
      'a taint value that is not a label value',
      { taints: [{ key: 'a', value: 'x y', effect: 'NoSchedule' }] },
      [expect.stringMatching(/^spec\.taints\[0\]\.value: Invalid value: "x y": a valid label must be/) as never],
    ],
    [
      'two taints with one key and effect',
      {
        taints: [
          { key: 'a', value: '1', effect: 'NoSchedule' },
          { key: 'a', value: '2', effect: 'NoSchedule' },
        ],
      },
      [
        'spec.taints[1]: Duplicate value: {"key":"a","value":"2","effect":"NoSchedule"}: taints must be unique by key and effect pair',
      ],
    ],
    [
      'unschedulable that is not a boolean',
      { unschedulable: 'true' },
      ['spec.unschedulable: Invalid value: "true": must be a boolean'],
    ],
  ])('reports %s', (_name, spec, expected) => {
    expect(errorLines(spec)).toEqual(expected);
  });

  it('reports a condition status Kubernetes does not know', () => {
    const result = toNode({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n' },
      status: { conditions: [{ type: 'Ready', status: 'Yes' }] },
    });

    expect(result.ok ? [] : result.errors.map(formatFieldError)).toEqual([
      'status.conditions[0].status: Unsupported value: "Yes": supported values: "True", "False", "Unknown"',
    ]);
  });

  it('reports a missing name and a wrong kind', () => {
    const result = toNode({ apiVersion: 'v1', kind: 'Pod', metadata: {} });

    expect(result.ok ? [] : result.errors.map(formatFieldError)).toEqual([
      'kind: Unsupported value: "Pod": supported values: "Node"',
      'metadata.name: Required value: name or generateName is required',
    ]);
  });
});
