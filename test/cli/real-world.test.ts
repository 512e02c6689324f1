import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, runEverynode } from './run-everynode.js';

/**
 * The published DaemonSet files and node listings in `../shared/real-world/` (see its SOURCES.md): read from
 * there, never copied into the repository, and skipped where the folder is absent.
 */
const CORPUS = join(REPOSITORY_ROOT, '..', 'shared', 'real-world');
const MANIFESTS = join(CORPUS, 'manifests');
const NODES = join(CORPUS, 'nodes');

/** The files a current API server refuses, and the one line it refuses each with. */
const REFUSED: Readonly<Record<string, string>> = {
  // The negative control: no current server serves extensions/v1beta1.
  'k8s-metadata-proxy-v1beta1.yaml':
    'apiVersion: Unsupported value: "extensions/v1beta1": supported values: "apps/v1", "apps.kruise.io/v1alpha1", "apps.kruise.io/v1beta1"',
  // `kubectl get ds -o json` of an old cluster: apps/v1 has no templateGeneration, and strict field validation says so.
  'k9s-get-ds.json': 'strict decoding error: unknown field "spec.templateGeneration"',
};

const files = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).toSorted() : []);

describe.skipIf(!existsSync(MANIFESTS))('the published DaemonSet files', () => {
  it.each(files(MANIFESTS))('%s validates, or is refused exactly where the API server refuses it', async (file) => {
    const result = await runEverynode(['validate', '-f', join(MANIFESTS, file)]);

    const refusal = REFUSED[file];
    if (refusal === undefined) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/ is valid\n$/);
      for (const line of result.stdout.trimEnd().split('\n')) {
        expect(line).toMatch(/ is valid$| skipped: everynode manages DaemonSets and Nodes$/);
      }
    } else {
      expect(result.code).toBe(2);
      const errors = result.stderr
        .trimEnd()
        .split('\n')
        .filter((line) => !line.endsWith(' skipped: everynode manages DaemonSets and Nodes'));
      expect(errors).toEqual([refusal]);
    }
  });

  it('validates both DaemonSets of the antrea addon and names nothing skipped', async () => {
    const result = await runEverynode(['validate', '-f', join(MANIFESTS, 'k8s-antrea.yaml')]);

    expect(result).toEqual({
      code: 0,
      stdout:
        'daemonset.apps/antrea-node-init (kube-system) is valid\ndaemonset.apps/antrea-agent (kube-system) is valid\n',
      stderr: '',
    });
  });

  it('names the objects of flannel it skips, as kubectl names them', async () => {
    const result = await runEverynode(['validate', '-f', join(MANIFESTS, 'flannel.yml')]);

    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'namespace/kube-flannel skipped: everynode manages DaemonSets and Nodes',
      'clusterrole.rbac.authorization.k8s.io/flannel skipped: everynode manages DaemonSets and Nodes',
      'clusterrolebinding.rbac.authorization.k8s.io/flannel skipped: everynode manages DaemonSets and Nodes',
      'serviceaccount/flannel skipped: everynode manages DaemonSets and Nodes',
      'configmap/kube-flannel-cfg skipped: everynode manages DaemonSets and Nodes',
      'daemonset.apps/kube-flannel-ds (kube-flannel) is valid',
      '',
    ]);
  });

  it('plans every DaemonSet of a kubectl get ds -o yaml list against a kind cluster', async () => {
    const result = await runEverynode([
      'plan',
      '-f',
      join(MANIFESTS, 'popeye-ds-list.yaml'),
      '--nodes',
      join(NODES, 'autoscaler-kind-nodelist.yaml'),
      '-o',
      'json',
    ]);

    expect(result.code).toBe(0);
    const plans = JSON.parse(result.stdout) as { daemonSet: { name: string }; nodes: unknown[] }[];
    expect(plans.map((plan) => plan.daemonSet.name)).toEqual(['ds1', 'ds2', 'ds2']);
    expect(plans.every((plan) => plan.nodes.length === 2)).toBe(true);
  });
});

describe.skipIf(!existsSync(NODES))('the published node listings', () => {
  it.each(files(NODES))('%s validates', async (file) => {
    const result = await runEverynode(['validate', '-f', join(NODES, file)]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^(node\/\S+ is valid\n)+$/);
  });
});
