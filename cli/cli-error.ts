/** Exit codes the CLI promises: scripts depend on them. */
export const EXIT_CODES = {
  ok: 0,
  /** The server refused a request, could not be reached, or a rollout failed or timed out. */
  failure: 1,
  /** The input is wrong: an invalid manifest, a missing or unparseable file, a usage error. */
  invalidInput: 2,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * An error meant for the person at the terminal: its message is printed as it is (one line per entry of
 * `lines`, or the message), with no stack, and the process exits with `exitCode`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;
  readonly lines: readonly string[];
  constructor(message: string, exitCode: ExitCode, options?: ErrorOptions & { lines?: readonly string[] }) {
    super(message, options);
    this.exitCode = exitCode;
    this.lines = options?.lines ?? [message];
  }
}
