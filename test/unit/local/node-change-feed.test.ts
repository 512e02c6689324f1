import { describe, expect, it } from 'vitest';
import { NodeChangeFeed } from '../../../local/node-change-feed.js';

const LONG = 60_000;

describe('NodeChangeFeed', () => {
  it("answers a waiting agent when its node's pods change, and not for another node's", async () => {
    const feed = new NodeChangeFeed();
    const token = feed.tokenOf('worker-1');
    let answered: string | undefined;
    const waiting = feed.wait('worker-1', token, LONG, new AbortController().signal).then((next) => {
      answered = next;
      return next;
    });

    feed.podsChanged(['worker-2']);
    await new Promise(setImmediate);
    const afterOther = answered;
    feed.podsChanged(['worker-1', 'worker-1']);
    const next = await waiting;

    expect(afterOther).toBeUndefined();
    expect(next).not.toBe(token);
    expect(feed.tokenOf('worker-1')).toBe(next);
  });

  it("answers at once when the agent's token is stale or from another run, and with the same token on timeout", async () => {
    const feed = new NodeChangeFeed();
    const stale = feed.tokenOf('worker-1');
    feed.podsChanged(['worker-1']);

    const atOnce = await feed.wait('worker-1', stale, LONG, new AbortController().signal);
    const otherRun = await feed.wait(
      'worker-1',
      new NodeChangeFeed().tokenOf('worker-1'),
      LONG,
      new AbortController().signal,
    );
    const first = await feed.wait('worker-1', undefined, LONG, new AbortController().signal);
    const timedOut = await feed.wait('worker-1', atOnce, 1, new AbortController().signal);

    expect([atOnce, otherRun, first, timedOut]).toEqual(Array(4).fill(feed.tokenOf('worker-1')));
  });

  it('lets go of a waiter whose request went away, and of every waiter on close', async () => {
    const feed = new NodeChangeFeed();
    const token = feed.tokenOf('worker-1');
    const gone = new AbortController();
    const abandoned = feed.wait('worker-1', token, LONG, gone.signal);
    const kept = feed.wait('worker-1', token, LONG, new AbortController().signal);

    gone.abort();
    await abandoned;
    feed.close();

    expect(await kept).toBe(token);
  });
});
