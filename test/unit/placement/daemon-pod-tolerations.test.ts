import { describe, expect, it } from 'vitest';
import type { PlacementSpec, Toleration } from '../../../lib/model/pod-spec.js';
import { daemonPodTolerations } from '../../../lib/placement/daemon-pod-tolerations.js';

const placement = (tolerations: readonly Toleration[] = [], hostNetwork = false): PlacementSpec => ({
  nodeSelector: {},
  tolerations,
  hostNetwork,
});

const DEFAULTS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const NETWORK_UNAVAILABLE: Toleration = {
  key: 'node.kubernetes.io/network-unavailable',
  operator: 'Exists',
  effect: 'NoSchedule',
};

describe('daemonPodTolerations', () => {
  it('adds the six default tolerations, without tolerationSeconds, in Kubernetes order', () => {
    const tolerations = daemonPodTolerations(placement());

    expect(tolerations).toEqual(DEFAULTS);
  });

  it('adds network-unavailable only with hostNetwork', () => {
    const tolerations = daemonPodTolerations(placement([], true));

    expect(tolerations).toEqual([...DEFAULTS, NETWORK_UNAVAILABLE]);
  });

  it('adds the startup gate taint only for a startup-critical DaemonSet, so only it runs on a gated node', () => {
    const critical = daemonPodTolerations({ ...placement([], true), startupCritical: true });
    const ordinary = daemonPodTolerations(placement([], true));

    expect(critical).toEqual([
      ...DEFAULTS,
      NETWORK_UNAVAILABLE,
      { key: 'everynode.io/startup', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(ordinary.some((toleration) => toleration.key === 'everynode.io/startup')).toBe(false);
  });

  it('keeps template tolerations first and in order', () => {
    const own: Toleration[] = [
      { key: 'b', operator: 'Exists' },
      { key: 'a', operator: 'Equal', value: 'x' },
    ];

    const tolerations = daemonPodTolerations(placement(own));

    expect(tolerations).toEqual([...own, ...DEFAULTS]);
  });

  it('replaces an identical toleration with tolerationSeconds in place, making it infinite', () => {
    const own: Toleration[] = [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'mine', operator: 'Exists' },
    ];

    const tolerations = daemonPodTolerations(placement(own));

    expect(tolerations.slice(0, 2)).toEqual([DEFAULTS[0], { key: 'mine', operator: 'Exists' }]);
    expect(tolerations.filter((toleration) => toleration.key === 'node.kubernetes.io/not-ready')).toHaveLength(1);
  });

  it('keeps a toleration that differs in operator and appends the default as well', () => {
    const own: Toleration[] = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', tolerationSeconds: 60 }];

    const tolerations = daemonPodTolerations(placement(own));

    expect(tolerations).toEqual([...own, ...DEFAULTS]);
  });

  it('does not duplicate a default the template already has', () => {
    const own: Toleration[] = [{ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' }];

    const tolerations = daemonPodTolerations(placement(own));

    expect(tolerations).toHaveLength(DEFAULTS.length);
    expect(tolerations[0]).toEqual(own[0]);
  });

  it('does not tolerate not-ready:NoSchedule by default', () => {
    const tolerations = daemonPodTolerations(placement());

    expect(tolerations.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect !== 'NoExecute')).toBe(false);
  });
});
