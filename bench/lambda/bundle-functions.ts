import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING, FUNCTION_RUNTIME } from '../../infra/constructs/function-bundling.js';
import { REPOSITORY_ROOT } from '../shared/run-worker.js';

/** The Lambda entry points the stack deploys (infra/reconciler-stack.ts). */
export const FUNCTION_ENTRIES = ['ingest', 'reconcile', 'api', 'resync'] as const;

export type BundleVariant = Readonly<{
  label: string;
  bundleAwsSdk: boolean;
}>;

export type FunctionBundle = Readonly<{
  name: string;
  variant: string;
  file: string;
  bytes: number;
  sourceMapBytes: number;
  /** index.mjs and its map, deflated as a Lambda zip stores them. */
  zippedBytes: number;
  /** The largest inputs by bytes in the output, grouped by package (or `everynode` for our own code). */
  largestInputs: readonly (readonly [string, number])[];
}>;

/** Where bundles go: inside the repository, so bundles with the SDK external resolve it from node_modules as Lambda's runtime copy would. */
export const BUNDLE_DIR = join(REPOSITORY_ROOT, '.cache', 'bench', 'lambda');

/**
 * Bundles one function with the options NodejsFunction passes to esbuild for this stack: the target from
 * the runtime (`nodejs24.x` → `node24`), `--platform=node`, and FUNCTION_BUNDLING's format, minify,
 * source map, main fields, banner and externals. `bundleAwsSdk` drops the SDK externals instead.
 */
export async function bundleFunction(name: string, variant: BundleVariant): Promise<FunctionBundle> {
  const outdir = join(BUNDLE_DIR, `${name}${variant.bundleAwsSdk ? '-sdk' : ''}`);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  const version = /nodejs(\d+)/.exec(FUNCTION_RUNTIME.name)?.[1];
  if (version === undefined) throw new Error(`cannot read a Node version from runtime ${FUNCTION_RUNTIME.name}`);
  const options = FUNCTION_BUNDLING;
  const result = await build({
    entryPoints: [join(REPOSITORY_ROOT, 'functions', `${name}.ts`)],
    absWorkingDir: REPOSITORY_ROOT,
    bundle: true,
    outfile: file,
    target: `node${version}`,
    platform: 'node',
    format: options.format === 'esm' ? 'esm' : 'cjs',
    minify: options.minify ?? false,
    sourcemap: options.sourceMap ?? false,
    ...(options.mainFields === undefined ? {} : { mainFields: options.mainFields }),
    ...(options.banner === undefined ? {} : { banner: { js: options.banner } }),
    external: variant.bundleAwsSdk ? [] : [...(options.externalModules ?? [])],
    metafile: true,
    logLevel: 'error',
  });
  const code = await readFile(file);
  const map = options.sourceMap ? await readFile(`${file}.map`) : Buffer.alloc(0);
  return {
    name,
    variant: variant.label,
    file,
    bytes: (await stat(file)).size,
    sourceMapBytes: map.length,
    zippedBytes: deflateRawSync(code, { level: 9 }).length + deflateRawSync(map, { level: 9 }).length,
    largestInputs: largestPackages(result.metafile, file),
  };
}

function largestPackages(metafile: Metafile, file: string): readonly (readonly [string, number])[] {
  const output = Object.entries(metafile.outputs).find(([path]) => file.endsWith(path))?.[1];
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const owner = match?.[1] ?? 'everynode';
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
  }
  return [...byPackage].sort(([, a], [, b]) => b - a).slice(0, 4);
}
