import type { KeyUnits } from '../dynamo/capacity-meter.js';
import { median } from '../shared/stats.js';

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

/** What the model assumes AWS takes to answer a single-item request: DynamoDB's "single-digit milliseconds". */
export const AWS_SINGLE_ITEM_MS = 5;

const SINGLE_ITEM = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']);

/** How much faster AWS would run the same work: Local's median single-item latency here ÷ AWS's, at least 1. */
export type SpeedModel = Readonly<{ localMedianMs: number; awsMs: number; factor: number }>;

/**
 * The speed-up from DynamoDB Local on this machine to AWS, assuming the whole run (handler time included)
 * compresses as its single-item requests do. Used to carry per-key rates measured here over to AWS.
 */
export function awsSpeedUp(log: readonly KeyUnits[]): SpeedModel {
  const latencies = log.filter((entry) => SINGLE_ITEM.has(entry.operation)).map((entry) => entry.ms);
  const localMedianMs = latencies.length === 0 ? AWS_SINGLE_ITEM_MS : median(latencies);
  return { localMedianMs, awsMs: AWS_SINGLE_ITEM_MS, factor: Math.max(1, localMedianMs / AWS_SINGLE_ITEM_MS) };
}
