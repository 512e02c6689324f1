// Bundles the everynode CLI, and the node agent as one file, into dist/ (run by `npm ci` through `prepare`, and by `npm run build:cli`).
// Code splitting keeps the start fast: each command's code, and the AWS SDK used only to sign requests to a
// deployed endpoint, sit in chunks that load on first use.
// The bundle is written to a scratch folder and moved into place file by file (chunks first, the entry
// last), so a CLI that is running while the build happens never sees a half-written file.
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
const scratch = join(outdir, `.build-${process.pid}`);

const started = Date.now();
rmSync(scratch, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { everynode: 'cli/everynode.ts' },
  outdir: scratch,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  mainFields: ['module', 'main'],
  // Runtime dependencies in package.json, present after `npm ci`; loaded only when a request is signed.
  external: ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*'],
  // As in the agent's bundle below: `everynode agent --push` runs the same code as everynode-agent.mjs.
  alias: { 'readable-stream': 'node:stream' },
  // CommonJS dependencies bundled into ESM may still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __everynodeCreateRequire } from 'node:module'; const require = __everynodeCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});

mkdirSync(join(outdir, 'chunks'), { recursive: true });
const chunks = readdirSync(join(scratch, 'chunks'));
for (const chunk of chunks) renameSync(join(scratch, 'chunks', chunk), join(outdir, 'chunks', chunk));
for (const file of readdirSync(scratch).filter((name) => name !== 'chunks')) {
  renameSync(join(scratch, file), join(outdir, file));
}
const current = new Set(chunks);
for (const stale of readdirSync(join(outdir, 'chunks')).filter((name) => !current.has(name))) {
  rmSync(join(outdir, 'chunks', stale), { force: true });
}
rmSync(scratch, { recursive: true, force: true });

// The node agent as one file with everything in it (the AWS SDK too, to sign requests with the instance's role),
// so a host needs only Node.js: written beside the CLI, then moved into place.
const agentScratch = join(outdir, `.everynode-agent-${process.pid}.mjs`);
await build({
  absWorkingDir: root,
  entryPoints: ['agent/everynode-agent.ts'],
  outfile: agentScratch,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __everynodeCreateRequire } from 'node:module'; const require = __everynodeCreateRequire(import.meta.url);",
  },
  // MQTT.js (the agent's --push) uses readable-stream, a copy of Node's own streams for browsers: Node's are
  // already loaded, and the copy would add 200 KB to the file.
  alias: { 'readable-stream': 'node:stream' },
  legalComments: 'none',
  logLevel: 'warning',
});
renameSync(agentScratch, join(outdir, 'everynode-agent.mjs'));
console.log(`built dist/everynode.mjs and dist/everynode-agent.mjs in ${Date.now() - started} ms`);
