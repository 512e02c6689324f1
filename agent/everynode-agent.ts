import { Command, CommanderError } from 'commander';
import { CliError } from '../cli/cli-error.js';
import { registerAgentCommand } from '../cli/register-agent-command.js';

// The entry point esbuild bundles into the one file dist/everynode-agent.mjs: a host needs only Node.js to run
// `node everynode-agent.mjs --node-name <name> [...]`, the same as `everynode agent --node-name <name> [...]`.
// Only the agent command is registered, so the file holds the agent and nothing else of the CLI (less to load:
// the agent's memory is an aim).
const program = new Command('everynode')
  .option('--endpoint <url>', 'everynode API to talk to (default: the local control plane started by `npm start`)')
  .exitOverride();
registerAgentCommand(program);
try {
  await program.parseAsync([process.argv[0] ?? 'node', 'everynode', 'agent', ...process.argv.slice(2)]);
} catch (error) {
  if (error instanceof CliError) {
    for (const line of error.lines) process.stderr.write(`${line}\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
