import type { Benchmark, BenchOptions, BenchResult, Progress } from '../shared/bench-result.js';
import { formatKb, formatMb, formatMs } from '../shared/stats.js';
import { type BundleVariant, bundleFunction, FUNCTION_ENTRIES, type FunctionBundle } from './bundle-functions.js';
import { type InitTiming, measureInit } from './measure-init.js';

/** infra/constructs/function-bundling.ts keeps the AWS SDK external to stay under this. */
const BUNDLE_BUDGET_BYTES = 500 * 1024;

/** Issue 7.5: bundle sizes and module initialisation times of every Lambda function. */
export const lambdaBenchmark: Benchmark = {
  name: 'lambda',
  title: 'Lambda functions: bundle size and module initialisation',
  run: runLambda,
};

type Measured = Readonly<{ bundle: FunctionBundle; withMaps: InitTiming; withoutMaps: InitTiming }>;

async function runLambda(options: BenchOptions, progress: Progress): Promise<BenchResult> {
  const runs = options.quick ? 3 : 7;
  const asDeployed: BundleVariant = { label: 'as deployed (SDK external)', bundleAwsSdk: false };
  const sdkBundled: BundleVariant = { label: 'SDK bundled', bundleAwsSdk: true };
  const targets = [...FUNCTION_ENTRIES.map((name) => [name, asDeployed] as const), ['reconcile', sdkBundled] as const];
  const measured: Measured[] = [];
  for (const [name, variant] of targets) {
    progress(`lambda: bundling and importing ${name} (${variant.label}), ${runs} fresh processes each`);
    const bundle = await bundleFunction(name, variant);
    measured.push({
      bundle,
      withMaps: await measureInit(bundle.file, runs, true),
      withoutMaps: await measureInit(bundle.file, runs, false),
    });
  }
  const deployed = measured.filter((entry) => entry.bundle.variant === asDeployed.label);
  const largest = Math.max(...deployed.map((entry) => entry.bundle.bytes));
  return {
    name: 'lambda',
    title: lambdaBenchmark.title,
    tables: [
      {
        title: `esbuild with the stack's NodejsFunction options; init = median time to import() the bundle in a fresh node process (${runs} runs)`,
        columns: [
          'function',
          'bundle',
          'index.mjs',
          'source map',
          'zipped',
          'init (NODE_OPTIONS as deployed)',
          'init without source maps',
          'RSS after init',
        ],
        rows: measured.map(({ bundle, withMaps, withoutMaps }) => [
          bundle.name,
          bundle.variant,
          formatKb(bundle.bytes),
          formatKb(bundle.sourceMapBytes),
          formatKb(bundle.zippedBytes),
          formatMs(withMaps.medianMs),
          formatMs(withoutMaps.medianMs),
          formatMb(withMaps.rssBytes),
        ]),
      },
      {
        title: 'Largest contributors to each bundle (bytes in index.mjs)',
        columns: ['function', 'bundle', 'largest inputs'],
        rows: measured.map(({ bundle }) => [
          bundle.name,
          bundle.variant,
          bundle.largestInputs.map(([owner, bytes]) => `${owner} ${formatKb(bytes)}`).join(', '),
        ]),
      },
    ],
    aims: [
      {
        aim: 'every deployed bundle under the 500 KB budget of infra/constructs/function-bundling.ts',
        measured: `largest ${formatKb(largest)}`,
        met: largest <= BUNDLE_BUDGET_BYTES,
      },
    ],
    notes: [
      'Init covers module evaluation only (config, clients, logger, metrics built at load), with the SDK resolved from node_modules as the Lambda runtime resolves its own copy; the Lambda runtime start and the first request come on top.',
      `Machine: ${process.arch}; Lambda runs these on arm64 (Graviton), where times differ but ratios between functions hold.`,
    ],
    figures: { runs, measured },
  };
}
