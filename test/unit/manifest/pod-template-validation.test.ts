import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { daemonSetManifest, type ManifestEdit } from '../../fixtures/manifests/manifest-fixtures.js';

const SPEC = ['spec', 'template', 'spec'];
const CONTAINER = 'spec.template.spec.containers[0]';
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUANTITY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const container = (fields: Record<string, unknown>): ManifestEdit => [
  [...SPEC, 'containers'],
  [{ name: 'agent', image: 'example/agent:1.0', ...fields }] as never,
];
const volumes = (list: unknown): ManifestEdit => [[...SPEC, 'volumes'], list as never];

function errorLines(...edits: readonly ManifestEdit[]): string[] {
  const result = toDaemonSet(daemonSetManifest(...edits), { strict: true });
  return result.ok ? [] : result.errors.map(formatFieldError);
}

describe('toDaemonSet validates the pod template as the API server does', () => {
  it.each<[string, readonly ManifestEdit[], readonly string[]]>([
    [
      'a volumeMount naming no volume',
      [container({ volumeMounts: [{ name: 'config', mountPath: '/etc/agent' }] })],
      [`${CONTAINER}.volumeMounts[0].name: Not found: "config"`],
    ],
    [
      'two mounts at one path',
      [
        volumes([
          { name: 'a', emptyDir: {} },
          { name: 'b', emptyDir: {} },
        ]),
        container({
          volumeMounts: [
            { name: 'a', mountPath: '/data' },
            { name: 'b', mountPath: '/data' },
          ],
        }),
      ],
      [`${CONTAINER}.volumeMounts[1].mountPath: Invalid value: "/data": must be unique`],
    ],
    [
      'a defaultMode above 0777',
      [volumes([{ name: 'config', configMap: { name: 'agent', defaultMode: 0o1000 } }])],
      [
        'spec.template.spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      ],
    ],
    [
      'a negative item mode',
      [volumes([{ name: 'token', secret: { secretName: 'agent', items: [{ key: 'a', path: 'a', mode: -1 }] } }])],
      [
        'spec.template.spec.volumes[0].secret.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive',
      ],
    ],
    [
      'duplicate volume names',
      [
        volumes([
          { name: 'logs', hostPath: { path: '/var/log' } },
          { name: 'logs', emptyDir: {} },
        ]),
      ],
      ['spec.template.spec.volumes[1].name: Duplicate value: "logs"'],
    ],
    [
      'a volume with no source',
      [volumes([{ name: 'logs' }])],
      ['spec.template.spec.volumes[0]: Required value: must specify a volume type'],
    ],
    [
      'a volume with two sources',
      [volumes([{ name: 'logs', hostPath: { path: '/var/log' }, emptyDir: {} }])],
      ['spec.template.spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'a hostPath type Kubernetes does not know',
      [volumes([{ name: 'logs', hostPath: { path: '/var/log', type: 'Bogus' } }])],
      [
        'spec.template.spec.volumes[0].hostPath.type: Unsupported value: "Bogus": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    ],
    [
      'a cpu request above its limit',
      [container({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })],
      [`${CONTAINER}.resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1`],
    ],
    [
      'a memory request above its limit in other units',
      [container({ resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } })],
      [
        `${CONTAINER}.resources.requests[memory]: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi`,
      ],
    ],
    [
      'memory: 100MB',
      [container({ resources: { limits: { memory: '100MB' } } })],
      [`${CONTAINER}.resources.limits[memory]: Invalid value: "100MB": ${QUANTITY}`],
    ],
    [
      'imagePullPolicy: Sometimes',
      [container({ imagePullPolicy: 'Sometimes' })],
      [
        `${CONTAINER}.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
      ],
    ],
    [
      'a port name over 15 characters',
      [container({ ports: [{ name: 'prometheus-metrics', containerPort: 9100 }] })],
      [`${CONTAINER}.ports[0].name: Invalid value: "prometheus-metrics": must be no more than 15 characters`],
    ],
    [
      'two ports of one name',
      [
        container({
          ports: [
            { name: 'metrics', containerPort: 9100 },
            { name: 'metrics', containerPort: 9101 },
          ],
        }),
      ],
      [`${CONTAINER}.ports[1].name: Duplicate value: "metrics"`],
    ],
    [
      'dnsPolicy: Whatever',
      [[[...SPEC, 'dnsPolicy'], 'Whatever']],
      [
        'spec.template.spec.dnsPolicy: Unsupported value: "Whatever": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
    ],
    [
      'an invalid priorityClassName',
      [[[...SPEC, 'priorityClassName'], 'System_Node_Critical']],
      [`spec.template.spec.priorityClassName: Invalid value: "System_Node_Critical": ${SUBDOMAIN}`],
    ],
    [
      'an invalid serviceAccountName',
      [[[...SPEC, 'serviceAccountName'], 'Agent Account']],
      [`spec.template.spec.serviceAccountName: Invalid value: "Agent Account": ${SUBDOMAIN}`],
    ],
    [
      'an invalid annotation key on the template',
      [[['spec', 'template', 'metadata', 'annotations'], { 'bad key': 'x' }]],
      [
        `spec.template.metadata.annotations: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
    [
      'annotations over 256 KiB in total',
      [[['metadata', 'annotations'], { 'example.com/blob': 'x'.repeat(300 * 1024) }]],
      ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    ],
    [
      'an unknown field, as kubectl strict field validation words it',
      [container({ imagePullPolicyy: 'Always' }), [['spec', 'replicas'], 3]],
      [
        `strict decoding error: unknown field "${CONTAINER}.imagePullPolicyy"`,
        'strict decoding error: unknown field "spec.replicas"',
      ],
    ],
  ])('refuses %s', (_name, edits, expected) => {
    expect(errorLines(...edits)).toEqual(expected);
  });

  it('accepts what the API server accepts: modes, quantities, port names, known fields', () => {
    const lines = errorLines(
      volumes([
        {
          name: 'config',
          configMap: { name: 'agent', defaultMode: 0o644, items: [{ key: 'a', path: 'a', mode: 0o400 }] },
        },
        { name: 'logs', hostPath: { path: '/var/log', type: 'DirectoryOrCreate' } },
        { name: 'token', projected: { defaultMode: 0o444, sources: [{ serviceAccountToken: { path: 'token' } }] } },
      ]),
      container({
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/agent', readOnly: true },
          { name: 'logs', mountPath: '/var/log' },
        ],
        resources: { requests: { cpu: '500m', memory: 100_000_000 }, limits: { cpu: 1, memory: '1e9' } },
      }),
      [[...SPEC, 'dnsPolicy'], 'ClusterFirstWithHostNet'],
      [[...SPEC, 'priorityClassName'], 'system-node-critical'],
      [['metadata', 'annotations'], { 'deprecated.daemonset.template.generation': '1', 'Example.com/Owner': 'a' }],
    );

    expect(lines).toEqual([]);
  });

  it('ignores unknown fields when not strict, as for objects everynode rendered itself', () => {
    const result = toDaemonSet(daemonSetManifest([['spec', 'replicas'], 3]));

    expect(result.ok).toBe(true);
  });

  it('reports an apiVersion no server serves alone, as the API server never decodes the rest', () => {
    const lines = errorLines([['apiVersion'], 'extensions/v1beta1'], [['spec', 'selector'], undefined]);

    expect(lines).toEqual([
      'apiVersion: Unsupported value: "extensions/v1beta1": supported values: "apps/v1", "apps.kruise.io/v1alpha1", "apps.kruise.io/v1beta1"',
    ]);
  });
});
