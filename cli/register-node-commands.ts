import type { Command } from 'commander';
import { collect, optionsOf } from './command-options.js';
import type { NodeDrainOptions } from './commands/node-drain.js';
import type { NodeEditOptions } from './commands/node-edit.js';
import type { NodeJoinOptions } from './commands/node-join.js';

/** `node join|remove|label|taint|cordon|uncordon`: manage the nodes of a local or test cluster. */
export function registerNodeCommands(program: Command): void {
  const node = program.command('node').description('add, remove and change nodes of a local or test cluster');

  node
    .command('join')
    .description('add a Ready node')
    .argument('<name>', 'the node name')
    .option('--label <key=value>', 'a label (repeatable)', collect)
    .option('--taint <key[=value]:Effect>', 'a taint (repeatable), e.g. dedicated=gpu:NoSchedule', collect)
    .option('--not-ready', 'join with Ready=False')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { runNodeJoin } = await import('./commands/node-join.js');
      await runNodeJoin(name, optionsOf<NodeJoinOptions>(command));
    });

  node
    .command('remove')
    .description('remove a node (its DaemonSet pods are garbage collected)')
    .argument('<name>', 'the node name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { runNodeRemove } = await import('./commands/node-edit.js');
      await runNodeRemove(name, optionsOf<NodeEditOptions>(command));
    });

  node
    .command('label')
    .description('add, change (key=value) or remove (key-) labels')
    .argument('<name>', 'the node name')
    .argument('<changes...>', 'key=value to set, key- to remove')
    .action(async (name: string, changes: readonly string[], _options: unknown, command: Command) => {
      const { runNodeEdit } = await import('./commands/node-edit.js');
      await runNodeEdit(name, { kind: 'label', changes }, optionsOf<NodeEditOptions>(command));
    });

  node
    .command('taint')
    .description('add (key[=value]:Effect) or remove (key:Effect- or key-) taints')
    .argument('<name>', 'the node name')
    .argument('<changes...>', 'key[=value]:Effect to add, key[:Effect]- to remove')
    .action(async (name: string, changes: readonly string[], _options: unknown, command: Command) => {
      const { runNodeEdit } = await import('./commands/node-edit.js');
      await runNodeEdit(name, { kind: 'taint', changes }, optionsOf<NodeEditOptions>(command));
    });

  node
    .command('drain')
    .description(
      "delete the node's DaemonSet pods, non-critical first and startup-critical last, each within its grace period; then remove the node (or keep it cordoned)",
    )
    .argument('<name>', 'the node name')
    .option('--timeout <duration>', 'end the drain after this long whatever is left (e.g. 5m; 0: no limit)', '0')
    .option('--keep', 'keep the node, cordoned and empty, instead of removing it')
    .option('--wait <bool>', 'wait until the drain is over', 'true')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { runNodeDrain } = await import('./commands/node-drain.js');
      await runNodeDrain(name, optionsOf<NodeDrainOptions>(command));
    });

  for (const verb of ['cordon', 'uncordon'] as const) {
    node
      .command(verb)
      .description(verb === 'cordon' ? 'mark the node unschedulable' : 'mark the node schedulable')
      .argument('<name>', 'the node name')
      .action(async (name: string, _options: unknown, command: Command) => {
        const { runNodeEdit } = await import('./commands/node-edit.js');
        await runNodeEdit(name, { kind: verb }, optionsOf<NodeEditOptions>(command));
      });
  }
}
