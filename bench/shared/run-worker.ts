import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root, so workers resolve `tsx` and `node_modules` whatever the caller's directory. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs a TypeScript worker in a fresh Node process (through tsx) with extra Node flags, and parses the
 * JSON it prints as its last stdout line. Fresh processes keep measurements free of earlier benchmarks'
 * heap and JIT state.
 */
export async function runWorker<T>(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<T> {
  const { stdout } = await run(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    cwd: REPOSITORY_ROOT,
    maxBuffer: 16 << 20,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const last = stdout.trim().split('\n').at(-1);
  if (last === undefined || last === '') throw new Error(`worker ${script} printed nothing`);
  return JSON.parse(last) as T;
}
