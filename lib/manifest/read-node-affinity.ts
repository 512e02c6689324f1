import { dns1123SubdomainErrors, labelValueErrors } from '../labels/label-syntax.js';
import type { NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm } from '../model/pod-spec.js';
import { type FieldError, forbiddenValue, invalidValue, requiredValue } from './field-error.js';
import { readList, readObject, readString, readStringList } from './read-json.js';
import { validateLabelKey } from './read-object-meta.js';

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const isOperator = (operator: string): operator is NodeSelectorOperator => OPERATORS.includes(operator);
const INTEGER = /^[+-]?[0-9]+$/;

/**
 * Reads `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms` and
 * validates it as Kubernetes `ValidateNodeSelector` does. Returns undefined when there is no required
 * node affinity or it is invalid. Preferred terms never affect DaemonSet placement and are ignored.
 *
 * One rule is stricter than the API server: a `Gt`/`Lt` value must be an integer. Kubernetes accepts any
 * string there and then never matches the term, which is never what the author meant.
 */
export function readRequiredNodeAffinity(
  affinity: unknown,
  path: string,
  errors: FieldError[],
): readonly NodeSelectorTerm[] | undefined {
  const nodeAffinity = readObject(readObject(affinity, path, errors)?.['nodeAffinity'], `${path}.nodeAffinity`, errors);
  const requiredPath = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
  const required = readObject(nodeAffinity?.['requiredDuringSchedulingIgnoredDuringExecution'], requiredPath, errors);
  if (required === undefined) return undefined;
  const before = errors.length;
  const termsPath = `${requiredPath}.nodeSelectorTerms`;
  const terms = readList(required['nodeSelectorTerms'], termsPath, errors) ?? [];
  if (terms.length === 0) errors.push(requiredValue(termsPath, 'must have at least one node selector term'));
  const model = terms.map((term, index) => readTerm(term, `${termsPath}[${index}]`, errors));
  return errors.length > before ? undefined : model;
}

function readTerm(value: unknown, path: string, errors: FieldError[]): NodeSelectorTerm {
  const term = readObject(value, path, errors) ?? {};
  const expressions = (readList(term['matchExpressions'], `${path}.matchExpressions`, errors) ?? []).flatMap(
    (entry, index) =>
      readRequirement(entry, `${path}.matchExpressions[${index}]`, errors, validateLabelRequirement) ?? [],
  );
  const fields = (readList(term['matchFields'], `${path}.matchFields`, errors) ?? []).flatMap(
    (entry, index) => readRequirement(entry, `${path}.matchFields[${index}]`, errors, validateFieldRequirement) ?? [],
  );
  return {
    ...(expressions.length > 0 ? { matchExpressions: expressions } : {}),
    ...(fields.length > 0 ? { matchFields: fields } : {}),
  };
}

type RequirementCheck = (
  requirement: Readonly<{ key: string; operator: string; values: string[] }>,
  path: string,
) => FieldError[];

function readRequirement(
  value: unknown,
  path: string,
  errors: FieldError[],
  check: RequirementCheck,
): NodeSelectorRequirement | undefined {
  const object = readObject(value, path, errors) ?? {};
  const key = readString(object['key'], `${path}.key`, errors) ?? '';
  const operator = readString(object['operator'], `${path}.operator`, errors) ?? '';
  const values = readStringList(object['values'], `${path}.values`, errors);
  errors.push(...check({ key, operator, values }, path));
  if (!isOperator(operator)) return undefined;
  return { key, operator, ...(values.length > 0 ? { values } : {}) };
}

/** Kubernetes `ValidateNodeSelectorRequirement`, plus integer values for `Gt`/`Lt`. */
const validateLabelRequirement: RequirementCheck = ({ key, operator, values }, path) => {
  const errors: FieldError[] = [];
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0)
      errors.push(requiredValue(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) {
      errors.push(
        forbiddenValue(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      );
    }
  } else if (operator === 'Gt' || operator === 'Lt') {
    if (values.length !== 1) {
      errors.push(requiredValue(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    } else if (!INTEGER.test(values[0] ?? '')) {
      errors.push(invalidValue(`${path}.values[0]`, values[0], "must be an integer when `operator` is 'Lt' or 'Gt'"));
    }
  } else {
    errors.push(invalidValue(`${path}.operator`, operator, 'not a valid selector operator'));
  }
  validateLabelKey(key, `${path}.key`, errors);
  values.forEach((entry, index) => {
    for (const message of labelValueErrors(entry))
      errors.push(invalidValue(`${path}.values[${index}]`, entry, message));
  });
  return errors;
};

/** Kubernetes `ValidateNodeFieldSelectorRequirement`: only `metadata.name`, `In`/`NotIn`, one node name. */
const validateFieldRequirement: RequirementCheck = ({ key, operator, values }, path) => {
  const errors: FieldError[] = [];
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length !== 1) {
      errors.push(
        requiredValue(
          `${path}.values`,
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
    }
  } else {
    errors.push(invalidValue(`${path}.operator`, operator, 'not a valid selector operator'));
  }
  if (key !== 'metadata.name') {
    errors.push(invalidValue(`${path}.key`, key, 'not a valid field selector key'));
  } else {
    values.forEach((entry, index) => {
      for (const message of dns1123SubdomainErrors(entry))
        errors.push(invalidValue(`${path}.values[${index}]`, entry, message));
    });
  }
  return errors;
};
