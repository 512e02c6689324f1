import type { LabelSelector, LabelSelectorRequirement } from '../model/daemon-set.js';
import { labelValueErrors, qualifiedNameErrors } from './label-syntax.js';

const KEY = '[-A-Za-z0-9_./]+';
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(\\S*)$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\((.*)\\)$`);
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);

/**
 * Parses the label selector string syntax `kubectl -l` accepts: comma-separated requirements
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` and `!a`. Equalities become `matchLabels`
 * (a repeated key falls back to an `In` expression); everything else becomes `matchExpressions`.
 * The empty string is the empty selector, which matches everything.
 *
 * @throws LabelSelectorSyntaxError naming the requirement that does not parse or holds an invalid key or value.
 * @example parseLabelSelector('zone=a,tier in (x,y)')
 * // { matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] }
 */
export function parseLabelSelector(text: string): LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const part of splitRequirements(text)) {
    const { requirement, equalTo } = parseRequirement(text, part);
    if (equalTo !== undefined && !Object.hasOwn(matchLabels, requirement.key)) {
      matchLabels[requirement.key] = equalTo;
    } else {
      matchExpressions.push(requirement);
    }
  }
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

/** Splits on commas outside parentheses; the empty text has no requirements. */
function splitRequirements(text: string): string[] {
  if (text.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === '(') depth++;
    if (character === ')') depth--;
    if (depth < 0) throw new LabelSelectorSyntaxError(text, `unexpected ')' at position ${index + 1}`);
    if (character === ',' && depth === 0) {
      parts.push(text.slice(start, index).trim());
      start = index + 1;
    }
  }
  if (depth !== 0) throw new LabelSelectorSyntaxError(text, "missing ')'");
  parts.push(text.slice(start).trim());
  return parts;
}

type ParsedRequirement = Readonly<{ requirement: LabelSelectorRequirement; equalTo?: string }>;

function parseRequirement(text: string, part: string): ParsedRequirement {
  const set = SET.exec(part);
  if (set) {
    const [, key = '', operator, list = ''] = set;
    const values = list.split(',').map((value) => value.trim());
    if (list.trim() === '') {
      throw new LabelSelectorSyntaxError(text, `for 'in', 'notin' operators, values set can't be empty in "${part}"`);
    }
    return { requirement: checked(text, { key, operator: operator === 'in' ? 'In' : 'NotIn', values }) };
  }
  const equality = EQUALITY.exec(part);
  if (equality) {
    const [, key = '', operator, value = ''] = equality;
    const requirement = checked(text, { key, operator: operator === '!=' ? 'NotIn' : 'In', values: [value] });
    return operator === '!=' ? { requirement } : { requirement, equalTo: value };
  }
  const exists = EXISTS.exec(part);
  if (exists) {
    const [, negated, key = ''] = exists;
    return { requirement: checked(text, { key, operator: negated === '!' ? 'DoesNotExist' : 'Exists' }) };
  }
  const what = part === '' ? 'an empty requirement' : `"${part}"`;
  throw new LabelSelectorSyntaxError(
    text,
    `unable to parse ${what}: expected 'key', '!key', 'key=value', 'key!=value', 'key in (v1,v2)' or 'key notin (v1,v2)'`,
  );
}

function checked(text: string, requirement: LabelSelectorRequirement): LabelSelectorRequirement {
  const keyErrors = qualifiedNameErrors(requirement.key);
  if (keyErrors.length > 0) {
    throw new LabelSelectorSyntaxError(text, `invalid label key "${requirement.key}": ${keyErrors.join('; ')}`);
  }
  for (const value of requirement.values ?? []) {
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length > 0) {
      throw new LabelSelectorSyntaxError(text, `invalid label value "${value}": ${valueErrors.join('; ')}`);
    }
  }
  return requirement;
}

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
