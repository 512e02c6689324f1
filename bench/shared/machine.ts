import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a run measured on, as docs/BENCHMARKS.md reports it. */
export type MachineInfo = Readonly<{
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  memory: string;
  platform: string;
}>;

export function describeMachine(): MachineInfo {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memory: freeSummary() ?? `${(totalmem() / 1024 ** 3).toFixed(1)} GiB total`,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The `Mem:` line of `free -h`, when `free` exists. */
function freeSummary(): string | undefined {
  try {
    const output = execFileSync('free', ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const memory = output.split('\n').find((line) => line.startsWith('Mem:'));
    const [, total, used] = memory?.split(/\s+/) ?? [];
    return total === undefined ? undefined : `${total} total, ${used ?? '?'} used (free -h)`;
  } catch {
    return undefined;
  }
}
