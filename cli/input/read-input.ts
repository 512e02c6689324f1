import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CliError, EXIT_CODES } from '../cli-error.js';

/** The text of one input and the name to report it by. */
export type InputText = Readonly<{ source: string; text: string }>;

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads `-f` arguments as kubectl does: a file, `-` for standard input, or a folder (its `.yaml`, `.yml` and
 * `.json` files, by name, not recursing). A path that does not exist is a usage error (exit 2).
 */
export async function readInputs(paths: readonly string[]): Promise<readonly InputText[]> {
  const groups = await Promise.all(paths.map(expand));
  return Promise.all(groups.flat().map(readInput));
}

/** Reads one file, or standard input for `-`. */
export async function readInput(path: string): Promise<InputText> {
  if (path === '-') return { source: '<stdin>', text: await readStdin() };
  try {
    return { source: path, text: await readFile(path, 'utf8') };
  } catch (error) {
    throw notFound(path, error);
  }
}

async function expand(path: string): Promise<readonly string[]> {
  if (path === '-') return [path];
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    throw notFound(path, error);
  }
  if (!isFolder) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name)))
    .map((entry) => join(path, entry.name))
    .toSorted();
  if (files.length === 0) {
    throw new CliError(`error: no .yaml, .yml or .json files in "${path}"`, EXIT_CODES.invalidInput);
  }
  return files;
}

function notFound(path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOENT' ? `error: the path "${path}" does not exist` : `error: cannot read "${path}": ${String(error)}`;
  return new CliError(message, EXIT_CODES.invalidInput, { cause: error });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}
