/** Kubernetes IntOrString as used by rolling-update limits: an absolute count or a percentage. */
export type IntOrPercent = number | Readonly<{ percent: number }>;

/** Renders a limit as Kubernetes prints it: `1` or `"25%"`. */
export function formatIntOrPercent(value: IntOrPercent): number | string {
  return typeof value === 'number' ? value : `${value.percent}%`;
}
