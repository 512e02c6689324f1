import { describe, expect, it } from 'vitest';
import { sameSpec } from '../../../cli/api/same-spec.js';
import { fromDaemonSet } from '../../../lib/manifest/from-daemon-set.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import type { DaemonSet } from '../../../lib/model/daemon-set.js';
import { fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';

function fluentd(): DaemonSet {
  const result = toDaemonSet(fixtureObject('fluentd.yaml'));
  if (!result.ok) throw new Error('the fluentd fixture is invalid');
  return result.value;
}

function restarted(daemonSet: DaemonSet): DaemonSet {
  const annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' };
  return {
    ...daemonSet,
    template: { ...daemonSet.template, metadata: { ...daemonSet.template.metadata, annotations } },
  };
}

describe('sameSpec', () => {
  it('counts a restartedAt the applied manifest does not name as kept, not as a change', () => {
    expect(sameSpec(fromDaemonSet(restarted(fluentd())), fluentd())).toBe(true);
  });

  it('sees another template as a change', () => {
    const other = { ...fluentd(), template: { ...fluentd().template, spec: { containers: [] } } };

    expect(sameSpec(fromDaemonSet(fluentd()), other)).toBe(false);
  });
});
