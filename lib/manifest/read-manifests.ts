import { type Document, isNode, isSeq, LineCounter, parseAllDocuments, type Tags } from 'yaml';
import type { JsonObject, JsonValue } from '../model/daemon-set.js';
import { isJsonObject } from './read-json.js';

/** One Kubernetes object read from a file, with where it came from. */
export type ManifestObject = Readonly<{
  /** Empty when the object has none; validation reports it. */
  apiVersion: string;
  /** Empty when the object has none; validation reports it. */
  kind: string;
  object: JsonObject;
  source: string;
  /** 1-based line where the object starts in the source. */
  line?: number;
}>;

/**
 * Reads every Kubernetes object in `text`: JSON, one YAML document or a multi-document stream, exactly as
 * `kubectl get ... -o yaml|json` prints them. Empty documents are skipped. A `List` (or any kind ending in
 * `List` with `items`, such as `NodeList`) is flattened into its items; items of a typed list that omit
 * `apiVersion`/`kind` (as the API server returns them) take the list's apiVersion and kind without `List`.
 *
 * YAML is read as kubectl reads it (go-yaml v2, YAML 1.1): `yes`/`no`/`on`/`off` are booleans, `0644` is
 * octal (420), `<<` merge keys are applied. Timestamps and base-60 numbers (`1:20`) stay strings, as
 * they do for kubectl.
 *
 * @throws ManifestSyntaxError when the text does not parse, or a document is not an object.
 * @example readManifests(fs.readFileSync('nodes.yaml', 'utf8'), 'nodes.yaml').map((manifest) => manifest.kind)
 */
export function readManifests(text: string, source: string): readonly ManifestObject[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    version: '1.1',
    merge: true,
    customTags: likeKubectl,
  });
  const at = (offset: number) => lineCounter.linePos(offset);
  return documents.flatMap((document) => readDocument(document, source, at));
}

/** The YAML 1.1 tags without timestamps and base-60 numbers, which go-yaml v2 leaves as strings. */
const likeKubectl = (tags: Tags): Tags =>
  tags.filter((tag) => typeof tag === 'string' || (tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME'));

type LineAt = (offset: number) => Readonly<{ line: number; col: number }>;

function readDocument(document: Document.Parsed, source: string, at: LineAt): ManifestObject[] {
  const error = document.errors[0];
  if (error !== undefined) {
    const { line, col } = at(error.pos[0]);
    throw new ManifestSyntaxError(source, line, col, error.message);
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return [];
  const start = at(document.contents?.range[0] ?? 0);
  if (!isJsonObject(value)) {
    throw new ManifestSyntaxError(
      source,
      start.line,
      start.col,
      `expected a Kubernetes object, found ${describe(value)}`,
    );
  }
  const items = value['items'];
  const kind = stringField(value, 'kind');
  if (!kind.endsWith('List') || !Array.isArray(items)) return [toManifest(value, source, start.line)];
  const itemNodes = document.getIn(['items'], true);
  const itemLine = (index: number): number => {
    const node = isSeq(itemNodes) ? itemNodes.items[index] : undefined;
    return isNode(node) && node.range ? at(node.range[0]).line : start.line;
  };
  return items.map((item: JsonValue, index) => {
    if (!isJsonObject(item)) {
      throw new ManifestSyntaxError(
        source,
        itemLine(index),
        1,
        `expected items[${index}] to be an object, found ${describe(item)}`,
      );
    }
    return toManifest(withListDefaults(item, value, kind), source, itemLine(index));
  });
}

/** Typed list items from the API omit apiVersion and kind; `kubectl get -o yaml` prints them. */
function withListDefaults(item: JsonObject, list: JsonObject, listKind: string): JsonObject {
  if (listKind === 'List') return item;
  return {
    ...(item['apiVersion'] === undefined ? { apiVersion: stringField(list, 'apiVersion') } : {}),
    ...(item['kind'] === undefined ? { kind: listKind.slice(0, -'List'.length) } : {}),
    ...item,
  };
}

function toManifest(object: JsonObject, source: string, line: number): ManifestObject {
  return { apiVersion: stringField(object, 'apiVersion'), kind: stringField(object, 'kind'), object, source, line };
}

function stringField(object: JsonObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

const describe = (value: unknown): string => (Array.isArray(value) ? 'a list' : `a ${typeof value}`);

/** Input that is not YAML or JSON, or a document that is not a Kubernetes object. */
export class ManifestSyntaxError extends Error {
  override readonly name = 'ManifestSyntaxError';
  /** The file name or other label the text was read from. */
  readonly source: string;
  /** 1-based line of the problem, as the parser reports it. */
  readonly line: number;
  /** 1-based column of the problem, as the parser reports it. */
  readonly column: number;

  constructor(source: string, line: number, column: number, reason: string) {
    super(`${source}:${line}:${column}: ${reason}`);
    this.source = source;
    this.line = line;
    this.column = column;
  }
}
