import { labelSelectorMatches } from '../../../lib/labels/label-selector-matches.js';
import { LabelSelectorSyntaxError, parseLabelSelector } from '../../../lib/labels/parse-label-selector.js';
import type { JsonObject, JsonValue } from '../../../lib/model/daemon-set.js';
import { ApiError } from '../responses.js';
import type { KubeResource } from './kube-resources.js';

type FieldRequirement = Readonly<{ path: string; value: string; equal: boolean }>;

/** What narrows a list or a watch: the namespace of the path, `labelSelector` and `fieldSelector`. */
export type ObjectFilter = Readonly<{
  namespace?: string;
  labelSelector: string;
  fieldSelector: string;
}>;

/**
 * Parses `fieldSelector` as the API server does: `a=b`, `a==b`, `a!=b`, comma-separated, on the fields the
 * resource supports (always `metadata.name` and `metadata.namespace`).
 *
 * @throws ApiError 400 `field label not supported: x` for any other field, as the API server answers.
 */
export function parseFieldSelector(text: string, resource: KubeResource): readonly FieldRequirement[] {
  const supported = new Set(['metadata.name', 'metadata.namespace', ...resource.fieldLabels]);
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (match === null)
        throw new ApiError(400, 'BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
      const [, path = '', operator, value = ''] = match;
      if (!supported.has(path)) throw new ApiError(400, 'BadRequest', `field label not supported: ${path}`);
      return { path, value, equal: operator !== '!=' };
    });
}

function fieldValue(object: JsonObject, path: string): string {
  let current: JsonValue | undefined = object;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return '';
    current = (current as JsonObject)[key];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : JSON.stringify(current);
}

/**
 * The predicate of a filter.
 *
 * @throws ApiError 400 for a selector that does not parse.
 */
export function objectPredicate(filter: ObjectFilter, resource: KubeResource): (object: JsonObject) => boolean {
  let labels: ReturnType<typeof parseLabelSelector>;
  try {
    labels = parseLabelSelector(filter.labelSelector);
  } catch (error) {
    if (error instanceof LabelSelectorSyntaxError)
      throw new ApiError(400, 'BadRequest', `unable to parse requirement: ${error.message}`);
    throw error;
  }
  const fields = parseFieldSelector(filter.fieldSelector, resource);
  return (object) => {
    const metadata = (object['metadata'] ?? {}) as JsonObject;
    if (filter.namespace !== undefined && metadata['namespace'] !== filter.namespace) return false;
    const objectLabels = (metadata['labels'] ?? {}) as Readonly<Record<string, string>>;
    if (!labelSelectorMatches(labels, objectLabels)) return false;
    return fields.every((field) => (fieldValue(object, field.path) === field.value) === field.equal);
  };
}
