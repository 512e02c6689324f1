import { Command } from 'commander';
import { registerAgentCommand } from './register-agent-command.js';
import { registerNodeCommands } from './register-node-commands.js';
import { registerOfflineCommands } from './register-offline-commands.js';
import { registerProxyCommand } from './register-proxy-command.js';
import { registerResourceCommands } from './register-resource-commands.js';
import { registerRolloutCommands } from './register-rollout-commands.js';
import { EVERYNODE_VERSION } from './version.js';

/**
 * The `everynode` command tree. Only option parsing lives here: each command's code is imported when it
 * runs, so `validate` and `plan` never load what `get` or a signed remote request needs.
 */
export function createProgram(): Command {
  const program = new Command('everynode')
    .description('DaemonSets without a cluster: plan, apply and watch everynode, the serverless DaemonSet controller')
    .version(EVERYNODE_VERSION, '--version', 'print the everynode version')
    .option('--endpoint <url>', 'everynode API to talk to (default: the local control plane started by `npm start`)')
    .exitOverride()
    .showSuggestionAfterError()
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });
  registerOfflineCommands(program);
  registerResourceCommands(program);
  registerRolloutCommands(program);
  registerNodeCommands(program);
  registerProxyCommand(program);
  registerAgentCommand(program);
  return program;
}
