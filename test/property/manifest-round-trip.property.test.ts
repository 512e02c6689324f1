import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { formatObjects } from '../../cli/output/format-objects.js';
import { formatFieldError } from '../../lib/manifest/field-error.js';
import { fromDaemonSet } from '../../lib/manifest/from-daemon-set.js';
import { readManifests } from '../../lib/manifest/read-manifests.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import { arbDaemonSetManifest } from '../fixtures/manifests/daemon-set-manifest-arbitrary.js';

function accepted(object: unknown): DaemonSet {
  const result = toDaemonSet(object);
  if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
  return result.value;
}

describe('DaemonSet manifests', () => {
  test.prop([arbDaemonSetManifest()])('validate whenever they are valid', (manifest) => {
    const result = toDaemonSet(manifest);

    expect(result.ok ? [] : result.errors.map(formatFieldError)).toEqual([]);
  });

  test.prop([arbDaemonSetManifest()])('come back unchanged from fromDaemonSet', (manifest) => {
    const daemonSet = accepted(manifest);

    const again = accepted(fromDaemonSet(daemonSet));

    expect(again).toEqual(daemonSet);
  });

  // Printed as `everynode get -o yaml` prints (YAML 1.1, so `n` or `0644` stay strings), read as kubectl reads.
  test.prop([arbDaemonSetManifest()], { numRuns: 40 })('survive printing as YAML and reading back', (manifest) => {
    const daemonSet = accepted(manifest);

    const [read] = readManifests(formatObjects('yaml', fromDaemonSet(daemonSet)), 'printed.yaml');

    expect(accepted(read?.object)).toEqual(daemonSet);
  });

  test.prop([arbDaemonSetManifest()])('keep the placement view in step with the template', (manifest) => {
    const { placement, template } = accepted(manifest);

    expect(placement.nodeSelector).toEqual(template.spec['nodeSelector'] ?? {});
    expect(placement.hostNetwork).toBe(template.spec['hostNetwork'] ?? false);
    expect(placement.tolerations).toHaveLength(
      Array.isArray(template.spec['tolerations']) ? template.spec['tolerations'].length : 0,
    );
  });
});
