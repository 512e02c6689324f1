import type { JsonObject } from '../model/json.js';

/** One Kubernetes object read from a file, with where it came from. */
export type ManifestObject = Readonly<{ apiVersion: string; kind: string; object: JsonObject; source: string }>;

/**
 * STUB (issue 2): reads JSON, one YAML document or a multi-document stream; `List`/`NodeList`/`PodList`
 * items are flattened. Throws `ManifestSyntaxError` (with line and column) on unparseable input.
 */
export function readManifests(_text: string, _source: string): readonly ManifestObject[] {
  throw new Error('not implemented');
}
