#!/usr/bin/env node
// The `everynode` command: runs the bundle that `npm ci` (prepare) or `npm run build:cli` writes to dist/.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/everynode.mjs', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'everynode is not built yet: run `npm run build:cli` in the everynode repository (npm ci does it too)\n',
  );
  process.exitCode = 1;
}
