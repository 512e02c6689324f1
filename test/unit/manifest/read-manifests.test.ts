import { describe, expect, it } from 'vitest';
import { ManifestSyntaxError, readManifests } from '../../../lib/manifest/read-manifests.js';
import { fixtureObjects, readFixture } from '../../fixtures/manifests/manifest-fixtures.js';

const kinds = (text: string) =>
  readManifests(text, 'input.yaml').map(({ apiVersion, kind }) => `${apiVersion} ${kind}`);

describe('readManifests', () => {
  it('reads one YAML document', () => {
    const manifests = fixtureObjects('fluentd.yaml');

    expect(manifests).toHaveLength(1);
    expect(manifests[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'DaemonSet', source: 'fluentd.yaml', line: 1 });
    expect(manifests[0]?.object).toMatchObject({ metadata: { name: 'fluentd-logger', namespace: 'kube-system' } });
  });

  it('reads a multi-document stream and skips empty documents', () => {
    const text =
      '---\n# nothing here\n---\napiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Node\nmetadata: {name: b}\n...\n';

    const manifests = readManifests(text, 'nodes.yaml');

    expect(manifests.map((manifest) => manifest.object['metadata'])).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(manifests.map((manifest) => manifest.line)).toEqual([4, 9]);
  });

  it('reads JSON as kubectl -o json prints it', () => {
    const text = JSON.stringify({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' } }, null, 2);

    expect(kinds(text)).toEqual(['apps/v1 DaemonSet']);
  });

  it('flattens a List into its items, each with its own line', () => {
    const manifests = fixtureObjects('nodes.yaml');

    expect(manifests.map((manifest) => manifest.object['metadata'])).toMatchObject([
      { name: 'control-plane-1' },
      { name: 'gpu-1' },
      { name: 'worker-notready' },
      { name: 'worker-cordoned' },
    ]);
    expect(manifests.every((manifest) => manifest.kind === 'Node' && manifest.source === 'nodes.yaml')).toBe(true);
    expect(manifests[1]?.line).toBeGreaterThan(manifests[0]?.line ?? Number.POSITIVE_INFINITY);
  });

  it('gives items of a typed list the kind and apiVersion the API server leaves out', () => {
    const manifests = fixtureObjects('pods.yaml');

    expect(manifests.map(({ apiVersion, kind }) => `${apiVersion} ${kind}`)).toEqual(Array(4).fill('v1 Pod'));
    expect(manifests[0]?.object).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
  });

  it('flattens a JSON DaemonSetList', () => {
    const list = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSetList',
      items: [{ metadata: { name: 'a' } }, { kind: 'DaemonSet', metadata: { name: 'b' } }],
    };

    expect(kinds(JSON.stringify(list))).toEqual(['apps/v1 DaemonSet', 'apps/v1 DaemonSet']);
  });

  it('returns objects that lack apiVersion and kind for validation to report', () => {
    const manifests = readManifests('metadata:\n  name: x\n', 'bare.yaml');

    expect(manifests).toEqual([
      { apiVersion: '', kind: '', object: { metadata: { name: 'x' } }, source: 'bare.yaml', line: 1 },
    ]);
  });

  it('reads nothing from an empty text', () => {
    expect(readManifests('', 'empty.yaml')).toEqual([]);
    expect(readManifests('# only a comment\n', 'empty.yaml')).toEqual([]);
  });

  it('names the source, line and column of a YAML syntax error', () => {
    const read = () => readManifests(readFixture('invalid-syntax.yaml'), 'invalid-syntax.yaml');

    expect(read).toThrow(ManifestSyntaxError);
    expect(read).toThrow(
      'invalid-syntax.yaml:8:3: Flow map in block collection must be sufficiently indented and end with a }',
    );
  });

  it('exposes the position of a syntax error as fields', () => {
    let error: unknown;

    try {
      readManifests('apiVersion: v1\nkind: Node\nkind: Pod\n', 'dup.yaml');
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ManifestSyntaxError);
    expect(error).toMatchObject({ name: 'ManifestSyntaxError', source: 'dup.yaml', line: 3, column: 1 });
    expect(String(error)).toContain('dup.yaml:3:1: Map keys must be unique');
  });

  it('names the position of broken JSON', () => {
    const read = () => readManifests('{\n  "kind": "Node",,\n}', 'node.json');

    expect(read).toThrow(/^node\.json:2:18: Unexpected , in flow map/);
  });

  it('refuses a document that is not an object', () => {
    const read = () => readManifests('apiVersion: v1\n---\n- a\n- b\n', 'list.yaml');

    expect(read).toThrow('list.yaml:3:1: expected a Kubernetes object, found a list');
  });

  describe('reads YAML as kubectl does (YAML 1.1)', () => {
    const read = (text: string) => readManifests(text, 'x.yaml')[0]?.object;

    it('reads yes, no, on and off as booleans', () => {
      expect(read('a: yes\nb: no\nc: on\nd: off\ne: "yes"\n')).toEqual({
        a: true,
        b: false,
        c: true,
        d: false,
        e: 'yes',
      });
    });

    it('reads a leading zero as octal, so defaultMode 0644 is 420', () => {
      expect(read('defaultMode: 0644\nquoted: "0644"\n')).toEqual({ defaultMode: 420, quoted: '0644' });
    });

    it('applies << merge keys', () => {
      const text = 'base: &base {cpu: 100m, memory: 64Mi}\nlimits:\n  <<: *base\n  memory: 128Mi\n';

      expect(read(text)).toEqual({ base: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
    });

    it('keeps timestamps and colon-separated numbers as strings', () => {
      expect(read('creationTimestamp: 2024-05-03T11:05:00Z\nport: 8080:80\n')).toEqual({
        creationTimestamp: '2024-05-03T11:05:00Z',
        port: '8080:80',
      });
    });
  });
});
