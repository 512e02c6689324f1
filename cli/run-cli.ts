import { CommanderError } from 'commander';
import { CliError, EXIT_CODES, type ExitCode } from './cli-error.js';
import { createProgram } from './create-program.js';

/**
 * Runs one `everynode` invocation and returns its exit code: 0 on success, 1 when the server refused or
 * could not be reached (or a rollout failed), 2 for invalid input (manifests, files, usage).
 */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT_CODES.ok;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): ExitCode {
  if (error instanceof CliError) {
    for (const line of error.lines) process.stderr.write(`${line}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) {
    // Commander has already printed the problem (or the help text the user asked for).
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.invalidInput;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env['EVERYNODE_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT_CODES.failure;
}
