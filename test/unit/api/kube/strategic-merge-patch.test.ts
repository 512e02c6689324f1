import { describe, expect, it } from 'vitest';
import {
  StrategicMergePatchError,
  strategicMergePatch,
} from '../../../../functions/api/kube/patch/strategic-merge-patch.js';
import type { JsonObject } from '../../../../lib/model/daemon-set.js';

const daemonSet: JsonObject = {
  metadata: { name: 'fluentd', labels: { app: 'fluentd', tier: 'logging' }, finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'fluentd',
            image: 'fluentd:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 24224, protocol: 'TCP' }],
            volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
            args: ['-v'],
          },
          { name: 'sidecar', image: 'sidecar:1' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
        volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
      },
    },
  },
};

const template = (patched: unknown) =>
  (patched as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
const containers = (patched: unknown) => template(patched)['containers'] as JsonObject[];

describe('strategicMergePatch', () => {
  it('merges containers by name: an image change leaves the other container and fields alone', () => {
    const patched = strategicMergePatch(daemonSet, {
      spec: { template: { spec: { containers: [{ name: 'fluentd', image: 'fluentd:2' }] } } },
    });

    expect(containers(patched).map((container) => [container['name'], container['image']])).toEqual([
      ['fluentd', 'fluentd:2'],
      ['sidecar', 'sidecar:1'],
    ]);
    expect(containers(patched)[0]?.['env']).toEqual((containers(daemonSet)[0] as JsonObject)['env']);
  });

  it('merges env by name, ports by containerPort and volumeMounts by mountPath; replaces args', () => {
    const patched = strategicMergePatch(daemonSet, {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'fluentd',
                env: [
                  { name: 'B', value: 'two' },
                  { name: 'C', value: '3' },
                ],
                ports: [{ containerPort: 24224, hostPort: 24224 }],
                volumeMounts: [{ mountPath: '/var/log', readOnly: true }],
                args: ['-q'],
              },
            ],
          },
        },
      },
    });
    const fluentd = containers(patched)[0] as JsonObject;

    expect(fluentd['env']).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    expect(fluentd['ports']).toEqual([{ containerPort: 24224, protocol: 'TCP', hostPort: 24224 }]);
    expect(fluentd['volumeMounts']).toEqual([{ name: 'varlog', mountPath: '/var/log', readOnly: true }]);
    expect(fluentd['args']).toEqual(['-q']);
  });

  it('replaces tolerations whole, as Kubernetes does (they have no merge key)', () => {
    const patched = strategicMergePatch(daemonSet, {
      spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } },
    });

    expect(template(patched)['tolerations']).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('deletes with null and with $patch: delete, and replaces with $patch: replace', () => {
    const patched = strategicMergePatch(daemonSet, {
      metadata: { labels: { tier: null } },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'sidecar', $patch: 'delete' }],
            volumes: [{ name: 'data', emptyDir: {} }, { $patch: 'replace' }],
          },
        },
      },
    }) as JsonObject;

    expect((patched['metadata'] as JsonObject)['labels']).toEqual({ app: 'fluentd' });
    expect(containers(patched).map((container) => container['name'])).toEqual(['fluentd']);
    expect(template(patched)['volumes']).toEqual([{ name: 'data', emptyDir: {} }]);

    const replaced = strategicMergePatch(daemonSet, {
      spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'x', image: 'x:1' }] } } },
    });
    expect((replaced as { spec: { template: unknown } }).spec.template).toEqual({
      spec: { containers: [{ name: 'x', image: 'x:1' }] },
    });
  });

  it('orders a merged list by $setElementOrder, as kubectl apply sends it', () => {
    const patched = strategicMergePatch(daemonSet, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'fluentd' }],
            containers: [{ name: 'sidecar', image: 'sidecar:2' }],
          },
        },
      },
    });

    expect(containers(patched).map((container) => `${container['name']}=${container['image']}`)).toEqual([
      'sidecar=sidecar:2',
      'fluentd=fluentd:1',
    ]);
  });

  it('merges finalizers as a set and removes values with $deleteFromPrimitiveList', () => {
    const added = strategicMergePatch(daemonSet, { metadata: { finalizers: ['a', 'b'] } }) as JsonObject;
    expect((added['metadata'] as JsonObject)['finalizers']).toEqual(['a', 'b']);

    const removed = strategicMergePatch(added, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
    }) as JsonObject;
    expect((removed['metadata'] as JsonObject)['finalizers']).toEqual(['b']);
  });

  it('keeps only the listed keys with $retainKeys (a hostPath volume becoming an emptyDir)', () => {
    const patched = strategicMergePatch(daemonSet, {
      spec: {
        template: {
          spec: { volumes: [{ name: 'varlog', emptyDir: {}, $retainKeys: ['emptyDir', 'name'] }] },
        },
      },
    });

    expect(template(patched)['volumes']).toEqual([{ name: 'varlog', emptyDir: {} }]);
  });

  it('refuses an unknown $patch directive', () => {
    expect(() => strategicMergePatch(daemonSet, { spec: { $patch: 'explode' } })).toThrow(StrategicMergePatchError);
  });

  it('does not change its input', () => {
    const before = JSON.stringify(daemonSet);
    strategicMergePatch(daemonSet, { spec: { template: { spec: { containers: [{ name: 'fluentd', image: 'x' }] } } } });

    expect(JSON.stringify(daemonSet)).toBe(before);
  });
});
