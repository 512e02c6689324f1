/** A Kubernetes-style event recorded against a DaemonSet (shown by `everynode describe`). */
export type DaemonSetEvent = Readonly<{
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** RFC 3339 */
  time: string;
}>;
