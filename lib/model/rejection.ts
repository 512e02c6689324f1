/** An event that was refused, kept where an operator can find it (`everynode get rejections`). */
export type Rejection = Readonly<{
  /** Stable id of the refused message (SQS message id or a hash of the body) so a redelivery records once. */
  id: string;
  /** Where it came from: queue name, `api`, `eventbridge`... */
  source: string;
  reason: string;
  /** The offending body, truncated to a safe size. */
  body: string;
  time: string;
}>;
