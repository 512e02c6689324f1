import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeats } from '../../../agent/start-heartbeats.js';

// The agent's HTTP heartbeats, on a fake clock: every --heartbeat-interval, or only every --fallback-poll-interval
// while the push connection is up (its broker's presence events then tell the control plane the node is alive).

const SECOND = 1000;

describe('startHeartbeats', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function run(connected: { now: boolean } | undefined, heartbeat: () => Promise<boolean> = async () => true) {
    const beats: number[] = [];
    const log: string[] = [];
    const heartbeats = startHeartbeats({
      heartbeat: async () => {
        beats.push(Date.now());
        return heartbeat();
      },
      register: async () => 'registered',
      settling: () => false,
      intervalMs: 15 * SECOND,
      ...(connected === undefined ? {} : { relaxed: { intervalMs: 300 * SECOND, while: () => connected.now } }),
      log: (line) => log.push(line),
    });
    return { beats, log, heartbeats };
  }

  it('beats at once and then every heartbeat interval without a push connection', async () => {
    const { beats, heartbeats } = run(undefined);

    await vi.advanceTimersByTimeAsync(60 * SECOND);
    heartbeats.stop();

    expect(beats).toHaveLength(5);
  });

  it('beats only every fallback interval while pushed, and every heartbeat interval again once the push is lost', async () => {
    const connected = { now: true };
    const start = Date.now();
    const { beats, heartbeats } = run(connected);

    await vi.advanceTimersByTimeAsync(600 * SECOND);
    expect(beats.map((at) => (at - start) / SECOND)).toEqual([0, 300, 600]);

    connected.now = false;
    await vi.advanceTimersByTimeAsync(45 * SECOND);
    heartbeats.stop();

    expect(beats.map((at) => (at - start) / SECOND)).toEqual([0, 300, 600, 615, 630, 645]);
  });

  it('registers a node that is gone, and logs failures once until they end', async () => {
    let answers = [true, false, true];
    const failing = { now: false };
    const { log, heartbeats } = run(undefined, async () => {
      if (failing.now) throw new Error('unreachable');
      const [answer = true, ...rest] = answers;
      answers = rest;
      return answer;
    });

    await vi.advanceTimersByTimeAsync(15 * SECOND);
    failing.now = true;
    await vi.advanceTimersByTimeAsync(45 * SECOND);
    failing.now = false;
    await vi.advanceTimersByTimeAsync(15 * SECOND);
    heartbeats.stop();

    expect(log).toEqual([
      'node not found: registering it again (registered)',
      'heartbeat failed (retrying): unreachable',
      'heartbeats are getting through again',
    ]);
  });
});
