/**
 * `npm run test:chaos [-- --sabotage] [vitest options]`: the chaos suite at 3000 sequences, or (with
 * `--sabotage`) against every sabotage mode at CI's 30 sequences, printing `sabotage caught K/K`. Vitest refuses
 * options it does not know, so this reads `--sabotage` and passes the rest on. `EVERYNODE_CHAOS_SEQUENCES`,
 * `EVERYNODE_CHAOS_SEED` and `EVERYNODE_CHAOS_SABOTAGE` (`all` or a comma-separated list of modes) override.
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const sabotage = args.includes('--sabotage');
const env = { ...process.env };
if (sabotage) env['EVERYNODE_CHAOS_SABOTAGE'] ??= 'all';
env['EVERYNODE_CHAOS_SEQUENCES'] ??= sabotage ? '30' : '3000';
const vitest = ['vitest', 'run', '--project', 'integration', 'test/integration/chaos.int.test.ts'];
const result = spawnSync('npx', [...vitest, ...args.filter((arg) => arg !== '--sabotage')], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
