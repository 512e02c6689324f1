import { describe, expect, it } from 'vitest';
import { openKubeWatch } from '../../../../functions/api/kube/kube-routes.js';
import { InMemoryHeartbeatStore } from '../../../../lib/store/memory/in-memory-heartbeat-store.js';
import { apiEvent } from '../api-harness.js';
import { aKubeApi, node } from './kube-harness.js';

type Json = Record<string, unknown>;
const lines = (body: string | undefined): Json[] =>
  (body ?? '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
/** The resourceVersion an event's object carries: where a client resumes. */
const versionOf = (event: Json | undefined): string =>
  String(((event?.['object'] as Json | undefined)?.['metadata'] as Json | undefined)?.['resourceVersion']);
const eventSummary = (event: Json) => {
  const object = event['object'] as { metadata: Json };
  return `${String(event['type'])} ${String(object.metadata['name'] ?? '')}`;
};

describe('watch on the Kubernetes API', () => {
  it('long-polls from a listed resourceVersion: the changes since, each at the version to resume from', async () => {
    const { request, raw } = aKubeApi();
    await request('POST', '/api/v1/nodes', { body: node('a') });
    const listed = (await request('GET', '/api/v1/nodes')).body;
    const version = String((listed['metadata'] as Json)['resourceVersion']);

    await request('POST', '/api/v1/nodes', { body: node('b') });
    await request('PATCH', '/api/v1/nodes/a', {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { zone: 'x' } } },
    });
    const watched = lines(
      (await raw('GET', '/api/v1/nodes', { query: { watch: 'true', resourceVersion: version } })).body,
    );

    expect(watched.map(eventSummary).sort()).toEqual(['ADDED b', 'MODIFIED a']);
    const resumeAt = versionOf(watched[0]);
    const relisted = (await request('GET', '/api/v1/nodes')).body;
    expect(resumeAt).toBe(String((relisted['metadata'] as Json)['resourceVersion']));

    await request('DELETE', '/api/v1/nodes/b');
    const next = lines((await raw('GET', '/api/v1/nodes', { query: { watch: '1', resourceVersion: resumeAt } })).body);
    expect(next.map(eventSummary)).toEqual(['DELETED b']);
  });

  it('answers a version it does not know with 410 Gone (Expired), so informers list again', async () => {
    const { raw } = aKubeApi();

    const gone = await raw('GET', '/api/v1/nodes', { query: { watch: 'true', resourceVersion: '12345' } });
    expect(gone.statusCode).toBe(410);
    expect(JSON.parse(gone.body ?? '{}')).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(JSON.parse(gone.body ?? '{}')['message']).toMatch(/^too old resource version: 12345 \(\d+\)$/);
  });

  it('starts from the current state as ADDED events without a resourceVersion, and ends with a bookmark', async () => {
    const { request, raw } = aKubeApi();
    await request('POST', '/api/v1/nodes', { body: node('a') });

    const first = lines(
      (await raw('GET', '/api/v1/nodes', { query: { watch: 'true', allowWatchBookmarks: 'true' } })).body,
    );
    expect(first.map(eventSummary)).toEqual(['ADDED a', 'BOOKMARK ']);

    const version = versionOf(first[0]);
    const quiet = lines(
      (
        await raw('GET', '/api/v1/nodes', {
          query: { watch: 'true', resourceVersion: version, allowWatchBookmarks: 'true', timeoutSeconds: '1' },
        })
      ).body,
    );
    expect(quiet).toEqual([
      { type: 'BOOKMARK', object: { kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion: version } } },
    ]);
  });

  it('streams a watch on a server that can, each change as it happens, until the client goes away', async () => {
    const { store, ingest, request } = aKubeApi();
    await request('POST', '/api/v1/nodes', { body: node('a') });
    const aborted = new AbortController();
    const stream = await openKubeWatch(
      apiEvent('GET', '/api/v1/nodes', { query: { watch: 'true' } }),
      { store, ingest, heartbeats: new InMemoryHeartbeatStore() },
      aborted.signal,
    );
    if (stream === undefined || !(Symbol.asyncIterator in stream)) throw new Error('expected a stream');
    const iterator = stream[Symbol.asyncIterator]();

    expect(eventSummary(JSON.parse(String((await iterator.next()).value)) as Json)).toBe('ADDED a');
    await request('POST', '/api/v1/nodes', { body: node('b') });
    expect(eventSummary(JSON.parse(String((await iterator.next()).value)) as Json)).toBe('ADDED b');
    aborted.abort();
    expect((await iterator.next()).done).toBe(true);
  });

  it('leaves requests that are not watches to the handler', async () => {
    const { store, ingest } = aKubeApi();

    expect(
      await openKubeWatch(
        apiEvent('GET', '/api/v1/nodes'),
        { store, ingest, heartbeats: new InMemoryHeartbeatStore() },
        new AbortController().signal,
      ),
    ).toBeUndefined();
    expect(
      await openKubeWatch(
        apiEvent('GET', '/v1/nodes', { query: { watch: 'true' } }),
        { store, ingest, heartbeats: new InMemoryHeartbeatStore() },
        new AbortController().signal,
      ),
    ).toBeUndefined();
  });
});
