import { runCli } from '../cli/run-cli.js';

// The entry point esbuild bundles into the one file dist/everynode-agent.mjs: a host needs only Node.js to run
// `node everynode-agent.mjs --node-name <name> [...]`, the same as `everynode agent --node-name <name> [...]`.
process.exitCode = await runCli([process.argv[0] ?? 'node', 'everynode', 'agent', ...process.argv.slice(2)]);
