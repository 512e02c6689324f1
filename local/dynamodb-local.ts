import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The npm package that ships AWS's DynamoDB Local (folder `emulator/`); fetched with `npm pack`, never installed. */
export const DYNAMODB_LOCAL_PACKAGE = { name: 'amplify-dynamodb-simulator', version: '2.9.30' } as const;

/** `.cache/dynamodb-local/` at the repository root (git-ignored). */
export const DEFAULT_DYNAMODB_LOCAL_CACHE_DIR = fileURLToPath(new URL('../.cache/dynamodb-local', import.meta.url));

const JAR = 'DynamoDBLocal.jar';
/**
 * Runs DynamoDB Local bound to 127.0.0.1 (it has no option for that) and ends it when its standard input
 * closes, that is when this process exits in any way; run by Java as a single-file program.
 */
const LAUNCHER = fileURLToPath(new URL('./LoopbackDynamoDbLocal.java', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/**
 * Makes sure DynamoDB Local is unpacked in `cacheDir` and returns its folder (the one holding `DynamoDBLocal.jar`).
 * Downloads with `npm pack` into a private temporary folder and renames it into place, so two processes
 * racing to fetch it both end up with one complete copy.
 */
export function ensureDynamoDbLocal(
  cacheDir: string = DEFAULT_DYNAMODB_LOCAL_CACHE_DIR,
  progress: (line: string) => void = () => {},
): Promise<string> {
  let fetching = fetches.get(cacheDir);
  if (fetching === undefined) {
    fetching = fetchInto(cacheDir, progress);
    fetches.set(cacheDir, fetching);
    fetching.catch(() => fetches.delete(cacheDir)); // a failed fetch may be tried again
  }
  return fetching;
}

/** One fetch per cache folder per process, however many callers ask at once. */
const fetches = new Map<string, Promise<string>>();

/** How often a first-run download says it is still going. */
const PROGRESS_EVERY_MS = 5_000;

async function fetchInto(cacheDir: string, progress: (line: string) => void): Promise<string> {
  const target = join(cacheDir, `${DYNAMODB_LOCAL_PACKAGE.name}-${DYNAMODB_LOCAL_PACKAGE.version}`);
  if (existsSync(join(target, JAR))) return target;
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, '.fetch-'));
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  progress(`fetching DynamoDB Local (about 56 MB, first run only) into ${cacheDir}...`);
  const ticker = setInterval(() => progress(`still fetching DynamoDB Local (${seconds()} s)...`), PROGRESS_EVERY_MS);
  ticker.unref();
  try {
    const spec = `${DYNAMODB_LOCAL_PACKAGE.name}@${DYNAMODB_LOCAL_PACKAGE.version}`;
    await retried(() =>
      run('npm', ['pack', spec, '--silent', '--pack-destination', work], { cwd: work, maxBuffer: 1 << 20 }),
    );
    const archive = (await readdir(work)).find((file) => file.endsWith('.tgz'));
    if (archive === undefined) throw new Error(`npm pack ${spec} produced no archive`);
    await run('tar', ['-xzf', archive, 'package/emulator'], { cwd: work });
    try {
      await rename(join(work, 'package', 'emulator'), target);
    } catch (error) {
      // Another process won the race; its copy is complete because it was renamed whole.
      if (!existsSync(join(target, JAR))) throw error;
    }
    progress(`fetched DynamoDB Local in ${seconds()} s; later starts reuse it`);
    return target;
  } finally {
    clearInterval(ticker);
    await rm(work, { recursive: true, force: true });
  }
}

/** What to run when `java` is missing: the command the README gives. */
export const JAVA_INSTALL_HINT =
  'DynamoDB Local needs a Java runtime (17 or newer) and there is no `java` on the PATH; install one, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (Debian, Ubuntu) or `brew install openjdk@17` (macOS)';

export type DynamoDbLocalOptions = Readonly<
  ({ inMemory: true } | { dbPath: string }) & {
    /** A free port is chosen when absent. */
    port?: number;
    cacheDir?: string;
    /** Told what a first-run download is doing (it takes a while). */
    progress?: (line: string) => void;
  }
>;

/** A running DynamoDB Local. */
export type DynamoDbLocal = Readonly<{
  endpoint: string;
  port: number;
  /** Stops the JVM and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}>;

/**
 * Starts DynamoDB Local (fetching it first if needed) and resolves once it accepts connections. It listens
 * on 127.0.0.1 only, and the JVM ends with this process however it ends (a signal, `kill -9`, a crash):
 * it holds a pipe to us on its standard input and halts when that closes, so nothing is left running on
 * the same files.
 *
 * @example
 * const local = await startDynamoDbLocal({ inMemory: true });
 * const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: LOCAL_CREDENTIALS });
 * await local.stop();
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const folder = await ensureDynamoDbLocal(options.cacheDir, options.progress);
  const port = options.port ?? (await freePort());
  const storage = 'dbPath' in options ? ['-dbPath', options.dbPath] : ['-inMemory'];
  if ('dbPath' in options) await mkdir(options.dbPath, { recursive: true });
  const java = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1', // start fast; peak JIT throughput does not matter for a local emulator
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-cp',
      JAR,
      LAUNCHER,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
      ...storage,
    ],
    // The standard input pipe is never written to: its closing is the JVM's signal that we are gone.
    { cwd: folder, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  java.stdin?.on('error', () => undefined); // EPIPE once the JVM is gone
  let stderr = '';
  java.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const kill = (): void => {
    java.kill('SIGKILL');
  };
  process.once('exit', kill);
  try {
    await waitForPort(java, port, () => stderr);
  } catch (error) {
    process.removeListener('exit', kill);
    java.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      process.removeListener('exit', kill);
      await stopProcess(java);
    },
  };
}

/** Asks the OS for a port nobody listens on. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

async function waitForPort(java: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const exited = new Promise<never>((_, reject) => {
    java.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT' ? JAVA_INSTALL_HINT : `could not start java for DynamoDB Local: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    java.once('exit', (code) =>
      reject(new Error(`DynamoDB Local exited (code ${code}) before it was ready:\n${stderr()}`)),
    );
  });
  exited.catch(() => undefined); // observed by the race below; avoids an unhandled rejection after readiness
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await Promise.race([canConnect(port), exited])) return;
    await Promise.race([delay(100), exited]);
  }
  throw new Error(`DynamoDB Local did not listen on port ${port} within ${READY_TIMEOUT_MS} ms:\n${stderr()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a download up to three times: a registry hiccup should not fail a whole test run. */
async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 3) throw error;
      await delay(1_000 * tries);
    }
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
