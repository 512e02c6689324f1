import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockStateDir, STATE_DIR_LOCK_FILE, StateDirInUseError } from '../../../local/state-dir-lock.js';

describe('lockStateDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'everynode-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes our pid and removes the file on release', async () => {
    const lock = await lockStateDir(dir);
    const content = await readFile(join(dir, STATE_DIR_LOCK_FILE), 'utf8');

    await lock.release();

    expect(JSON.parse(content)).toEqual({ pid: process.pid });
    await expect(readFile(join(dir, STATE_DIR_LOCK_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a folder whose lock names a running process, naming it', async () => {
    await writeFile(join(dir, STATE_DIR_LOCK_FILE), JSON.stringify({ pid: process.ppid }));

    const attempt = lockStateDir(dir);

    await expect(attempt).rejects.toThrow(StateDirInUseError);
    await expect(attempt).rejects.toThrow(`another everynode control plane (pid ${process.ppid}) is running on ${dir}`);
  });

  it('takes over a lock whose process has ended', async () => {
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dir, STATE_DIR_LOCK_FILE), JSON.stringify({ pid: ended }));

    const lock = await lockStateDir(dir);

    expect(JSON.parse(await readFile(join(dir, STATE_DIR_LOCK_FILE), 'utf8'))).toEqual({ pid: process.pid });
    await lock.release();
  });

  it('refuses a second lock in the same process until the first is released', async () => {
    const first = await lockStateDir(dir);

    await expect(lockStateDir(dir)).rejects.toThrow(StateDirInUseError);
    await first.release();
    const again = await lockStateDir(dir);
    await again.release();
  });
});
