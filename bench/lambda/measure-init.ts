import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { median } from '../shared/stats.js';

const run = promisify(execFile);

/** What the stack sets (infra/function-environment.ts), with placeholder values. */
const FUNCTION_ENV = {
  TABLE_NAME: 'everynode-bench',
  INGEST_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/everynode-ingest',
  RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/everynode-reconcile',
  POWERTOOLS_SERVICE_NAME: 'everynode-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'everynode',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  AWS_REGION: 'eu-west-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export type InitTiming = Readonly<{ medianMs: number; runs: readonly number[]; rssBytes: number }>;

/**
 * Time to `import()` a bundle in a fresh `node` process (no tsx), median of `runs`: the module
 * initialisation part of a cold start (clients, config, logger built at load). `sourceMaps` adds
 * `--enable-source-maps`, which the stack sets through NODE_OPTIONS.
 */
export async function measureInit(file: string, runs: number, sourceMaps: boolean): Promise<InitTiming> {
  const script = [
    'const start = performance.now();',
    `const module = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const ms = performance.now() - start;',
    "if (typeof module.handler !== 'function') throw new Error('no handler export');",
    'console.log(JSON.stringify({ ms, rss: process.memoryUsage().rss }));',
  ].join('\n');
  const times: number[] = [];
  let rssBytes = 0;
  for (let attempt = 0; attempt < runs; attempt += 1) {
    const { stdout } = await run(
      process.execPath,
      [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', script],
      { env: { PATH: process.env['PATH'] ?? '', ...FUNCTION_ENV } },
    );
    const { ms, rss } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { ms: number; rss: number };
    times.push(ms);
    rssBytes = Math.max(rssBytes, rss);
  }
  return { medianMs: median(times), runs: times, rssBytes };
}
