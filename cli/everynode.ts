import { runCli } from './run-cli.js';

// The entry point esbuild bundles into dist/everynode.mjs (bin/everynode.mjs imports it).
process.exitCode = await runCli(process.argv);
