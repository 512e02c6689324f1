import type { Command } from 'commander';

/** Options every command that talks to a server understands (given before or after the command name). */
export type ConnectionOptions = Readonly<{ endpoint?: string }>;

/** The options of a command merged with the program's global ones (`--endpoint`). */
export function optionsOf<T>(command: Command): T & ConnectionOptions {
  return command.optsWithGlobals() as T & ConnectionOptions;
}

/** Collects a repeatable option (`--label a=b --label c=d`) into a list. */
export function collect(value: string, previous: readonly string[] | undefined): readonly string[] {
  return [...(previous ?? []), value];
}
