import { describe, expect, it } from 'vitest';
import { daemonSetManifest } from '../fixtures/manifests/manifest-fixtures.js';
import { scratchFolder, writeYaml } from './pod-manifests.js';
import { runEverynode } from './run-everynode.js';

const NOW = '2024-05-03T11:05:00Z';

function node(name: string, taints: readonly Record<string, string>[], labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } };
}

const GATE = { key: 'everynode.io/startup', effect: 'NoSchedule' };

/** A joining node with the gate taint, an open node, and a gated node the GPU DaemonSet's selector skips. */
const NODES = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    node('worker-joining', [GATE], { 'kubernetes.io/os': 'linux' }),
    node('worker-open', [], { 'kubernetes.io/os': 'linux' }),
    node('worker-joining-cpu', [{ ...GATE, value: 'true' }], { 'kubernetes.io/os': 'linux' }),
  ],
};

function daemonSet(name: string, annotations: Record<string, string>, nodeSelector?: Record<string, string>) {
  return daemonSetManifest(
    [['metadata', 'name'], name],
    [['metadata', 'namespace'], 'kube-system'],
    [['metadata', 'annotations'], annotations],
    [['spec', 'selector', 'matchLabels', 'name'], name],
    [['spec', 'template', 'metadata', 'labels', 'name'], name],
    [['spec', 'template', 'spec', 'nodeSelector'], nodeSelector],
  );
}

function writeCluster(): Readonly<{ manifests: string; nodes: string }> {
  const folder = scratchFolder();
  return {
    manifests: writeYaml(folder, 'daemonsets.yaml', {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        daemonSet('cni', { 'everynode.io/startup-critical': 'true' }),
        daemonSet('log-shipper', {}),
        daemonSet('gpu-exporter', {}, { 'nvidia.com/gpu': 'true' }),
      ],
    }),
    nodes: writeYaml(folder, 'nodes.yaml', NODES),
  };
}

describe('everynode plan with gated nodes (taint everynode.io/startup)', () => {
  it('tells, per gated node, which DaemonSets get their pod at once and which only after the gate (-o json)', async () => {
    const { manifests, nodes } = writeCluster();

    const result = await runEverynode(['plan', '-f', manifests, '--nodes', nodes, '--now', NOW, '-o', 'json']);

    expect(result.code).toBe(0);
    const [cni, logs, gpu] = JSON.parse(result.stdout);
    expect(cni.nodes).toEqual([
      { name: 'worker-joining', shouldRun: true, shouldContinueRunning: true, reasons: [], startupGate: 'atOnce' },
      // Not gated: no startupGate key, the contract for ordinary nodes is unchanged.
      { name: 'worker-open', shouldRun: true, shouldContinueRunning: true, reasons: [] },
      { name: 'worker-joining-cpu', shouldRun: true, shouldContinueRunning: true, reasons: [], startupGate: 'atOnce' },
    ]);
    expect(cni.actions).toHaveLength(3);
    expect(logs.nodes[0]).toEqual({
      name: 'worker-joining',
      shouldRun: false,
      shouldContinueRunning: true,
      reasons: ['taint everynode.io/startup:NoSchedule is not tolerated'],
      startupGate: 'afterGate',
    });
    // The ordinary DaemonSet gets a pod only on the open node in this step: the gate holds the others.
    expect(logs.actions).toEqual([{ action: 'create', node: 'worker-open' }]);
    // A DaemonSet that does not run on the node even after the gate says nothing about the gate.
    expect(gpu.nodes.map((each: Record<string, unknown>) => each['startupGate'])).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('marks after-gate rows and sums up each gated node across the DaemonSets (table)', async () => {
    const { manifests, nodes } = writeCluster();

    const result = await runEverynode(['plan', '-f', manifests, '--nodes', nodes, '--now', NOW]);

    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^✓ +worker-joining +yes, at once \(startup-critical\)$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^◷ +worker-joining +after the startup gate +taint everynode\.io\/startup:NoSchedule is not tolerated$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringContaining('◷ gets a pod once the node’s startup gate opens'));
    const summary = result.stdout.slice(result.stdout.indexOf('Startup gate (nodes with the everynode.io/startup'));
    expect(summary.split('\n').slice(2)).toEqual([
      expect.stringMatching(/^NODE +AT ONCE \(STARTUP-CRITICAL\) +AFTER THE GATE OPENS$/),
      expect.stringMatching(/^worker-joining +kube-system\/cni +kube-system\/log-shipper$/),
      expect.stringMatching(/^worker-joining-cpu +kube-system\/cni +kube-system\/log-shipper$/),
      '',
    ]);
  });

  it('prints no gate legend or summary when no node is gated', async () => {
    const { manifests } = writeCluster();
    const open = writeYaml(scratchFolder(), 'open.yaml', { apiVersion: 'v1', kind: 'List', items: [NODES.items[1]] });

    const result = await runEverynode(['plan', '-f', manifests, '--nodes', open, '--now', NOW]);

    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('startup gate');
    expect(result.stdout).not.toContain('Startup gate');
  });
});
