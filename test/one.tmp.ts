import { runChaosSequence } from '/work/wt-chaos/test/fixtures/events/chaos-run.ts';
const seeds = process.argv.slice(2).map(Number);
for (const seed of seeds) {
  const t = performance.now();
  const r = await runChaosSequence(seed, {
    endpoint: process.env.EP ?? '',
    backend: (process.env.BACKEND as 'memory') ?? 'memory',
    faultProbability: 0.1,
  });
  console.log(
    seed,
    'fleet',
    r.fleet,
    'rounds',
    r.rounds,
    'inv',
    r.invocations,
    'deliv',
    r.deliveries,
    'events',
    r.events,
    'chunks',
    r.multiChunkSteps,
    ((performance.now() - t) / 1000).toFixed(1) + 's',
    r.violations.slice(0, 3),
  );
}
