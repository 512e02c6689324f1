import { loadDaemonSet } from '../input/load-manifests.js';

export type ValidateOptions = Readonly<{ filename: string }>;

/** `everynode validate -f x.yaml`: exit 0 with a confirmation, or exit 2 with one line per field error. */
export async function runValidate(options: ValidateOptions): Promise<void> {
  const daemonSet = await loadDaemonSet(options.filename);
  process.stdout.write(`daemonset.apps/${daemonSet.name} (${daemonSet.namespace}) is valid\n`);
}
