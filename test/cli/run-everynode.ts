import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the CLI runs from here, as `npx everynode` does. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const BIN = fileURLToPath(new URL('../../bin/everynode.mjs', import.meta.url));

/** A path under test/fixtures/manifests/, relative to the repository root. */
export const fixture = (name: string): string => `test/fixtures/manifests/${name}`;

export type CliResult = Readonly<{ code: number; stdout: string; stderr: string }>;

export type CliRun = Readonly<{
  env?: Readonly<Record<string, string>>;
  /** Written to standard input (for `-f -`). */
  input?: string;
  cwd?: string;
}>;

/**
 * Runs the built `bin/everynode.mjs` with plain node, as a user would. The environment is cleared of
 * everynode settings so a local control plane on this machine never leaks into a test.
 */
export function runEverynode(args: readonly string[], run: CliRun = {}): Promise<CliResult> {
  const { EVERYNODE_ENDPOINT: _endpoint, EVERYNODE_TOKEN: _token, EVERYNODE_STATE_DIR: _state, ...env } = process.env;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: run.cwd ?? REPOSITORY_ROOT, env: { ...env, NO_COLOR: '1', ...run.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(run.input ?? '');
  });
}
