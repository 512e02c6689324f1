/**
 * Kubernetes' name grammars (`k8s.io/apimachinery/pkg/util/validation`), returning the same messages
 * so errors read exactly as `kubectl` prints them. Each function returns an empty list when the value is valid.
 */

const QUALIFIED_NAME_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FORMAT}$`);
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FORMAT}$`);
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FORMAT}$`);
const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FORMAT}$`);
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** Kubernetes' `RegexError`, including its double space before each "or". */
function regexError(message: string, format: string, examples: readonly string[]): string {
  const quoted = examples.map((example) => `'${example}', `).join(' or ');
  return `${message} (e.g. ${quoted}regex used for validation is '${format}')`;
}

const maxLengthError = (length: number): string => `must be no more than ${length} characters`;

/** A label key, annotation key or taint key: `[prefix/]name` (Kubernetes `IsQualifiedName`). */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  const errors: string[] = [];
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, ['MyName', 'my.name', '123-abc'])} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.length === 2 ? (parts[1] ?? '') : value;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...dns1123SubdomainErrors(prefix).map((message) => `prefix part ${message}`));
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push(`name part ${maxLengthError(63)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errors.push(
      `name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, ['MyName', 'my.name', '123-abc'])}`,
    );
  }
  return errors;
}

/** A label value: empty, or up to 63 alphanumerics with `-`, `_`, `.` inside (Kubernetes `IsValidLabelValue`). */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLengthError(63));
  if (!LABEL_VALUE.test(value)) {
    errors.push(regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, ['MyValue', 'my_value', '12345']));
  }
  return errors;
}

/** A DNS label such as a namespace or container name (Kubernetes `IsDNS1123Label`). */
export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLengthError(63));
  if (!DNS1123_LABEL.test(value))
    errors.push(regexError(DNS1123_LABEL_MESSAGE, DNS1123_LABEL_FORMAT, ['my-name', '123-abc']));
  return errors;
}

/** A DNS subdomain such as an object or node name (Kubernetes `IsDNS1123Subdomain`). */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLengthError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(regexError(DNS1123_SUBDOMAIN_MESSAGE, DNS1123_SUBDOMAIN_FORMAT, ['example.com']));
  }
  return errors;
}
