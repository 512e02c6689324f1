/** Input that is not YAML or JSON, or a document that is not a Kubernetes object. */
export class ManifestSyntaxError extends Error {
  override readonly name = 'ManifestSyntaxError';
  /** The file name or other label the text was read from. */
  readonly source: string;
  /** 1-based line of the problem, as the parser reports it. */
  readonly line: number;
  /** 1-based column of the problem, as the parser reports it. */
  readonly column: number;

  constructor(source: string, line: number, column: number, reason: string) {
    super(`${source}:${line}:${column}: ${reason}`);
    this.source = source;
    this.line = line;
    this.column = column;
  }
}
