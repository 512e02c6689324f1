import { formatAge } from './format-age.js';
import { formatTable } from './format-table.js';
import { type KubeObject, stringAt } from './kube-object.js';

/** `everynode get rejections`: refused events, newest last; `-o wide` adds the ID and the offending body. */
export function formatRejections(items: readonly KubeObject[], wide: boolean, now: number): string {
  const header = ['AGE', 'SOURCE', 'REASON'];
  const rows = items.map((item) => {
    const row = [
      formatAge(stringAt(item, 'time'), now),
      stringAt(item, 'source') ?? '',
      stringAt(item, 'reason') ?? '',
    ];
    return wide ? [...row, stringAt(item, 'id') ?? '', oneLine(stringAt(item, 'body') ?? '')] : row;
  });
  return formatTable(wide ? [...header, 'ID', 'BODY'] : header, rows);
}

const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
};
