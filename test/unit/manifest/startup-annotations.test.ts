import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { fromDaemonSet } from '../../../lib/manifest/from-daemon-set.js';
import { startupGateOf } from '../../../lib/manifest/read-startup-gate.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import type { DaemonSet } from '../../../lib/model/daemon-set.js';
import { daemonSetManifest, type ManifestEdit } from '../../fixtures/manifests/manifest-fixtures.js';

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

describe('everynode.io startup annotations', () => {
  it('leaves a DaemonSet without them ordinary: no gate, no startup toleration', () => {
    const daemonSet = accepted();

    expect(startupGateOf(daemonSet)).toBeUndefined();
    expect(daemonSet.placement.startupCritical).toBeUndefined();
  });

  it('reads bootstrap and continuous modes with a timeout, and marks the placement critical', () => {
    const bootstrap = accepted(
      annotations({ 'everynode.io/startup-critical': 'true', 'everynode.io/startup-timeout-seconds': '300' }),
    );
    const continuous = accepted(annotations({ 'everynode.io/startup-critical': 'continuous' }));
    const off = accepted(annotations({ 'everynode.io/startup-critical': 'false' }));

    expect(startupGateOf(bootstrap)).toEqual({ mode: 'bootstrap', timeoutSeconds: 300 });
    expect(bootstrap.placement.startupCritical).toBe(true);
    expect(startupGateOf(continuous)).toEqual({ mode: 'continuous' });
    expect(startupGateOf(off)).toBeUndefined();
  });

  it('keeps the annotations on the DaemonSet, so they round-trip', () => {
    const daemonSet = accepted(annotations({ 'everynode.io/startup-critical': 'continuous' }));

    const again = toDaemonSet(fromDaemonSet(daemonSet));

    expect(again.ok && again.value).toEqual(daemonSet);
  });

  it('refuses bad values at their annotation paths', () => {
    expect(errorLines(annotations({ 'everynode.io/startup-critical': 'yes' }))).toEqual([
      'metadata.annotations[everynode.io/startup-critical]: Invalid value: "yes": must be "true", "continuous" or "false"',
    ]);
    expect(
      errorLines(annotations({ 'everynode.io/startup-critical': 'true', 'everynode.io/startup-timeout-seconds': '0' })),
    ).toEqual([
      'metadata.annotations[everynode.io/startup-timeout-seconds]: Invalid value: "0": must be an integer number of seconds greater than 0',
    ]);
    expect(errorLines(annotations({ 'everynode.io/startup-timeout-seconds': '60' }))).toEqual([
      'metadata.annotations[everynode.io/startup-timeout-seconds]: Invalid value: "60": requires `everynode.io/startup-critical`: only critical DaemonSets gate nodes',
    ]);
  });
});
