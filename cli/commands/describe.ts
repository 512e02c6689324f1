import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { parseResourceReference } from '../resource-kind.js';

export type DescribeOptions = Readonly<{ namespace?: string }> & ConnectionOptions;

/** `everynode describe node <name>` or `describe daemonset <name>`. */
export async function runDescribe(resource: string, name: string | undefined, options: DescribeOptions): Promise<void> {
  const reference = parseResourceReference(resource, name, ['nodes', 'daemonsets']);
  if (reference.name === undefined) {
    throw new CliError(`error: describe needs a ${reference.kind.slice(0, -1)} name`, EXIT_CODES.invalidInput);
  }
  if (reference.kind === 'nodes') {
    const { describeNode } = await import('./describe-node.js');
    process.stdout.write(`${await describeNode(reference.name, options)}\n`);
  } else {
    const { describeDaemonSet } = await import('./describe-daemon-set.js');
    process.stdout.write(`${await describeDaemonSet(reference.name, options)}\n`);
  }
}
