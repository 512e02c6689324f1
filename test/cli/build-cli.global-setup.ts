import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds dist/everynode.mjs (as `npm ci` does) unless it is newer than every source file, so CLI tests run
 * the real binary as users do, and two test projects starting together build it only once. A failed build
 * removes the bundle instead of failing the whole run: only the tests that run the CLI then fail, with the
 * binary's own "not built" message, while every other suite still runs.
 */
export function setup(): void {
  const bundle = join(ROOT, 'dist', 'everynode.mjs');
  if (modifiedAt(bundle) > newestSource()) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { stdio: 'pipe' });
  } catch (error) {
    rmSync(bundle, { force: true });
    process.stderr.write(
      `everynode CLI build failed; CLI tests will fail:\n${String((error as { stderr?: unknown }).stderr ?? error)}\n`,
    );
  }
}

function newestSource(): number {
  const sources = [
    join(ROOT, 'scripts', 'build-cli.mjs'),
    join(ROOT, 'package-lock.json'),
    ...walk(join(ROOT, 'lib')),
    ...walk(join(ROOT, 'cli')),
    ...walk(join(ROOT, 'agent')),
  ];
  return Math.max(...sources.map(modifiedAt));
}

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
