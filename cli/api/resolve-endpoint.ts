import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError, EXIT_CODES } from '../cli-error.js';

/** How requests to an everynode API are authenticated. */
export type EndpointAuth =
  | Readonly<{ kind: 'token'; token: string }>
  | Readonly<{ kind: 'sigv4'; region: string }>
  | Readonly<{ kind: 'none' }>;

/** Where the CLI sends requests, and how it proves who it is. */
export type Endpoint = Readonly<{
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  url: string;
  auth: EndpointAuth;
  /** True for a control plane on this machine (its error messages suggest `npm start`). */
  local: boolean;
  /** The `local.json` the token was read from, when it was. */
  stateFile?: string;
}>;

/** The address the local control plane listens on unless told otherwise. */
export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:8080';

export type EndpointSources = Readonly<{
  /** The `--endpoint` option. */
  endpoint?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Where to start looking for `.everynode/local.json` (the working directory). */
  cwd: string;
  /** The repository the CLI was installed from: its `.everynode/local.json` is the last resort. */
  packageRoot?: string;
}>;

/**
 * Picks the API to talk to, in this order: `--endpoint` (or `EVERYNODE_ENDPOINT`), signed with SigV4
 * unless it is on this machine or `EVERYNODE_TOKEN` is set; then the `local.json` that `npm start` writes
 * (in `EVERYNODE_STATE_DIR`, or `.everynode/` in the working directory, a parent of it, or the repository);
 * then the default local address.
 */
export function resolveEndpoint(sources: EndpointSources): Endpoint {
  const explicit = sources.endpoint ?? sources.env['EVERYNODE_ENDPOINT'];
  const token = sources.env['EVERYNODE_TOKEN'];
  if (explicit !== undefined && explicit !== '') {
    const url = normalizeUrl(explicit);
    const local = isLoopback(url);
    if (token !== undefined && token !== '') return { url, auth: { kind: 'token', token }, local };
    if (local) {
      const state = readLocalState(sources);
      if (state === undefined) return { url, auth: { kind: 'none' }, local };
      return { url, auth: { kind: 'token', token: state.token }, local, stateFile: state.file };
    }
    return { url, auth: { kind: 'sigv4', region: regionFor(url, sources.env) }, local };
  }
  const state = readLocalState(sources);
  if (state) {
    const url = normalizeUrl(state.endpoint);
    return { url, auth: { kind: 'token', token: state.token }, local: true, stateFile: state.file };
  }
  return {
    url: DEFAULT_LOCAL_ENDPOINT,
    auth: token !== undefined && token !== '' ? { kind: 'token', token } : { kind: 'none' },
    local: true,
  };
}

/** The repository root of the running CLI (`bin/everynode.mjs` → its parent folder), when it can be told. */
export function packageRootOf(scriptPath: string | undefined): string | undefined {
  if (scriptPath === undefined) return undefined;
  try {
    return dirname(dirname(realpathSync(scriptPath)));
  } catch {
    return undefined;
  }
}

type LocalState = Readonly<{ endpoint: string; token: string }>;

function readLocalState(sources: EndpointSources): (LocalState & { file: string }) | undefined {
  const file = localStateFiles(sources).find((candidate) => existsSync(candidate));
  if (file === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT_CODES.failure, { cause: error });
  }
  if (!isLocalState(parsed)) {
    throw new CliError(`${file} does not hold {"endpoint", "token"}: restart \`npm start\``, EXIT_CODES.failure);
  }
  return { endpoint: parsed.endpoint, token: parsed.token, file };
}

function localStateFiles(sources: EndpointSources): string[] {
  const stateDir = sources.env['EVERYNODE_STATE_DIR'];
  if (stateDir !== undefined && stateDir !== '') return [join(resolve(sources.cwd, stateDir), 'local.json')];
  const files: string[] = [];
  for (let dir = resolve(sources.cwd); ; dir = dirname(dir)) {
    files.push(join(dir, '.everynode', 'local.json'));
    if (dirname(dir) === dir) break;
  }
  if (sources.packageRoot !== undefined) files.push(join(sources.packageRoot, '.everynode', 'local.json'));
  return files;
}

function isLocalState(value: unknown): value is LocalState {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['endpoint'] === 'string' && typeof record['token'] === 'string';
}

/**
 * The endpoint as a base URL: no trailing slash, and no trailing `/v1` (the banner prints the API as
 * `http://127.0.0.1:8080/v1`; requests add `/v1/...` themselves). A host without a scheme is refused with
 * the URL it most likely means.
 */
function normalizeUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const host = text.replace(/^\/+/, '');
    const scheme = /^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https';
    throw new CliError(
      `--endpoint ${JSON.stringify(text)} has no scheme: did you mean ${scheme}://${host}?`,
      EXIT_CODES.invalidInput,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new CliError(`--endpoint ${JSON.stringify(text)} is not a URL`, EXIT_CODES.invalidInput, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`--endpoint ${JSON.stringify(text)} is not an http:// or https:// URL`, EXIT_CODES.invalidInput);
  }
  return url.href.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

const API_GATEWAY_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;

function regionFor(url: string, env: EndpointSources['env']): string {
  const fromHost = API_GATEWAY_HOST.exec(new URL(url).hostname)?.[1];
  const region = fromHost ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (region === undefined || region === '') {
    throw new CliError(
      `cannot tell the AWS region of ${url}: set AWS_REGION to sign requests to it`,
      EXIT_CODES.invalidInput,
    );
  }
  return region;
}
