import { type Command, Option } from 'commander';
import { optionsOf } from './command-options.js';
import type { PlanOptions } from './commands/plan.js';
import type { ValidateOptions } from './commands/validate.js';

/** `validate` and `plan`: they read files and need no server (unless `plan --live`). */
export function registerOfflineCommands(program: Command): void {
  program
    .command('validate')
    .description(
      'check every DaemonSet and Node of a file as the Kubernetes API server would (exit 2 when one is invalid)',
    )
    .requiredOption('-f, --filename <file>', 'the manifest file, YAML or JSON (- for standard input)')
    .action(async (_options: unknown, command: Command) => {
      const { runValidate } = await import('./commands/validate.js');
      await runValidate(optionsOf<ValidateOptions>(command));
    });

  program
    .command('plan')
    .description('show where a DaemonSet would run and what one reconcile step would do, without applying it')
    .requiredOption('-f, --filename <file>', 'the DaemonSet manifest, YAML or JSON (- for standard input)')
    .option('--name <name>', 'plan only the DaemonSet of this name (the file may hold several)')
    .option('--nodes <file>', 'the nodes, e.g. from `kubectl get nodes -o yaml` (required without --live)')
    .option('--pods <file>', "the DaemonSet's existing pods, e.g. from `kubectl get pods -o yaml`")
    .option(
      '--revisions <file>',
      "the cluster's ControllerRevisions (`kubectl get controllerrevisions -o yaml`), to tell which pods run the manifest's template",
    )
    .option('--now <time>', 'the RFC 3339 time that decides availability (default: the clock)')
    .option('--live', 'plan against the nodes and pods of the running everynode API instead of files')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (_options: unknown, command: Command) => {
      const { runPlan } = await import('./commands/plan.js');
      await runPlan(optionsOf<PlanOptions>(command));
    });
}
