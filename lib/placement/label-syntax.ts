// Kubernetes' IsQualifiedName and IsValidLabelValue (apimachinery/pkg/util/validation).
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `key` is a valid label key: `[prefix/]name`, name ≤ 63 characters, prefix a DNS subdomain ≤ 253. */
export function isValidLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return false;
  return prefix === undefined || (prefix.length > 0 && prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix));
}

/** Whether `value` is a valid label value: empty, or ≤ 63 alphanumerics with `-`, `_`, `.` inside. */
export function isValidLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && NAME.test(value));
}
