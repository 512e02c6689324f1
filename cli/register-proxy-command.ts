import type { Command } from 'commander';
import { optionsOf } from './command-options.js';
import type { ProxyOptions } from './commands/proxy.js';

/** `proxy`: the Kubernetes API of a deployed stack on localhost, for kubectl and client libraries. */
export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description(
      'serve the Kubernetes API of a deployed everynode on localhost, signing each request with SigV4, as `kubectl proxy` does',
    )
    .option('-p, --port <port>', 'the local port to serve on (0 picks a free one)', '8001')
    .option('--address <address>', 'the loopback address to serve on', '127.0.0.1')
    .action(async (_options: unknown, command: Command) => {
      const { runProxy } = await import('./commands/proxy.js');
      await runProxy(optionsOf<ProxyOptions>(command));
    });
}
