import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The lock file in a state folder: `{"pid": <the control plane's process id>}`. */
export const STATE_DIR_LOCK_FILE = 'control-plane.lock';

/** Another control plane is running on the same state folder. */
export class StateDirInUseError extends Error {
  override readonly name = 'StateDirInUseError';
  readonly pid: number;

  constructor(stateDir: string, pid: number) {
    super(
      `another everynode control plane (pid ${pid}) is running on ${stateDir}; stop it first, or pass --state-dir <dir>`,
    );
    this.pid = pid;
  }
}

/** A held lock; `release` removes the file if it is still ours. Safe to call twice. */
export type StateDirLock = Readonly<{ release: () => Promise<void> }>;

/**
 * Takes the state folder for this process: two control planes on one folder would run two DynamoDB Locals
 * on the same files and overwrite each other's token. The lock file is created exclusively and holds our
 * pid; a lock whose process no longer runs (left by a `kill -9` or a crash) is stale and taken over.
 *
 * @throws StateDirInUseError when a running process holds it.
 */
export async function lockStateDir(stateDir: string, pid: number = process.pid): Promise<StateDirLock> {
  const file = join(stateDir, STATE_DIR_LOCK_FILE);
  if (heldHere.has(file)) throw new StateDirInUseError(stateDir, pid);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await writeFile(file, `${JSON.stringify({ pid })}\n`, { flag: 'wx', mode: 0o600 });
      heldHere.add(file);
      return {
        release: async () => {
          heldHere.delete(file);
          await releaseIfOurs(file, pid);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await holderOf(file);
    // A file naming our own pid that this process does not hold was left by an earlier process that had
    // the same pid (a container restarted, say): stale.
    if (holder !== undefined && holder !== pid && isRunning(holder)) throw new StateDirInUseError(stateDir, holder);
    // Stale (its process is gone), unreadable (a holder that died while writing it), or our own: take it over.
    await rm(file, { force: true });
  }
  throw new Error(`could not take ${file}: it keeps reappearing`);
}

/** Lock files this process holds: a second control plane in the same process is refused too. */
const heldHere = new Set<string>();

async function holderOf(file: string): Promise<number | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    const pid = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['pid'] : undefined;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists under another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfOurs(file: string, pid: number): Promise<void> {
  if ((await holderOf(file)) === pid) await rm(file, { force: true });
}
