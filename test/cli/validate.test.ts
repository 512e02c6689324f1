import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, runEverynode } from './run-everynode.js';

describe('everynode validate', () => {
  it('confirms a valid manifest and exits 0', async () => {
    const result = await runEverynode(['validate', '-f', fixture('fluentd.yaml')]);

    expect(result).toEqual({ code: 0, stdout: 'daemonset.apps/fluentd-logger (kube-system) is valid\n', stderr: '' });
  });

  it('prints one field path and message per error and exits 2', async () => {
    const result = await runEverynode(['validate', '-f', fixture('invalid-tolerations.yaml')]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'spec.template.spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.template.spec.tolerations[1].operator: Invalid value: "true": value must be empty when `operator` is \'Exists\'',
      'spec.template.spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      'spec.template.spec.tolerations[3].operator: Unsupported value: "Matches": supported values: "Equal", "Exists"',
      'spec.template.spec.tolerations[3].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it('reports a selector that does not match the template labels at its field path', async () => {
    const result = await runEverynode(['validate', '-f', fixture('invalid-selector-mismatch.yaml')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`\n$/,
    );
  });

  it('names a missing file and exits 2', async () => {
    const result = await runEverynode(['validate', '-f', 'no-such-file.yaml']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: the path "no-such-file.yaml" does not exist\n');
  });

  it('names the file, line and column of unparseable YAML and exits 2', async () => {
    const result = await runEverynode(['validate', '-f', fixture('invalid-syntax.yaml')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: test\/fixtures\/manifests\/invalid-syntax\.yaml:\d+:\d+: .+\n$/);
  });

  it('reads the manifest from standard input with -f -', async () => {
    const manifest = await readFile(fixture('fluentd.yaml'), 'utf8');

    const result = await runEverynode(['validate', '-f', '-'], { input: manifest });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('daemonset.apps/fluentd-logger (kube-system) is valid\n');
  });

  it('validates the Nodes of a file, as apply would store them', async () => {
    const result = await runEverynode(['validate', '-f', fixture('nodes.yaml')]);

    expect(result).toEqual({
      code: 0,
      stdout:
        'node/control-plane-1 is valid\nnode/gpu-1 is valid\nnode/worker-notready is valid\nnode/worker-cordoned is valid\n',
      stderr: '',
    });
  });

  it('validates every DaemonSet of a multi-document file', async () => {
    const input = `${await readFile(fixture('fluentd.yaml'), 'utf8')}\n---\n${await readFile(fixture('gpu-monitor.yaml'), 'utf8')}`;

    const result = await runEverynode(['validate', '-f', '-'], { input });

    expect(result).toEqual({
      code: 0,
      stdout:
        'daemonset.apps/fluentd-logger (kube-system) is valid\ndaemonset.apps/gpu-monitor (monitoring) is valid\n',
      stderr: '',
    });
  });

  it('names the invalid DaemonSet of a multi-document file above its errors', async () => {
    const input = `${await readFile(fixture('fluentd.yaml'), 'utf8')}\n---\n${await readFile(fixture('invalid-selector-mismatch.yaml'), 'utf8')}`;

    const result = await runEverynode(['validate', '-f', '-'], { input });

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: <stdin>: daemonset\.apps\/\S+ is invalid:\nspec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`\n$/,
    );
  });

  it('names each object of another kind it skips and exits 0', async () => {
    const input = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: logging\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: fluentd\n---\n${await readFile(fixture('fluentd.yaml'), 'utf8')}`;

    const result = await runEverynode(['validate', '-f', '-'], { input });

    expect(result).toEqual({
      code: 0,
      stdout: [
        'namespace/logging skipped: everynode manages DaemonSets and Nodes',
        'clusterrole.rbac.authorization.k8s.io/fluentd skipped: everynode manages DaemonSets and Nodes',
        'daemonset.apps/fluentd-logger (kube-system) is valid',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('exits 2 when a file holds neither a DaemonSet nor a Node, in the words apply uses', async () => {
    const input = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';

    const result = await runEverynode(['validate', '-f', '-'], { input });

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'deployment.apps/web skipped: everynode manages DaemonSets and Nodes\nerror: no DaemonSet or Node in <stdin>\n',
    });
  });

  it('reads YAML 1.1 as kubectl does: hostNetwork: yes is a boolean', async () => {
    const input = (await readFile(fixture('fluentd.yaml'), 'utf8')).replace(
      /^(\s+)containers:/m,
      '$1hostNetwork: yes\n$1containers:',
    );

    const result = await runEverynode(['validate', '-f', '-'], { input });

    expect(result).toMatchObject({ code: 0, stdout: 'daemonset.apps/fluentd-logger (kube-system) is valid\n' });
  });

  it('refuses a 300 KB annotation with the API server limit, before apply would send it', async () => {
    const input = (await readFile(fixture('fluentd.yaml'), 'utf8')).replace(
      /^metadata:\n/m,
      `metadata:\n  annotations:\n    example.com/blob: "${'x'.repeat(300 * 1024)}"\n`,
    );

    const result = await runEverynode(['validate', '-f', '-'], { input });

    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'metadata.annotations: Too long: may not be more than 262144 bytes\n',
    });
  });

  it('prints an OpenKruise DaemonSet in its own API group', async () => {
    const result = await runEverynode(['validate', '-f', fixture('kruise-v1beta1.yaml')]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^daemonset\.apps\.kruise\.io\/\S+ \(\S+\) is valid\n$/);
  });

  it('exits 2 on a usage error', async () => {
    const result = await runEverynode(['validate']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '-f, --filename <file>' not specified");
  });
});
