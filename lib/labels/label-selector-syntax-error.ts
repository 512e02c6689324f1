/** A label selector string (`zone=a,tier in (x,y)`) that cannot be parsed. */
export class LabelSelectorSyntaxError extends Error {
  override readonly name = 'LabelSelectorSyntaxError';
  /** The whole selector text that was given. */
  readonly text: string;
  /** What is wrong, without the text. */
  readonly reason: string;

  constructor(text: string, reason: string) {
    super(`invalid label selector ${JSON.stringify(text)}: ${reason}`);
    this.text = text;
    this.reason = reason;
  }
}
