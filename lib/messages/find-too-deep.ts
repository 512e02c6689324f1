/**
 * How deeply a message or request body may nest. Kubernetes decodes JSON up to 10,000 levels
 * (k8s.io/apimachinery util/json), but everynode stores objects through recursive code (JSON.stringify, the
 * DynamoDB marshaller) that runs out of stack long before that: 5,000 levels ended in a RangeError at the
 * write, retried until dead-lettered. The deepest field of a real DaemonSet (a node-affinity value) sits about
 * 12 levels down, so 100 refuses nothing real.
 */
export const MAX_JSON_DEPTH = 100;

/** Where a value nests too deeply: the field path of the first container beyond `MAX_JSON_DEPTH`. */
export type TooDeep = Readonly<{ path: string; limit: number }>;

/**
 * The first place `value` nests more than `limit` objects or arrays deep, or undefined when it does not.
 * Iterative, so a value nested far beyond the limit cannot exhaust the stack here either.
 *
 * @example
 * findTooDeep({ spec: { a: [[1]] } }, 3); // { path: 'spec.a[0]', limit: 3 }
 */
export function findTooDeep(value: unknown, limit: number = MAX_JSON_DEPTH): TooDeep | undefined {
  const pending: Frame[] = [{ value, depth: 0, step: '', parent: undefined }];
  for (let frame = pending.pop(); frame !== undefined; frame = pending.pop()) {
    if (typeof frame.value !== 'object' || frame.value === null) continue;
    const depth = frame.depth + 1;
    if (depth > limit) return { path: pathOf(frame), limit };
    const entries = Array.isArray(frame.value)
      ? frame.value.map((child, index) => [`[${index}]`, child] as const)
      : Object.entries(frame.value).map(([key, child]) => [`.${key}`, child] as const);
    for (const [step, child] of entries) pending.push({ value: child, depth, step, parent: frame });
  }
  return undefined;
}

type Frame = Readonly<{ value: unknown; depth: number; step: string; parent: Frame | undefined }>;

function pathOf(frame: Frame): string {
  const steps: string[] = [];
  for (let at: Frame | undefined = frame; at !== undefined; at = at.parent) steps.push(at.step);
  const path = steps.reverse().join('');
  return path.startsWith('.') ? path.slice(1) : path === '' ? '<root>' : path;
}
