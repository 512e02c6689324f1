import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A DynamoDB item in the wire format (`{ S: 'x' }`, `{ N: '1' }`...), as requests carry it. */
export type WireItem = Readonly<Record<string, AttributeValue>>;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * DynamoDB's item size (what capacity is billed on): for every attribute, its name's UTF-8 length plus
 * its value's size. Strings count their UTF-8 bytes, numbers about one byte per two significant digits
 * plus one, booleans and nulls one byte, lists and maps three bytes plus one per element.
 */
export function itemSize(item: WireItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((total, text) => total + utf8(text), 0);
  if (value.NS !== undefined) return value.NS.reduce((total, number) => total + numberSize(number), 0);
  if (value.BS !== undefined) return value.BS.reduce((total, bytes) => total + bytes.length, 0);
  if (value.L !== undefined) return value.L.reduce((total, element) => total + 1 + valueSize(element), 3);
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce((total, [name, element]) => total + utf8(name) + 1 + valueSize(element), 3);
  }
  return 0;
}

function numberSize(number: string): number {
  const digits = number.replace(/^[-+]/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(Math.max(1, digits) / 2) + 1;
}

/** Write units for an item of `bytes`: one per started kilobyte, at least one. */
export const writeUnitsFor = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
