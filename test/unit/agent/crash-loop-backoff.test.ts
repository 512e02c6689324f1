import { describe, expect, it } from 'vitest';
import { crashLoopDelayMs } from '../../../agent/crash-loop-backoff.js';
import { defaultPullPolicy, imageToPull } from '../../../agent/image-pull-policy.js';

describe('crashLoopDelayMs', () => {
  it("doubles Kubernetes' 10 s back-off per restart up to 5 minutes", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 10].map((restarts) => crashLoopDelayMs(restarts, 1_000));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('starts over for a container that ran for ten minutes before it exited', () => {
    expect(crashLoopDelayMs(7, 600_000)).toBe(0);
    expect(crashLoopDelayMs(7, 599_999)).toBe(300_000);
  });
});

describe('image pull policy', () => {
  it('defaults to Always for latest or untagged images and IfNotPresent otherwise, as Kubernetes does', () => {
    expect(defaultPullPolicy('busybox')).toBe('Always');
    expect(defaultPullPolicy('busybox:latest')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/team/busybox')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/team/busybox:1.36')).toBe('IfNotPresent');
    expect(defaultPullPolicy('busybox@sha256:abc')).toBe('IfNotPresent');
  });

  it('pulls only what the policy asks for, and refuses an absent image with Never', async () => {
    const present = { hasImage: async () => true };
    const absent = { hasImage: async () => false };
    expect(await imageToPull('busybox:1', undefined, present)).toBe(false);
    expect(await imageToPull('busybox:1', undefined, absent)).toBe(true);
    expect(await imageToPull('busybox:1', 'Always', present)).toBe(true);
    expect(await imageToPull('busybox:1', 'Never', present)).toBe(false);
    await expect(imageToPull('busybox:1', 'Never', absent)).rejects.toThrow(/ErrImageNeverPull/);
  });
});
