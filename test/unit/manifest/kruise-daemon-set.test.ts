import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import type { DaemonSet, JsonValue } from '../../../lib/model/daemon-set.js';
import { daemonSetManifest, fixtureObject, type ManifestEdit } from '../../fixtures/manifests/manifest-fixtures.js';

const ROLLING = ['spec', 'updateStrategy', 'rollingUpdate'];
const V1ALPHA1: ManifestEdit = [['apiVersion'], 'apps.kruise.io/v1alpha1'];
const V1BETA1: ManifestEdit = [['apiVersion'], 'apps.kruise.io/v1beta1'];
const rolling = (value: JsonValue): ManifestEdit => [ROLLING, value];

function accepted(...edits: readonly ManifestEdit[]): DaemonSet {
  const result = toDaemonSet(daemonSetManifest(...edits));
  if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
  return result.value;
}

function errorLines(...edits: readonly ManifestEdit[]): string[] {
  const result = toDaemonSet(daemonSetManifest(...edits));
  return result.ok ? [] : result.errors.map(formatFieldError);
}

describe('toDaemonSet with OpenKruise manifests', () => {
  it('maps the v1beta1 fixture: partition, canary selector, burst and limits', () => {
    const result = toDaemonSet(fixtureObject('kruise-v1beta1.yaml'));

    expect(result.ok && result.value).toMatchObject({
      apiVersion: 'apps.kruise.io/v1beta1',
      minReadySeconds: 10,
      updateStrategy: { type: 'RollingUpdate', maxUnavailable: { percent: 10 }, maxSurge: 0 },
      rollout: {
        paused: false,
        partition: { percent: 20 },
        canarySelector: { matchLabels: { canary: 'true' } },
        burstReplicas: 50,
      },
    });
  });

  it('maps the v1alpha1 fixture: Surging becomes surge without unavailability, paused, partition 3', () => {
    const result = toDaemonSet(fixtureObject('kruise-v1alpha1.yaml'));

    expect(result.ok && result.value).toMatchObject({
      apiVersion: 'apps.kruise.io/v1alpha1',
      updateStrategy: { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 2 },
      rollout: { paused: true, partition: 3, burstReplicas: 250 },
    });
  });

  it('applies the Kruise defaults: maxUnavailable 1 and maxSurge 0 when neither is set', () => {
    const daemonSet = accepted(V1BETA1);

    expect(daemonSet.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 1, maxSurge: 0 });
    expect(daemonSet.rollout.burstReplicas).toBe(250);
    expect(daemonSet.revisionHistoryLimit).toBe(10);
  });

  it('accepts maxSurge alone, which Kruise does not default into both limits set', () => {
    const daemonSet = accepted(V1BETA1, rolling({ maxSurge: '20%' }));

    expect(daemonSet.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 0, maxSurge: { percent: 20 } });
  });

  it('defaults Surging to one surge pod and no unavailability', () => {
    const daemonSet = accepted(V1ALPHA1, rolling({ rollingUpdateType: 'Surging' }));

    expect(daemonSet.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 1 });
  });

  it('treats InPlaceIfPossible as a standard rolling update', () => {
    const daemonSet = accepted(V1BETA1, rolling({ rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: 2 }));

    expect(daemonSet.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 2, maxSurge: 0 });
  });

  it('counts Kruise default values as not set', () => {
    const daemonSet = accepted(V1BETA1, rolling({ partition: 0, paused: false, selector: {} }), [
      ['spec', 'burstReplicas'],
      250,
    ]);

    expect(daemonSet.rollout).toEqual({
      paused: false,
      frozen: false,
      autoRevert: false,
      notReadyAware: false,
      burstReplicas: 250,
    });
  });

  it('ignores the rolling update fields of an OnDelete strategy', () => {
    const daemonSet = accepted(V1BETA1, [
      ['spec', 'updateStrategy'],
      { type: 'OnDelete', rollingUpdate: { paused: true, partition: 3 } },
    ]);

    expect(daemonSet.rollout).toMatchObject({ paused: false });
    expect(daemonSet.rollout.partition).toBeUndefined();
  });

  it('reads burstReplicas on an apps/v1 manifest as an unknown field', () => {
    const daemonSet = accepted([['spec', 'burstReplicas'], 10]);

    expect(daemonSet.rollout.burstReplicas).toBe(250);
  });

  it.each<[string, readonly ManifestEdit[], readonly string[]]>([
    [
      'a v1alpha1 percentage partition',
      [V1ALPHA1, rolling({ partition: '20%' })],
      ['spec.updateStrategy.rollingUpdate.partition: Invalid value: "20%": must be an integer'],
    ],
    [
      'a negative partition',
      [V1ALPHA1, rolling({ partition: -1 })],
      ['spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'a v1beta1 partition over 100%',
      [V1BETA1, rolling({ partition: '150%' })],
      ['spec.updateStrategy.rollingUpdate.partition: Invalid value: "150%": must not be greater than 100%'],
    ],
    [
      'a rollingUpdateType v1beta1 does not have',
      [V1BETA1, rolling({ rollingUpdateType: 'Surging' })],
      [
        'spec.updateStrategy.rollingUpdate.rollingUpdateType: Unsupported value: "Surging": supported values: "Standard", "InPlaceIfPossible"',
      ],
    ],
    [
      'Surging with maxUnavailable',
      [V1ALPHA1, rolling({ rollingUpdateType: 'Surging', maxUnavailable: 1, maxSurge: 0 })],
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: must be 0 for Surging type'],
    ],
    [
      'InPlaceIfPossible with surge',
      [V1BETA1, rolling({ rollingUpdateType: 'InPlaceIfPossible', maxSurge: 1 })],
      ['spec.updateStrategy.rollingUpdate.maxSurge: Required value: must be 0 for InPlaceIfPossible type'],
    ],
    [
      'a canary selector with an unknown operator',
      [V1BETA1, rolling({ selector: { matchExpressions: [{ key: 'zone', operator: 'Near' }] } })],
      [
        'spec.updateStrategy.rollingUpdate.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      ],
    ],
    [
      'paused that is not a boolean',
      [V1BETA1, rolling({ paused: 'true' })],
      ['spec.updateStrategy.rollingUpdate.paused: Invalid value: "true": must be a boolean'],
    ],
    [
      'a percentage burstReplicas',
      [V1BETA1, [['spec', 'burstReplicas'], '10%']],
      [
        'spec.burstReplicas: Invalid value: "10%": must be an integer: everynode does not scale burstReplicas by percentage',
      ],
    ],
    [
      'a zero burstReplicas',
      [V1BETA1, [['spec', 'burstReplicas'], 0]],
      ['spec.burstReplicas: Invalid value: 0: must be greater than or equal to 1'],
    ],
    [
      'both limits zero',
      [V1BETA1, rolling({ maxUnavailable: 0 })],
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ],
    [
      'a hostPort with Surging',
      [
        V1ALPHA1,
        rolling({ rollingUpdateType: 'Surging' }),
        [['spec', 'template', 'spec', 'containers', '0', 'ports'], [{ containerPort: 53, hostPort: 53 }]],
      ],
      [
        expect.stringMatching(
          /^spec\.updateStrategy\.rollingUpdate\.maxSurge: Forbidden: may not be non-zero while .*hostPort/,
        ) as never,
      ],
    ],
  ])('reports %s', (_name, edits, expected) => {
    const lines = errorLines(...edits);

    expect(lines).toEqual(expected);
  });
});
