import { parseQuantity } from '../../lib/manifest/parse-quantity.js';
import type { PodTemplate } from '../../lib/model/daemon-set.js';
import { isObject, stringMapAt } from '../output/kube-object.js';

/**
 * Fields the API server fills in when it stores a pod template (`SetDefaults_PodSpec`, `SetDefaults_Container`,
 * probes, volumes, ports). A ControllerRevision holds the stored, defaulted template; a manifest usually
 * leaves them out.
 */
const DEFAULTED_FIELDS: ReadonlySet<string> = new Set([
  'apiVersion',
  'creationTimestamp',
  'defaultMode',
  'dnsPolicy',
  'failureThreshold',
  'imagePullPolicy',
  'periodSeconds',
  'protocol',
  'resources',
  'restartPolicy',
  'scheme',
  'schedulerName',
  'securityContext',
  'serviceAccount',
  'successThreshold',
  'terminationGracePeriodSeconds',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'timeoutSeconds',
  'type',
]);

/**
 * Whether a manifest's pod template is the one a real cluster's ControllerRevision stores
 * (`data.spec.template`): the same labels and annotations, and the same spec once the fields the API server
 * defaults are allowed to appear only in the revision. Quantities compare by value (`cpu: 1` is `"1"`,
 * `0.1` is `100m`).
 *
 * Limit: a defaulted field removed from the manifest (an explicit `imagePullPolicy: Always` dropped) still
 * matches, as the revision cannot tell a default from a value someone wrote.
 */
export function templateMatchesRevision(template: PodTemplate, revisionTemplate: unknown): boolean {
  const sameMap = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
    matches(a, b, '') && matches(b, a, '');
  return (
    sameMap(template.metadata.labels, stringMapAt(revisionTemplate, 'metadata', 'labels')) &&
    sameMap(template.metadata.annotations, stringMapAt(revisionTemplate, 'metadata', 'annotations')) &&
    matches(template.spec, isObject(revisionTemplate) ? revisionTemplate['spec'] : undefined, '')
  );
}

function matches(manifest: unknown, stored: unknown, key: string, parent = ''): boolean {
  if (Array.isArray(manifest)) {
    return (
      Array.isArray(stored) &&
      stored.length === manifest.length &&
      manifest.every((entry, index) => matches(entry, stored[index], key, parent))
    );
  }
  if (isObject(manifest)) {
    if (!isObject(stored)) return Object.keys(manifest).length === 0 && stored === undefined;
    const keys = new Set([...Object.keys(manifest), ...Object.keys(stored)]);
    return [...keys].every((child) => {
      const wanted = manifest[child];
      if (wanted === undefined || wanted === null)
        return stored[child] === undefined || stored[child] === null || DEFAULTED_FIELDS.has(child);
      return matches(wanted, stored[child], child, key);
    });
  }
  if (manifest === stored) return true;
  return (parent === 'limits' || parent === 'requests') && sameQuantity(manifest, stored);
}

function sameQuantity(a: unknown, b: unknown): boolean {
  if ((typeof a !== 'string' && typeof a !== 'number') || (typeof b !== 'string' && typeof b !== 'number'))
    return false;
  const left = parseQuantity(a);
  const right = parseQuantity(b);
  return left.ok && right.ok && Math.abs(left.value - right.value) <= Math.abs(left.value) * 1e-12;
}
