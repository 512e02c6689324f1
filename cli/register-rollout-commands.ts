import { type Command, Option } from 'commander';
import { optionsOf } from './command-options.js';
import type { RolloutControlOptions } from './commands/rollout-control.js';
import type { RolloutHistoryOptions } from './commands/rollout-history.js';
import type { RolloutStatusOptions } from './commands/rollout-status.js';

const CONTROLS = [
  ['pause', 'stop updating existing pods (new nodes still get pods)'],
  ['resume', 'continue a paused rollout'],
  ['restart', 'replace every pod with a fresh one of the same template'],
  ['freeze', 'change nothing at all, new nodes included'],
  ['unfreeze', 'end a freeze'],
] as const;

/** `rollout status|history|undo|pause|resume|restart|freeze|unfreeze`, as kubectl spells them. */
export function registerRolloutCommands(program: Command): void {
  const rollout = program.command('rollout').description('watch and steer the rollout of a DaemonSet');
  const namespaceOption = () => new Option('-n, --namespace <namespace>', 'the namespace of the DaemonSet');

  rollout
    .command('status')
    .description('watch a rollout until it completes (exit 1 when it fails or times out)')
    .argument('<daemonset>', 'daemonset/<name>, or ds <name>')
    .argument('[name]')
    .addOption(namespaceOption())
    .option('--timeout <duration>', 'give up after this long, e.g. 90s, 5m (0: wait forever)', '0')
    .option('-w, --watch [bool]', 'watch until done (-w=false prints the state once)', 'true')
    .action(async (resource: string, name: string | undefined, _options: unknown, command: Command) => {
      const { runRolloutStatus } = await import('./commands/rollout-status.js');
      await runRolloutStatus(resource, name, optionsOf<RolloutStatusOptions>(command));
    });

  rollout
    .command('history')
    .description('list the revisions of a DaemonSet')
    .argument('<daemonset>', 'daemonset/<name>, or ds <name>')
    .argument('[name]')
    .addOption(namespaceOption())
    .option('--revision <number>', 'show the template of one revision')
    .action(async (resource: string, name: string | undefined, _options: unknown, command: Command) => {
      const { runRolloutHistory } = await import('./commands/rollout-history.js');
      await runRolloutHistory(resource, name, optionsOf<RolloutHistoryOptions>(command));
    });

  rollout
    .command('undo')
    .description('roll back to the previous revision, or to --to-revision')
    .argument('<daemonset>', 'daemonset/<name>, or ds <name>')
    .argument('[name]')
    .addOption(namespaceOption())
    .option('--to-revision <number>', 'the revision to roll back to (default: the previous one)')
    .action(async (resource: string, name: string | undefined, _options: unknown, command: Command) => {
      const { runRolloutControl } = await import('./commands/rollout-control.js');
      await runRolloutControl('undo', resource, name, optionsOf<RolloutControlOptions>(command));
    });

  for (const [verb, description] of CONTROLS) {
    rollout
      .command(verb)
      .description(description)
      .argument('<daemonset>', 'daemonset/<name>, or ds <name>')
      .argument('[name]')
      .addOption(namespaceOption())
      .action(async (resource: string, name: string | undefined, _options: unknown, command: Command) => {
        const { runRolloutControl } = await import('./commands/rollout-control.js');
        await runRolloutControl(verb, resource, name, optionsOf<RolloutControlOptions>(command));
      });
  }
}
