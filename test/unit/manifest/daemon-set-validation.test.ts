import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { daemonSetManifest, type ManifestEdit } from '../../fixtures/manifests/manifest-fixtures.js';

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const PERCENT =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

const TEMPLATE = ['spec', 'template', 'spec'];
const ROLLING = ['spec', 'updateStrategy', 'rollingUpdate'];
const AFFINITY = [...TEMPLATE, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'];
const TERMS_PATH =
  'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
const withTerms = (terms: unknown): ManifestEdit => [AFFINITY, { nodeSelectorTerms: terms as never }];
const withTolerations = (tolerations: unknown): ManifestEdit => [[...TEMPLATE, 'tolerations'], tolerations as never];

function errorLines(...edits: readonly ManifestEdit[]): string[] {
  const result = toDaemonSet(daemonSetManifest(...edits));
  return result.ok ? [] : result.errors.map(formatFieldError);
}

describe('toDaemonSet validation', () => {
  it.each<[string, readonly ManifestEdit[], readonly string[]]>([
    [
      'a missing name',
      [[['metadata', 'name'], undefined]],
      ['metadata.name: Required value: name or generateName is required'],
    ],
    [
      'a name that is not a DNS subdomain',
      [[['metadata', 'name'], 'Fluentd_Logger']],
      [`metadata.name: Invalid value: "Fluentd_Logger": ${SUBDOMAIN}`],
    ],
    [
      'a name over 253 characters',
      [[['metadata', 'name'], 'a'.repeat(254)]],
      [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`],
    ],
    [
      'a namespace that is not a DNS label',
      [[['metadata', 'namespace'], 'kube.system']],
      [`metadata.namespace: Invalid value: "kube.system": ${DNS_LABEL}`],
    ],
    [
      'an invalid label value',
      [[['metadata', 'labels'], { team: 'a b' }]],
      [`metadata.labels: Invalid value: "a b": ${LABEL_VALUE}`],
    ],
    [
      'a label that is not a string',
      [[['metadata', 'labels'], { version: 2 }]],
      ['metadata.labels[version]: Invalid value: 2: must be a string'],
    ],
    [
      'a missing selector, as the template labels a nil selector never matches',
      [[['spec', 'selector'], undefined]],
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"name":"agent"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'an empty selector',
      [[['spec', 'selector'], {}]],
      ['spec.selector: Invalid value: {}: empty selector is invalid for daemonset'],
    ],
    [
      'a selector that does not match the template',
      [[['spec', 'selector', 'matchLabels'], { name: 'other' }]],
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"name":"agent"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'a selector expression that does not match the template',
      [[['spec', 'selector'], { matchExpressions: [{ key: 'name', operator: 'NotIn', values: ['agent'] }] }]],
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"name":"agent"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'a selector operator Kubernetes does not know',
      [[['spec', 'selector'], { matchExpressions: [{ key: 'name', operator: 'Equals', values: ['agent'] }] }]],
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'],
    ],
    [
      'In without values in the selector',
      [[['spec', 'selector'], { matchLabels: { name: 'agent' }, matchExpressions: [{ key: 'tier', operator: 'In' }] }]],
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      'Exists with values in the selector',
      [[['spec', 'selector'], { matchExpressions: [{ key: 'name', operator: 'Exists', values: ['x'] }] }]],
      [
        "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      ],
    ],
    [
      'an invalid selector key',
      [[['spec', 'selector'], { matchLabels: { name: 'agent', '-bad': 'x' } }]],
      [`spec.selector.matchLabels: Invalid value: "-bad": ${NAME_PART}`],
    ],
    [
      'an unknown update strategy',
      [[['spec', 'updateStrategy', 'type'], 'Recreate']],
      ['spec.updateStrategy: Unsupported value: "Recreate": supported values: "RollingUpdate", "OnDelete"'],
    ],
    [
      'maxSurge alone, which apps/v1 defaults into both limits set',
      [[ROLLING, { maxSurge: 1 }]],
      ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero'],
    ],
    [
      'both limits non-zero',
      [[ROLLING, { maxUnavailable: '10%', maxSurge: '10%' }]],
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero',
      ],
    ],
    [
      'both limits zero',
      [[ROLLING, { maxUnavailable: 0, maxSurge: '0%' }]],
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ],
    [
      'a negative maxUnavailable',
      [[ROLLING, { maxUnavailable: -1 }]],
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'a percentage over 100',
      [[ROLLING, { maxUnavailable: '120%' }]],
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%'],
    ],
    [
      'a string that is not a percentage',
      [[ROLLING, { maxUnavailable: 'ten' }]],
      [
        `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "ten": ${PERCENT}`,
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      ],
    ],
    [
      'a fractional limit',
      [[ROLLING, { maxUnavailable: 1.5 }]],
      [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 1.5: must be an integer or percentage (e.g '5%')",
      ],
    ],
    [
      'a hostPort with surge',
      [
        [ROLLING, { maxUnavailable: 0, maxSurge: '25%' }],
        [[...TEMPLATE, 'containers', '0', 'ports'], [{ containerPort: 8080, hostPort: 80 }]],
      ],
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Forbidden: may not be non-zero while spec.template.spec.containers[0].ports[0].hostPort holds a port on the node: the surge pod can never bind it while the old pod runs, so the rollout deadlocks (kubernetes/kubernetes#106417); use maxUnavailable instead',
      ],
    ],
    [
      'hostNetwork container ports with surge',
      [
        [ROLLING, { maxUnavailable: 0, maxSurge: 1 }],
        [[...TEMPLATE, 'hostNetwork'], true],
        [[...TEMPLATE, 'containers', '0', 'ports'], [{ containerPort: 9100 }]],
      ],
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Forbidden: may not be non-zero while spec.template.spec.containers[0].ports[0].containerPort with `hostNetwork: true` holds a port on the node: the surge pod can never bind it while the old pod runs, so the rollout deadlocks (kubernetes/kubernetes#106417); use maxUnavailable instead',
      ],
    ],
    [
      'a restartPolicy other than Always',
      [[[...TEMPLATE, 'restartPolicy'], 'OnFailure']],
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      'activeDeadlineSeconds',
      [[[...TEMPLATE, 'activeDeadlineSeconds'], 30]],
      ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
    ],
    [
      'a negative minReadySeconds',
      [[['spec', 'minReadySeconds'], -1]],
      ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'a negative revisionHistoryLimit',
      [[['spec', 'revisionHistoryLimit'], -3]],
      ['spec.revisionHistoryLimit: Invalid value: -3: must be greater than or equal to 0'],
    ],
    [
      'a minReadySeconds that is not a number',
      [[['spec', 'minReadySeconds'], '10']],
      ['spec.minReadySeconds: Invalid value: "10": must be an integer'],
    ],
    ['no containers', [[[...TEMPLATE, 'containers'], []]], ['spec.template.spec.containers: Required value']],
    [
      'no template',
      [[['spec', 'template'], undefined]],
      [
        'spec.template.spec.containers: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
      ],
    ],
    [
      'a container without name or image',
      [[[...TEMPLATE, 'containers'], [{}]]],
      [
        'spec.template.spec.containers[0].name: Required value',
        'spec.template.spec.containers[0].image: Required value',
      ],
    ],
    [
      'a container name that is not a DNS label',
      [[[...TEMPLATE, 'containers', '0', 'name'], 'Agent']],
      [`spec.template.spec.containers[0].name: Invalid value: "Agent": ${DNS_LABEL}`],
    ],
    [
      'two containers with one name',
      [
        [
          [...TEMPLATE, 'containers'],
          [
            { name: 'a', image: 'x' },
            { name: 'a', image: 'y' },
          ],
        ],
      ],
      ['spec.template.spec.containers[1].name: Duplicate value: "a"'],
    ],
    [
      'an init container named like a container',
      [[[...TEMPLATE, 'initContainers'], [{ name: 'agent', image: 'x' }]]],
      ['spec.template.spec.initContainers[0].name: Duplicate value: "agent"'],
    ],
    [
      'ports out of range and without containerPort',
      [
        [
          [...TEMPLATE, 'containers', '0', 'ports'],
          [{ containerPort: 70000, hostPort: -1, protocol: 'HTTP' }, { hostPort: 80 }],
        ],
      ],
      [
        'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.template.spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive',
        'spec.template.spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.template.spec.containers[0].ports[1].containerPort: Required value',
      ],
    ],
    [
      'a hostNetwork hostPort that differs from containerPort',
      [
        [[...TEMPLATE, 'hostNetwork'], true],
        [[...TEMPLATE, 'containers', '0', 'ports'], [{ containerPort: 9100, hostPort: 9200 }]],
      ],
      [
        'spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 9200: must match `containerPort` when `hostNetwork` is true',
      ],
    ],
    [
      'an empty toleration key without Exists',
      [withTolerations([{ operator: 'Equal', value: 'x' }])],
      [
        'spec.template.spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ],
    ],
    [
      'an empty toleration key with no operator',
      [withTolerations([{ effect: 'NoSchedule' }])],
      [
        'spec.template.spec.tolerations[0].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ],
    ],
    [
      'Exists with a value',
      [withTolerations([{ key: 'a', operator: 'Exists', value: 'b' }])],
      [
        'spec.template.spec.tolerations[0].operator: Invalid value: "b": value must be empty when `operator` is \'Exists\'',
      ],
    ],
    [
      'tolerationSeconds without NoExecute',
      [withTolerations([{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }])],
      [
        'spec.template.spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      ],
    ],
    [
      'an unknown toleration operator',
      [withTolerations([{ key: 'a', operator: 'In' }])],
      ['spec.template.spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"'],
    ],
    [
      'an unknown toleration effect',
      [withTolerations([{ key: 'a', operator: 'Exists', effect: 'NoRun' }])],
      [
        'spec.template.spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
    [
      'a toleration value that is not a label value',
      [withTolerations([{ key: 'a', value: 'b c' }])],
      [`spec.template.spec.tolerations[0].operator: Invalid value: "b c": ${LABEL_VALUE}`],
    ],
    [
      'no node selector terms',
      [withTerms([])],
      [`${TERMS_PATH}: Required value: must have at least one node selector term`],
    ],
    [
      'In without values',
      [withTerms([{ matchExpressions: [{ key: 'zone', operator: 'In' }] }])],
      [
        `${TERMS_PATH}[0].matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      ],
    ],
    [
      'DoesNotExist with values',
      [withTerms([{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist', values: ['a'] }] }])],
      [
        `${TERMS_PATH}[0].matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      ],
    ],
    [
      'Gt with two values',
      [withTerms([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1', '2'] }] }])],
      [
        `${TERMS_PATH}[0].matchExpressions[0].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`,
      ],
    ],
    [
      'Lt with a value that is not an integer',
      [withTerms([{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['four'] }] }])],
      [
        `${TERMS_PATH}[0].matchExpressions[0].values[0]: Invalid value: "four": must be an integer when \`operator\` is 'Lt' or 'Gt'`,
      ],
    ],
    [
      'an unknown node selector operator',
      [withTerms([{ matchExpressions: [{ key: 'zone', operator: 'Equals', values: ['a'] }] }])],
      [`${TERMS_PATH}[0].matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator`],
    ],
    [
      'a field selector on another field',
      [withTerms([{ matchFields: [{ key: 'spec.nodeName', operator: 'In', values: ['a'] }] }])],
      [`${TERMS_PATH}[0].matchFields[0].key: Invalid value: "spec.nodeName": not a valid field selector key`],
    ],
    [
      'a field selector with two names',
      [withTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }])],
      [
        `${TERMS_PATH}[0].matchFields[0].values: Required value: must be only one value when \`operator\` is 'In' or 'NotIn' for node field selector`,
      ],
    ],
    [
      'a field selector with Exists',
      [withTerms([{ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }])],
      [`${TERMS_PATH}[0].matchFields[0].operator: Invalid value: "Exists": not a valid selector operator`],
    ],
    [
      'a nodeName that is not a DNS subdomain',
      [[[...TEMPLATE, 'nodeName'], 'Node_1']],
      [`spec.template.spec.nodeName: Invalid value: "Node_1": ${SUBDOMAIN}`],
    ],
    [
      'a nodeSelector value that is not a label value',
      [[[...TEMPLATE, 'nodeSelector'], { hardware: 'gpu!' }]],
      [`spec.template.spec.nodeSelector: Invalid value: "gpu!": ${LABEL_VALUE}`],
    ],
    [
      'a hostNetwork that is not a boolean',
      [[[...TEMPLATE, 'hostNetwork'], 'yes']],
      ['spec.template.spec.hostNetwork: Invalid value: "yes": must be a boolean'],
    ],
    [
      'a spec that is not an object',
      [[['spec'], 'none']],
      [
        'spec: Invalid value: "none": must be an object',
        'spec.template.spec.containers: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
      ],
    ],
  ])('reports %s', (_name, edits, expected) => {
    const lines = errorLines(...edits);

    expect(lines).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, readonly string[]]>([
    [
      'a missing apiVersion and kind',
      { apiVersion: undefined, kind: undefined },
      ['apiVersion: Required value', 'kind: Required value'],
    ],
    [
      'another API',
      { apiVersion: 'extensions/v1beta1' },
      [
        'apiVersion: Unsupported value: "extensions/v1beta1": supported values: "apps/v1", "apps.kruise.io/v1alpha1", "apps.kruise.io/v1beta1"',
      ],
    ],
    ['another kind', { kind: 'Deployment' }, ['kind: Unsupported value: "Deployment": supported values: "DaemonSet"']],
  ])('reports %s', (_name, typeMeta, expected) => {
    const lines = errorLines(...Object.entries(typeMeta).map(([key, value]): ManifestEdit => [[key], value as never]));

    expect(lines).toEqual(expected);
  });

  it('refuses what is not an object', () => {
    const result = toDaemonSet('DaemonSet');

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map(formatFieldError)).toContain(
      '<root>: Invalid value: "DaemonSet": must be a Kubernetes object',
    );
  });

  it('reports every error of a manifest at once', () => {
    const lines = errorLines(
      [['metadata', 'name'], undefined],
      [['spec', 'minReadySeconds'], -1],
      [[...TEMPLATE, 'restartPolicy'], 'Never'],
    );

    expect(lines).toHaveLength(3);
  });
});
