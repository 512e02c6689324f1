import type { KeyUnits } from '../dynamo/capacity-meter.js';

/** One partition key's load during a run: its busiest one-second window, and its total. */
export type KeyPeak = Readonly<{ partition: string; peakPerSecond: number; total: number; share: number }>;

const WINDOW_MS = 1000;

/**
 * The `top` partition keys by their busiest one-second window of `units` (a sliding window: any interval
 * of one second, each request counted at the moment its response arrived). `share` is the key's part of
 * all such units in the run, which does not depend on how fast the machine served them.
 */
export function topKeyPeaks(log: readonly KeyUnits[], units: 'readUnits' | 'writeUnits', top = 3): readonly KeyPeak[] {
  const byPartition = new Map<string, { at: number; units: number }[]>();
  let all = 0;
  for (const entry of log) {
    const value = entry[units];
    if (value <= 0) continue;
    all += value;
    const list = byPartition.get(entry.partition) ?? [];
    list.push({ at: entry.at, units: value });
    byPartition.set(entry.partition, list);
  }
  const peaks = [...byPartition].map(([partition, entries]): KeyPeak => {
    const sorted = entries.toSorted((a, b) => a.at - b.at);
    let peak = 0;
    let inWindow = 0;
    let total = 0;
    let first = 0;
    for (const entry of sorted) {
      inWindow += entry.units;
      total += entry.units;
      while ((sorted[first]?.at ?? entry.at) <= entry.at - WINDOW_MS) {
        inWindow -= sorted[first]?.units ?? 0;
        first += 1;
      }
      peak = Math.max(peak, inWindow);
    }
    return { partition, peakPerSecond: peak, total, share: all === 0 ? 0 : total / all };
  });
  return peaks.sort((a, b) => b.peakPerSecond - a.peakPerSecond).slice(0, top);
}
