import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_DIR_LOCK_FILE } from '../../local/state-dir-lock.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(REPOSITORY, 'node_modules', '.bin', 'tsx');
const STARTUP_MS = 90_000;

type Started = Readonly<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }>;

/** `npm start`'s command (tsx local/main.ts), or node with tsx's loader when `direct` (no tsx parent). */
function startControlPlane(stateDir: string, direct: boolean): Started {
  const args = ['local/main.ts', '--port', '0', '--no-agents', '--state-dir', stateDir];
  const child = direct
    ? spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(TSX, args, { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = STARTUP_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The DynamoDB Local JVMs running on this state folder's data. */
const jvmsOn = (stateDir: string): number[] => processesMatching(`LoopbackDynamoDbLocal.java .*${stateDir}`);

function processesMatching(pattern: string): number[] {
  try {
    const found = execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
    return found.split('\n').filter(Boolean).map(Number).filter(isAlive);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Running, and not a zombie waiting for a reaper (a container's init may never reap it). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('Z');
  } catch {
    return false;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const dynamoPort = (output: string): number | undefined => {
  const match = /DynamoDB {3}http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
};

describe('the local control plane as a process', () => {
  const stateDirs: string[] = [];
  const started: Started[] = [];
  const stateDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'everynode-process-'));
    stateDirs.push(dir);
    return dir;
  };
  const start = (dir: string, direct: boolean): Started => {
    const plane = startControlPlane(dir, direct);
    started.push(plane);
    return plane;
  };
  const running = (plane: Started) =>
    until(() => (plane.output().includes('everynode is running locally') ? true : undefined), 'started');

  beforeAll(() => {
    expect(existsSync(TSX)).toBe(true);
  });

  afterAll(async () => {
    for (const plane of started) plane.child.kill('SIGKILL');
    for (const dir of stateDirs) {
      // A control plane left running by a failed test (its tsx parent killed), then any JVM of its folder.
      for (const pid of processesMatching(`local/main\\.ts .*${dir}`)) process.kill(pid, 'SIGKILL');
      for (const pid of jvmsOn(dir)) process.kill(pid, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves DynamoDB Local on 127.0.0.1 only, and refuses a second control plane on the same state folder', async () => {
    const dir = await stateDir();
    const first = start(dir, true);
    await running(first);
    const port = await until(() => dynamoPort(first.output()), 'DynamoDB Local port');

    const second = start(dir, true);
    const code = await second.exited;

    expect(await canConnect('127.0.0.1', port)).toBe(true);
    // Linux routes all of 127.0.0.0/8 to loopback: a server bound to every interface answers on 127.0.0.2.
    expect(await canConnect('127.0.0.2', port)).toBe(false);
    expect(code).toBe(1);
    expect(second.output()).toContain(`another everynode control plane (pid ${first.child.pid}) is running on ${dir}`);
    expect(jvmsOn(dir)).toHaveLength(1);
  });

  it('takes DynamoDB Local down with it when killed with SIGKILL, and a restart takes over the stale lock', async () => {
    const dir = await stateDir();
    const first = start(dir, true);
    await running(first);
    const [jvm] = jvmsOn(dir);

    first.child.kill('SIGKILL');
    await first.exited;
    await until(() => (jvm !== undefined && !isAlive(jvm) ? true : undefined), 'the JVM ended', 20_000);
    const lockLeft = existsSync(join(dir, STATE_DIR_LOCK_FILE));
    const restarted = start(dir, true);
    await running(restarted);
    const jvmsAfterRestart = jvmsOn(dir);
    restarted.child.kill('SIGTERM');
    const code = await restarted.exited;

    expect(jvm).toBeDefined();
    expect(lockLeft).toBe(true);
    expect(jvmsAfterRestart).toHaveLength(1);
    expect(code).toBe(0);
    expect(jvmsOn(dir)).toEqual([]);
    expect(existsSync(join(dir, STATE_DIR_LOCK_FILE))).toBe(false);
  });

  it('stops, JVM included, when the tsx process that started it is killed with SIGKILL', async () => {
    const dir = await stateDir();
    const launcher = start(dir, false);
    await running(launcher);
    const [jvm] = jvmsOn(dir);

    launcher.child.kill('SIGKILL');

    expect(jvm).toBeDefined();
    await until(() => (jvmsOn(dir).length === 0 ? true : undefined), 'the JVM ended', 30_000);
    await until(
      () => (existsSync(join(dir, STATE_DIR_LOCK_FILE)) ? undefined : true),
      'the control plane released its lock',
      30_000,
    );
  });
});
