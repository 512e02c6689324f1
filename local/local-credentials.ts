import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What `<stateDir>/local.json` holds: where the local API listens and the bearer token it wants. */
export type LocalCredentials = Readonly<{ endpoint: string; token: string }>;

/** The file the CLI reads to find the local control plane, inside the state directory. */
export const LOCAL_CREDENTIALS_FILE = 'local.json';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,}$/;

/**
 * The bearer token of the local API: the one in `<stateDir>/local.json` when there is one, so a shell
 * that read it once keeps working across restarts, else a new random one.
 */
export async function loadOrCreateToken(stateDir: string): Promise<string> {
  const previous = (await readLocalCredentials(stateDir))?.token;
  return previous !== undefined && TOKEN_PATTERN.test(previous) ? previous : randomBytes(32).toString('base64url');
}

/** Writes `<stateDir>/local.json` with mode 0600 (atomically, so the CLI never reads half a file). */
export async function writeLocalCredentials(stateDir: string, credentials: LocalCredentials): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, LOCAL_CREDENTIALS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

/** Reads `<stateDir>/local.json`, or nothing when it is absent or unreadable. */
export async function readLocalCredentials(stateDir: string): Promise<LocalCredentials | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(join(stateDir, LOCAL_CREDENTIALS_FILE), 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { endpoint, token } = value as Record<string, unknown>;
    if (typeof endpoint !== 'string' || typeof token !== 'string') return undefined;
    return { endpoint, token };
  } catch {
    return undefined;
  }
}
