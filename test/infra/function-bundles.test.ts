import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStack, everynodeFunctionsOf, SYNTH_TIMEOUT } from './build-stack.js';

const MAX_BUNDLE_BYTES = 500 * 1024;

describe('the function bundles', () => {
  it('bundles each function with esbuild into one minified module under 500 KB', { timeout: SYNTH_TIMEOUT }, () => {
    const { app, template } = buildStack({}, { bundle: true });
    const outdir = app.synth().directory;

    const sizes = Object.fromEntries(
      Object.entries(everynodeFunctionsOf(template)).map(([id, fn]) => {
        const key = (fn.Properties['Code'] as { S3Key: string }).S3Key;
        const assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
        const files = readdirSync(assetDir);
        expect(files, id).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
        return [id.replace(/[0-9A-F]{8}$/, ''), statSync(join(assetDir, 'index.mjs')).size];
      }),
    );

    expect(Object.keys(sizes).sort()).toEqual([
      'ApiFunction',
      'IngestFunction',
      'NodeLivenessFunction',
      'ReconcileFunction',
      'ResyncFunction',
    ]);
    // All oversized bundles at once, with their sizes. `import * as z from 'zod'` tree-shakes;
    // `import { z } from 'zod'` pulls in the whole library (about 440 KB with every locale).
    expect(Object.entries(sizes).filter(([, size]) => size >= MAX_BUNDLE_BYTES)).toEqual([]);
  });
});
