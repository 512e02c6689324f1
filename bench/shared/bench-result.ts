/** A table as printed in the terminal and in docs/BENCHMARKS.md. */
export type ResultTable = Readonly<{
  title: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}>;

/** One aim from the issue, judged against what was measured. */
export type AimVerdict = Readonly<{ aim: string; measured: string; met: boolean }>;

/** What one benchmark reports: tables for people, aims with verdicts, and raw figures for `--json`. */
export type BenchResult = Readonly<{
  name: string;
  title: string;
  tables: readonly ResultTable[];
  aims: readonly AimVerdict[];
  notes: readonly string[];
  figures: Readonly<Record<string, unknown>>;
}>;

/** Options every benchmark receives from the command line. */
export type BenchOptions = Readonly<{
  /** Smaller inputs and fewer rounds, for a smoke run. */
  quick: boolean;
  /** Adds the 10,000-node convergence runs. */
  large: boolean;
}>;

/** Progress lines for long runs (written to stderr so tables on stdout stay clean). */
export type Progress = (message: string) => void;

export type Benchmark = Readonly<{
  name: string;
  title: string;
  run: (options: BenchOptions, progress: Progress) => Promise<BenchResult>;
}>;
