import type { ResultTable } from '../shared/bench-result.js';
import { formatCount, formatUnits } from '../shared/stats.js';

/** DynamoDB on-demand prices, us-east-1, after the November 2024 cut (USD per million request units). */
export const ON_DEMAND_PRICES = { readPerMillion: 0.25, writePerMillion: 1.25 } as const;

/** The fleet the issue sizes for, and the resync schedule (every 5 minutes: 12 × 24 × 30 a month). */
export const TARGET = { nodes: 10_000, daemonSets: 100, resyncsPerMonth: 8_640 } as const;

export type Units = Readonly<{ readUnits: number; writeUnits: number }>;

/** Units measured at one fleet size. */
export type SizedUnits = Units & Readonly<{ nodes: number }>;

/** `fixed + perNode × N`, fitted to measurements. */
export type LinearFit = Readonly<{ fixed: number; perNode: number }>;

/**
 * Least squares over the measured sizes, kept non-negative: a negative slope (noise around a flat cost)
 * becomes a flat cost at the mean, a negative intercept a line through the origin.
 */
export function fitLinear(points: readonly Readonly<{ x: number; y: number }>[]): LinearFit {
  const count = points.length;
  if (count === 0) return { fixed: 0, perNode: 0 };
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / count;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / count;
  const spread = points.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0);
  if (spread === 0) return { fixed: 0, perNode: meanX === 0 ? 0 : meanY / meanX };
  const slope = points.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0) / spread;
  if (slope <= 0) return { fixed: meanY, perNode: 0 };
  const intercept = meanY - slope * meanX;
  if (intercept >= 0) return { fixed: intercept, perNode: slope };
  const throughOrigin =
    points.reduce((sum, point) => sum + point.x * point.y, 0) / points.reduce((sum, point) => sum + point.x ** 2, 0);
  return { fixed: 0, perNode: throughOrigin };
}

export const evaluate = (fit: LinearFit, nodes: number): number => fit.fixed + fit.perNode * nodes;

/** Units fitted in N, read and write apart, from measurements at several sizes. */
export function fitUnits(samples: readonly SizedUnits[]): Readonly<{ read: LinearFit; write: LinearFit }> {
  return {
    read: fitLinear(samples.map((sample) => ({ x: sample.nodes, y: sample.readUnits }))),
    write: fitLinear(samples.map((sample) => ({ x: sample.nodes, y: sample.writeUnits }))),
  };
}

export type CostLine = Readonly<{ item: string; units: Units; how: string }>;

export const dollars = (units: Units): number =>
  (units.readUnits * ON_DEMAND_PRICES.readPerMillion + units.writeUnits * ON_DEMAND_PRICES.writePerMillion) / 1e6;

const formatDollars = (value: number): string =>
  value >= 100 ? `$${formatCount(value)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;

const describeFit = (fit: LinearFit): string => `${formatUnits(round(fit.fixed))} + ${fit.perNode.toPrecision(3)}·N`;

const round = (value: number): number => Math.round(value * 10) / 10;

/** Inputs of the model: all measured in this run. */
export type CostInputs = Readonly<{
  daemonSetsPerJoin: number;
  /** One node join at each measured size (medians). */
  joins: readonly SizedUnits[];
  /** One no-op resync pass of one DaemonSet at each measured size. */
  resyncPasses: readonly SizedUnits[];
  /** A whole rolling update of one DaemonSet (maxUnavailable 10 %: ten budget rounds). */
  rollout: SizedUnits;
}>;

export type CostModel = Readonly<{ lines: readonly CostLine[]; modelledJoin: Units; table: ResultTable }>;

/**
 * Units and dollars per node join, per rollout wave and per month of resync at 10,000 nodes × 100
 * DaemonSets, extrapolated from measured units: costs fitted as `fixed + perNode × N` over the measured
 * sizes and evaluated at 10,000; a join's units scaled by 100 / D (every DaemonSet is looked at on a join,
 * matching or not, so all of it is counted as per-DaemonSet work: an upper bound for any per-join part);
 * a wave is a tenth of a rollout (maxUnavailable 10 %), scaled by 10,000 / N when measured on fewer nodes.
 */
export function modelAwsCost(inputs: CostInputs): CostModel {
  const join = fitUnits(inputs.joins);
  const perDaemonSet = TARGET.daemonSets / inputs.daemonSetsPerJoin;
  const largest = inputs.joins.toSorted((a, b) => b.nodes - a.nodes)[0];
  const modelledJoin = {
    readUnits: evaluate(join.read, TARGET.nodes) * perDaemonSet,
    writeUnits: evaluate(join.write, TARGET.nodes) * perDaemonSet,
  };
  const waveScale = TARGET.nodes / inputs.rollout.nodes;
  const wave = {
    readUnits: (inputs.rollout.readUnits / 10) * waveScale,
    writeUnits: (inputs.rollout.writeUnits / 10) * waveScale,
  };
  const resync = fitUnits(inputs.resyncPasses);
  const pass = { readUnits: evaluate(resync.read, TARGET.nodes), writeUnits: evaluate(resync.write, TARGET.nodes) };
  const passesPerMonth = TARGET.daemonSets * TARGET.resyncsPerMonth;
  const lines: CostLine[] = [
    ...(largest === undefined
      ? []
      : [
          {
            item: `node join, ${formatCount(largest.nodes)} nodes, D = ${inputs.daemonSetsPerJoin} (measured)`,
            units: largest,
            how: 'measured',
          },
        ]),
    {
      item: `node join, ${formatCount(TARGET.nodes)} nodes × ${TARGET.daemonSets} DaemonSets (modelled)`,
      units: modelledJoin,
      how: `RCU ${describeFit(join.read)}, WCU ${describeFit(join.write)} (fit over N = ${inputs.joins.map((j) => formatCount(j.nodes)).join(', ')}), at N = 10,000, × ${TARGET.daemonSets}/${inputs.daemonSetsPerJoin}`,
    },
    {
      item: `rollout wave, one DaemonSet, ${formatCount(TARGET.nodes)} nodes (${formatCount(TARGET.nodes / 10)} pods)`,
      units: wave,
      how:
        waveScale === 1
          ? 'measured rollout ÷ 10 budget rounds'
          : `measured rollout on ${formatCount(inputs.rollout.nodes)} nodes ÷ 10 rounds, × ${formatCount(waveScale)} (pods and reads per wave grow with N)`,
    },
    {
      item: `resync pass, one DaemonSet, ${formatCount(TARGET.nodes)} nodes (modelled)`,
      units: pass,
      how: `RCU ${describeFit(resync.read)}, WCU ${describeFit(resync.write)} (fit over the measured N), at N = 10,000`,
    },
    {
      item: `resync, one month, ${formatCount(TARGET.nodes)} nodes × ${TARGET.daemonSets} DaemonSets`,
      units: { readUnits: pass.readUnits * passesPerMonth, writeUnits: pass.writeUnits * passesPerMonth },
      how: `one pass × ${TARGET.daemonSets} DaemonSets × ${formatCount(TARGET.resyncsPerMonth)} resyncs (every 5 minutes, 30 days)`,
    },
  ];
  return {
    lines,
    modelledJoin,
    table: {
      title: `Modelled AWS cost (on-demand, us-east-1: $${ON_DEMAND_PRICES.readPerMillion} per million read request units, $${ON_DEMAND_PRICES.writePerMillion} per million write request units; units measured in this run)`,
      columns: ['item', 'RCU', 'WCU', 'reads', 'writes', 'total', 'how'],
      rows: lines.map((line) => [
        line.item,
        formatCount(line.units.readUnits),
        formatCount(line.units.writeUnits),
        formatDollars(dollars({ readUnits: line.units.readUnits, writeUnits: 0 })),
        formatDollars(dollars({ readUnits: 0, writeUnits: line.units.writeUnits })),
        formatDollars(dollars(line.units)),
        line.how,
      ]),
    },
  };
}
