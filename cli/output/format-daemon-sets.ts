import { formatAge } from './format-age.js';
import { formatTable } from './format-table.js';
import {
  creationOf,
  type KubeObject,
  listAt,
  nameOf,
  namespaceOf,
  numberAt,
  objectAt,
  stringAt,
  stringMapAt,
} from './kube-object.js';

/**
 * `everynode get daemonsets`, in kubectl's columns: NAMESPACE NAME DESIRED CURRENT READY UP-TO-DATE
 * AVAILABLE NODE SELECTOR AGE; `-o wide` adds CONTAINERS, IMAGES and SELECTOR.
 */
export function formatDaemonSets(items: readonly KubeObject[], wide: boolean, now: number): string {
  const header = [
    'NAMESPACE',
    'NAME',
    'DESIRED',
    'CURRENT',
    'READY',
    'UP-TO-DATE',
    'AVAILABLE',
    'NODE SELECTOR',
    'AGE',
  ];
  const rows = items.map((item) => {
    const count = (field: string) => String(numberAt(item, 'status', field) ?? 0);
    const row = [
      namespaceOf(item),
      nameOf(item),
      count('desiredNumberScheduled'),
      count('currentNumberScheduled'),
      count('numberReady'),
      count('updatedNumberScheduled'),
      count('numberAvailable'),
      formatLabels(stringMapAt(item, 'spec', 'template', 'spec', 'nodeSelector')),
      formatAge(creationOf(item), now),
    ];
    if (!wide) return row;
    const containers = listAt(item, 'spec', 'template', 'spec', 'containers');
    return [
      ...row,
      containers.map((container) => stringAt(container, 'name') ?? '').join(','),
      containers.map((container) => stringAt(container, 'image') ?? '').join(','),
      formatSelector(objectAt(item, 'spec', 'selector')),
    ];
  });
  return formatTable(wide ? [...header, 'CONTAINERS', 'IMAGES', 'SELECTOR'] : header, rows);
}

/** `a=b,c=d`, or `<none>` when empty (kubectl's labels.FormatLabels). */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}

/** A label selector as kubectl prints it: `app=x,tier in (a,b),!legacy`. */
export function formatSelector(selector: KubeObject | undefined): string {
  const labels = Object.entries(stringMapAt(selector, 'matchLabels')).map(([key, value]) => `${key}=${value}`);
  const expressions = listAt(selector, 'matchExpressions').map((expression) => {
    const key = stringAt(expression, 'key') ?? '';
    const values = listAt(expression, 'values').join(',');
    switch (stringAt(expression, 'operator')) {
      case 'In':
        return `${key} in (${values})`;
      case 'NotIn':
        return `${key} notin (${values})`;
      case 'DoesNotExist':
        return `!${key}`;
      default:
        return key;
    }
  });
  const all = [...labels, ...expressions];
  return all.length === 0 ? '<none>' : all.join(',');
}
