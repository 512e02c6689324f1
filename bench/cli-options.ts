import { parseArgs } from 'node:util';

export type BenchCommand = Readonly<{
  /** Benchmark names to run; empty means all. */
  selected: readonly string[];
  quick: boolean;
  large: boolean;
  /** Where to write the JSON results, if anywhere. */
  json?: string;
  help: boolean;
}>;

export const USAGE = `Usage: npm run bench -- [name...] [--quick] [--large] [--json <file>]

  name      run only these benchmarks (default: all)
  --quick   smaller inputs and fewer rounds (a smoke run, about a minute)
  --large   also run the 10,000-node convergence and scale scenarios (adds several minutes)
  --json    write every figure as JSON to <file>`;

export function parseBenchCommand(argv: readonly string[]): BenchCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      large: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    selected: positionals,
    quick: values.quick,
    large: values.large,
    ...(values.json === undefined ? {} : { json: values.json }),
    help: values.help,
  };
}
