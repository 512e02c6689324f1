import { formatAge } from './format-age.js';
import { formatTable } from './format-table.js';
import { type KubeObject, namespaceOf, stringAt } from './kube-object.js';

/**
 * `everynode get events`: kubectl's columns (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; NAMESPACE first across
 * namespaces), oldest first. OBJECT is `kind/name` in lower case, as kubectl prints it (`node/worker-1`).
 */
export function formatEvents(
  items: readonly KubeObject[],
  options: Readonly<{ withNamespace: boolean; now: number }>,
): string {
  const header = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const rows = items.map((item) => {
    const row = [
      formatAge(stringAt(item, 'lastTimestamp'), options.now),
      stringAt(item, 'type') ?? '',
      stringAt(item, 'reason') ?? '',
      involvedObjectOf(item),
      stringAt(item, 'message') ?? '',
    ];
    return options.withNamespace ? [namespaceOf(item), ...row] : row;
  });
  return formatTable(options.withNamespace ? ['NAMESPACE', ...header] : header, rows);
}

/** `node/worker-1`, `daemonset/fluentd`. */
export function involvedObjectOf(event: KubeObject): string {
  const kind = stringAt(event, 'involvedObject', 'kind') ?? '';
  return `${kind.toLowerCase()}/${stringAt(event, 'involvedObject', 'name') ?? ''}`;
}
