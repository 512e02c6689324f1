import type { Taint, TaintEffect } from '../../lib/model/node.js';
import { CliError, EXIT_CODES } from '../cli-error.js';

const EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `key=value` (set) or `key-` (remove), as `kubectl label` takes them. */
export type LabelChange = Readonly<{ key: string; value: string }> | Readonly<{ key: string; remove: true }>;

/** `key[=value]:Effect` (add), `key:Effect-` or `key-` (remove), as `kubectl taint` takes them. */
export type TaintChange = Readonly<{ add: Taint }> | Readonly<{ removeKey: string; effect?: TaintEffect }>;

/** Parses one label argument; exit 2 on anything else. */
export function parseLabelChange(text: string): LabelChange {
  if (text.endsWith('-') && !text.includes('=')) return { key: text.slice(0, -1), remove: true };
  const equals = text.indexOf('=');
  if (equals <= 0) {
    throw new CliError(
      `error: invalid label ${JSON.stringify(text)}: expected key=value or key-`,
      EXIT_CODES.invalidInput,
    );
  }
  return { key: text.slice(0, equals), value: text.slice(equals + 1) };
}

/** Parses one taint argument; exit 2 on anything else. */
export function parseTaintChange(text: string): TaintChange {
  if (text.endsWith('-')) {
    const body = text.slice(0, -1);
    const colon = body.lastIndexOf(':');
    if (colon === -1) return { removeKey: body };
    return { removeKey: body.slice(0, colon), effect: parseEffect(body.slice(colon + 1), text) };
  }
  return { add: parseTaint(text) };
}

/** `key[=value]:Effect` into a taint. */
export function parseTaint(text: string): Taint {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) {
    throw new CliError(
      `error: invalid taint ${JSON.stringify(text)}: expected key[=value]:Effect (Effect: ${EFFECTS.join(', ')})`,
      EXIT_CODES.invalidInput,
    );
  }
  const effect = parseEffect(text.slice(colon + 1), text);
  const keyValue = text.slice(0, colon);
  const equals = keyValue.indexOf('=');
  if (equals === -1) return { key: keyValue, effect };
  return { key: keyValue.slice(0, equals), value: keyValue.slice(equals + 1), effect };
}

function parseEffect(effect: string, text: string): TaintEffect {
  const found = EFFECTS.find((candidate) => candidate === effect);
  if (found === undefined) {
    throw new CliError(
      `error: invalid taint effect in ${JSON.stringify(text)}: ${JSON.stringify(effect)} is not one of ${EFFECTS.join(', ')}`,
      EXIT_CODES.invalidInput,
    );
  }
  return found;
}
