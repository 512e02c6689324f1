import type { JsonObject } from '../../../lib/model/daemon-set.js';
import { ApiError } from '../responses.js';
import type { Snapshot } from './watch-history.js';

/** A `continue` token: the collection version the first page listed, and the key the next page starts after. */
export type ContinueToken = Readonly<{ resourceVersion: string; start: string }>;

/**
 * The version an expired token is renewed with: go on from the current state (an inconsistent continuation),
 * as the API server marks such a token (`rv: -1`).
 */
export const LATEST = '-1';

export type Page = Readonly<{ items: JsonObject[]; continueToken?: string; remaining?: number }>;

/** Encodes a token as the API server does: base64 of `{"v":"meta.k8s.io/v1","rv":...,"start":...}`. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.resourceVersion, start: token.start })).toString(
    'base64url',
  );
}

/** Decodes a `continue` parameter; undefined when absent. @throws ApiError 400 for one that does not decode. */
export function decodeContinue(text: string | undefined): ContinueToken | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof decoded.start !== 'string') throw new Error('no start');
    // A token from before versions were carried goes on from the current state.
    const resourceVersion = typeof decoded.rv === 'string' && decoded.rv !== '' ? decoded.rv : LATEST;
    return { resourceVersion, start: decoded.start };
  } catch {
    throw new ApiError(400, 'BadRequest', 'continue key is not valid: the token does not decode');
  }
}

/** `limit`: 0 (or absent) for no limit. @throws ApiError 400 for anything but a non-negative integer. */
export function parseLimit(text: string | undefined): number {
  const limit = text === undefined || text === '' ? 0 : Number(text);
  if (!Number.isInteger(limit) || limit < 0)
    throw new ApiError(400, 'BadRequest', `limit must be a non-negative integer, not ${text}`);
  return limit;
}

/** Each snapshot's keys in order, computed once: a page is then a binary search and a slice. */
const SORTED_KEYS = new WeakMap<Snapshot, readonly string[]>();

function sortedKeys(snapshot: Snapshot): readonly string[] {
  let keys = SORTED_KEYS.get(snapshot);
  if (keys === undefined) {
    keys = [...snapshot.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    SORTED_KEYS.set(snapshot, keys);
  }
  return keys;
}

/**
 * One page of a listed state of a collection, in key order: the members after `start`, at most `limit` (all
 * when 0), with a token for the next page naming the same state, so every page of a paged list comes from the
 * one state the first page listed (a consistent list, as the API server serves one from its storage's
 * snapshot). Only the page's members are touched: the state was rendered once, when it was listed.
 */
export function pageOf(snapshot: Snapshot, resourceVersion: string, start: string | undefined, limit: number): Page {
  const keys = sortedKeys(snapshot);
  let from = 0;
  if (start !== undefined) {
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((keys[middle] ?? '') <= start) low = middle + 1;
      else high = middle;
    }
    from = low;
  }
  const end = limit === 0 ? keys.length : Math.min(keys.length, from + limit);
  const items = keys.slice(from, end).flatMap((key) => {
    const object = snapshot.get(key);
    return object === undefined ? [] : [object];
  });
  if (end >= keys.length) return { items };
  const last = keys[end - 1] ?? '';
  return { items, continueToken: encodeContinue({ resourceVersion, start: last }), remaining: keys.length - end };
}

/**
 * Kubernetes' `410 Expired` for a continuation whose listed state is no longer kept (the API server's answer
 * once etcd compacted the version), with a token in `metadata.continue` that goes on from the current state.
 */
export function expiredContinue(token: ContinueToken) {
  return {
    statusCode: 410,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: { continue: encodeContinue({ resourceVersion: LATEST, start: token.start }) },
      status: 'Failure',
      message:
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      reason: 'Expired',
      code: 410,
    }),
  };
}
