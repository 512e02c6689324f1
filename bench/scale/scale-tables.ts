import type { Run } from '../dynamo/convergence-bench.js';
import type { ResultTable } from '../shared/bench-result.js';
import { formatCount, formatRatio, formatSeconds, formatUnits, median } from '../shared/stats.js';
import type { BurstFigures } from './join-burst-keys.js';
import type { KeyPeak } from './key-peaks.js';
import { GPU_DAEMON_SETS, type SizeFigures } from './measure-node-joins.js';

/** Units with thousands separators, keeping one decimal where there is one. */
const units = (value: number): string =>
  value >= 1000 ? formatCount(value) : formatUnits(Math.round(value * 10) / 10);

export function joinTable(sizes: readonly SizeFigures[]): ResultTable {
  const first = sizes[0];
  const last = sizes.at(-1);
  const ratio = (pick: (size: SizeFigures) => number) =>
    first === undefined || last === undefined ? '–' : formatRatio(pick(last) / pick(first));
  return {
    title: `One GPU node joins a settled cluster, D = ${GPU_DAEMON_SETS} GPU DaemonSets (median of the joins), and one resync pass`,
    columns: [
      'nodes',
      'reconcile passes',
      'RCU',
      'WCU',
      'join → all pods desired',
      'join → queues empty',
      'resync pass RCU',
      'resync pass WCU',
    ],
    rows: [
      ...sizes.map((size) => [
        formatCount(size.nodes),
        formatUnits(size.join.passes),
        units(size.join.readUnits),
        units(size.join.writeUnits),
        formatSeconds(size.join.desiredMs),
        formatSeconds(size.join.emptyMs),
        units(size.resyncPass.readUnits),
        units(size.resyncPass.writeUnits),
      ]),
      [
        `ratio ${formatCount(last?.nodes ?? 0)} ÷ ${formatCount(first?.nodes ?? 0)}`,
        ratio((size) => size.join.passes),
        ratio((size) => size.join.readUnits),
        ratio((size) => size.join.writeUnits),
        ratio((size) => size.join.desiredMs),
        ratio((size) => size.join.emptyMs),
        ratio((size) => size.resyncPass.readUnits),
        ratio((size) => size.resyncPass.writeUnits),
      ],
    ],
  };
}

/** The partition limits the per-key peaks are judged against (DynamoDB's per-partition throughput). */
export const PARTITION_LIMITS = { readUnits: 3_000, writeUnits: 1_000 } as const;

export function burstTable(burst: BurstFigures): ResultTable {
  const row = (units: 'RCU' | 'WCU', peak: KeyPeak, rank: number) => {
    const limit = units === 'RCU' ? PARTITION_LIMITS.readUnits : PARTITION_LIMITS.writeUnits;
    return [
      units,
      String(rank + 1),
      peak.partition,
      formatCount(peak.peakPerSecond),
      formatCount(peak.peakPerSecond * burst.speed.factor),
      peak.peakPerSecond === 0 ? '–' : formatRatio(limit / peak.peakPerSecond),
      formatCount(peak.total),
      `${(peak.share * 100).toFixed(1)} %`,
    ];
  };
  return {
    title: `Busiest partition keys in a join burst: ${formatCount(burst.nodes)} nodes join at once, ${burst.daemonSets} DaemonSets; ${formatSeconds(burst.wallMs)} to empty queues, ${formatCount(burst.passes)} reconcile passes, ${formatCount(burst.readUnits)} RCU, ${formatCount(burst.writeUnits)} WCU; single-item requests took ${burst.speed.localMedianMs.toFixed(1)} ms (median) here, so AWS at ${burst.speed.awsMs} ms is modelled ${formatRatio(burst.speed.factor)} faster`,
    columns: [
      'units',
      'rank',
      'partition key',
      'peak per 1 s, here',
      'peak per 1 s, modelled on AWS',
      'headroom here (limit ÷ peak)',
      'total in burst',
      'share of burst',
    ],
    rows: [
      ...burst.topRead.map((peak, rank) => row('RCU', peak, rank)),
      ...burst.topWrite.map((peak, rank) => row('WCU', peak, rank)),
    ],
  };
}

export function rolloutTable(runs: readonly Run[]): ResultTable {
  const spread = (values: readonly number[]) =>
    values.length === 0
      ? '–'
      : `${formatCount(Math.min(...values))} / ${formatCount(median(values))} / ${formatCount(Math.max(...values))}`;
  return {
    title:
      'Rolling update of one DaemonSet (maxUnavailable 10 %, maxSurge 0, agents ready at once); a wave is a written step that deleted outdated pods',
    columns: [
      'nodes',
      'time',
      'waves',
      'RCU',
      'WCU',
      'RCU per wave (min / median / max)',
      'WCU per wave (min / median / max)',
      'time per wave (median)',
    ],
    rows: runs.map((run) => {
      const waves = run.perWave ?? [];
      return [
        formatCount(run.nodes),
        formatSeconds(run.stats.wallMs),
        String(run.waves ?? '–'),
        formatCount(run.readUnits),
        formatCount(run.writeUnits),
        spread(waves.map((wave) => wave.readUnits)),
        spread(waves.map((wave) => wave.writeUnits)),
        waves.length === 0 ? '–' : formatSeconds(median(waves.map((wave) => wave.wallMs))),
      ];
    }),
  };
}
