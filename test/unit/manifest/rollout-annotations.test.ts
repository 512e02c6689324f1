import { describe, expect, it } from 'vitest';
import { EVERYNODE_ANNOTATIONS } from '../../../lib/manifest/everynode-annotations.js';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { type DaemonSet, DEFAULT_ROLLOUT_CONTROLS } from '../../../lib/model/daemon-set.js';
import { daemonSetManifest, fixtureObject, type ManifestEdit } from '../../fixtures/manifests/manifest-fixtures.js';

const annotations = (values: Record<string, string>): ManifestEdit => [['metadata', 'annotations'], values];

function accepted(...edits: readonly ManifestEdit[]): DaemonSet {
  const result = toDaemonSet(daemonSetManifest(...edits));
  if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
  return result.value;
}

function errorLines(...edits: readonly ManifestEdit[]): string[] {
  const result = toDaemonSet(daemonSetManifest(...edits));
  return result.ok ? [] : result.errors.map(formatFieldError);
}

describe('everynode.io rollout annotations', () => {
  it('leaves every control off without annotations', () => {
    const daemonSet = accepted();

    expect(daemonSet.rollout).toEqual(DEFAULT_ROLLOUT_CONTROLS);
  });

  it('reads every control from an apps/v1 manifest', () => {
    const daemonSet = accepted(
      annotations({
        'everynode.io/paused': 'true',
        'everynode.io/frozen': 'true',
        'everynode.io/partition': '20%',
        'everynode.io/canary-selector': 'zone=a,tier in (x,y)',
        'everynode.io/progress-deadline-seconds': '600',
        'everynode.io/auto-revert': 'true',
        'everynode.io/not-ready-aware': 'true',
        'everynode.io/burst-replicas': '100',
      }),
    );

    expect(daemonSet.rollout).toEqual({
      paused: true,
      frozen: true,
      partition: { percent: 20 },
      canarySelector: {
        matchLabels: { zone: 'a' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }],
      },
      progressDeadlineSeconds: 600,
      autoRevert: true,
      notReadyAware: true,
      burstReplicas: 100,
    });
  });

  it('reads a partition count and "false" flags', () => {
    const daemonSet = accepted(annotations({ 'everynode.io/partition': '3', 'everynode.io/paused': 'false' }));

    expect(daemonSet.rollout).toMatchObject({ partition: 3, paused: false });
  });

  it('treats a zero partition as no partition', () => {
    const daemonSet = accepted(annotations({ 'everynode.io/partition': '0%' }));

    expect(daemonSet.rollout.partition).toBeUndefined();
  });

  it('moves the rollout annotations out of the kept annotations', () => {
    const daemonSet = accepted(annotations({ 'everynode.io/paused': 'true', 'team.example.com/owner': 'obs' }));

    expect(daemonSet.annotations).toEqual({ 'team.example.com/owner': 'obs' });
  });

  it('reads annotations on an OpenKruise manifest too', () => {
    const daemonSet = accepted(
      [['apiVersion'], 'apps.kruise.io/v1beta1'],
      annotations({ 'everynode.io/frozen': 'true' }),
    );

    expect(daemonSet.rollout.frozen).toBe(true);
  });

  it('reports every invalid value of the invalid-annotations fixture', () => {
    const result = toDaemonSet(fixtureObject('invalid-annotations.yaml'));

    expect(result.ok ? [] : result.errors.map(formatFieldError)).toEqual([
      'metadata.annotations[everynode.io/partition]: Invalid value: "a few": must be an integer >= 0 or a percentage such as "20%"',
      `metadata.annotations[everynode.io/canary-selector]: Invalid value: "zone in (a": missing ')'`,
      'metadata.annotations[everynode.io/auto-revert]: Invalid value: "true": requires `everynode.io/progress-deadline-seconds`: a rollout is reverted only once it misses its progress deadline',
      'metadata.annotations[everynode.io/paused]: Invalid value: "yes": must be "true" or "false"',
    ]);
  });

  it.each<[Record<string, string>, readonly ManifestEdit[], string]>([
    [
      { 'everynode.io/frozen': 'TRUE' },
      [],
      'metadata.annotations[everynode.io/frozen]: Invalid value: "TRUE": must be "true" or "false"',
    ],
    [
      { 'everynode.io/partition': '120%' },
      [],
      'metadata.annotations[everynode.io/partition]: Invalid value: "120%": must not be greater than 100%',
    ],
    [
      { 'everynode.io/partition': '-1' },
      [],
      'metadata.annotations[everynode.io/partition]: Invalid value: "-1": must be an integer >= 0 or a percentage such as "20%"',
    ],
    [
      { 'everynode.io/canary-selector': ' ' },
      [],
      'metadata.annotations[everynode.io/canary-selector]: Invalid value: " ": must select some nodes; leave the annotation out to update every node',
    ],
    [
      { 'everynode.io/progress-deadline-seconds': '0' },
      [],
      'metadata.annotations[everynode.io/progress-deadline-seconds]: Invalid value: "0": must be an integer number of seconds greater than 0',
    ],
    [
      { 'everynode.io/progress-deadline-seconds': '30' },
      [[['spec', 'minReadySeconds'], 30]],
      'metadata.annotations[everynode.io/progress-deadline-seconds]: Invalid value: "30": must be greater than minReadySeconds',
    ],
    [
      { 'everynode.io/burst-replicas': '0' },
      [],
      'metadata.annotations[everynode.io/burst-replicas]: Invalid value: "0": must be an integer greater than or equal to 1',
    ],
    [
      { 'everynode.io/paused': 'true' },
      [
        [['apiVersion'], 'apps.kruise.io/v1beta1'],
        [['spec', 'updateStrategy', 'rollingUpdate'], { paused: true }],
      ],
      'metadata.annotations[everynode.io/paused]: Forbidden: may not be set together with `spec.updateStrategy.rollingUpdate.paused`',
    ],
    [
      { 'everynode.io/burst-replicas': '10' },
      [
        [['apiVersion'], 'apps.kruise.io/v1alpha1'],
        [['spec', 'burstReplicas'], 20],
      ],
      'metadata.annotations[everynode.io/burst-replicas]: Forbidden: may not be set together with `spec.burstReplicas`',
    ],
  ])('reports %j', (values, edits, expected) => {
    const lines = errorLines(annotations(values), ...edits);

    expect(lines).toEqual([expected]);
  });

  it('lets an annotation set what a Kruise field leaves at its default', () => {
    const daemonSet = accepted(
      [['apiVersion'], 'apps.kruise.io/v1beta1'],
      [['spec', 'updateStrategy', 'rollingUpdate'], { partition: 0 }],
      annotations({ 'everynode.io/partition': '2' }),
    );

    expect(daemonSet.rollout.partition).toBe(2);
  });

  it('documents every annotation it reads', () => {
    const names = EVERYNODE_ANNOTATIONS.map((annotation) => annotation.name);

    expect(names).toEqual([
      'everynode.io/paused',
      'everynode.io/frozen',
      'everynode.io/partition',
      'everynode.io/canary-selector',
      'everynode.io/progress-deadline-seconds',
      'everynode.io/auto-revert',
      'everynode.io/not-ready-aware',
      'everynode.io/burst-replicas',
    ]);
    expect(EVERYNODE_ANNOTATIONS.every((annotation) => annotation.description.length > 0)).toBe(true);
  });
});
