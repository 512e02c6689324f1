import { type Command, Option } from 'commander';
import { optionsOf } from './command-options.js';
import type { ApplyOptions } from './commands/apply.js';
import type { DeleteOptions } from './commands/delete.js';
import type { DescribeOptions } from './commands/describe.js';
import type { GetOptions } from './commands/get.js';

const namespaceOption = (): Option => new Option('-n, --namespace <namespace>', 'the namespace of the DaemonSet');

/** `apply`, `delete`, `get` and `describe`, with kubectl's flags and resource aliases. */
export function registerResourceCommands(program: Command): void {
  program
    .command('apply')
    .description('create or update DaemonSets and nodes from manifests')
    .requiredOption('-f, --filename <path...>', 'files or folders of manifests (- for standard input)')
    .action(async (_options: unknown, command: Command) => {
      const { runApply } = await import('./commands/apply.js');
      await runApply(optionsOf<ApplyOptions>(command));
    });

  program
    .command('delete')
    .description(
      'delete a DaemonSet, node or pod: `delete daemonset <name>`, `delete node <name>`, `delete pod <name>` (its DaemonSet replaces it) or `delete -f <file>`',
    )
    .argument('[resource]', 'daemonset (ds), node (no), pod (po), or kind/name')
    .argument('[name]', 'the name')
    .option('-f, --filename <path...>', 'delete what these manifests describe')
    .option('--grace-period <seconds>', "a pod's grace period; 0 with --force removes it at once (-1: the default)")
    .option('--force', 'with --grace-period=0, remove a pod at once, without waiting for its node to stop it')
    .addOption(namespaceOption())
    .action(async (resource: string | undefined, name: string | undefined, _options: unknown, command: Command) => {
      const { runDelete } = await import('./commands/delete.js');
      await runDelete(resource, name, optionsOf<DeleteOptions>(command));
    });

  program
    .command('get')
    .description('list daemonsets (ds), nodes (no), pods (po), events (ev) or rejections, like kubectl get')
    .argument('<resource>', 'daemonsets, nodes, pods, events or rejections (or kind/name)')
    .argument('[name]', 'one object by name')
    .addOption(namespaceOption())
    .option('-A, --all-namespaces', 'list across all namespaces (the default when -n is not given)')
    .option('-l, --selector <selector>', 'label selector, e.g. -l app=fluentd,tier!=test')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['wide', 'json', 'yaml']))
    .action(async (resource: string, name: string | undefined, _options: unknown, command: Command) => {
      const { runGet } = await import('./commands/get.js');
      await runGet(resource, name, optionsOf<GetOptions>(command));
    });

  program
    .command('describe')
    .description(
      'explain a node (each DaemonSet: its pod, or why it has none) or a DaemonSet (status, revisions, events)',
    )
    .argument('<resource>', 'node (no) or daemonset (ds), or kind/name')
    .argument('[name]', 'the name')
    .addOption(namespaceOption())
    .action(async (resource: string, name: string | undefined, _options: unknown, command: Command) => {
      const { runDescribe } = await import('./commands/describe.js');
      await runDescribe(resource, name, optionsOf<DescribeOptions>(command));
    });
}
