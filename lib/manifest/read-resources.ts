import type { JsonObject } from '../model/daemon-set.js';
import { type FieldError, invalidValue } from './field-error.js';
import { parseQuantity } from './parse-quantity.js';
import { readObject } from './read-json.js';

/**
 * Validates a container's `resources` (at `path`) as Kubernetes `ValidateResourceRequirements` does: every
 * limit and request is a quantity the API server can decode and not negative, and no request exceeds its
 * limit (`resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1`).
 */
export function readResources(value: unknown, path: string, errors: FieldError[]): void {
  const resources = readObject(value, path, errors) ?? {};
  const limits = readQuantities(resources['limits'], `${path}.limits`, errors);
  const requests = readQuantities(resources['requests'], `${path}.requests`, errors);
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (limit === undefined || request.value <= limit.value) continue;
    errors.push(
      invalidValue(
        `${path}.requests[${name}]`,
        request.text,
        `must be less than or equal to ${name} limit of ${limit.text}`,
      ),
    );
  }
}

type Quantity = Readonly<{ text: string; value: number }>;

function readQuantities(value: unknown, path: string, errors: FieldError[]): ReadonlyMap<string, Quantity> {
  const quantities = new Map<string, Quantity>();
  const map: JsonObject = readObject(value, path, errors) ?? {};
  for (const [name, entry] of Object.entries(map)) {
    const entryPath = `${path}[${name}]`;
    if (typeof entry !== 'string' && typeof entry !== 'number') {
      errors.push(invalidValue(entryPath, entry, 'must be a quantity'));
      continue;
    }
    const parsed = parseQuantity(entry);
    if (!parsed.ok) {
      errors.push(invalidValue(entryPath, entry, parsed.error));
      continue;
    }
    if (parsed.value < 0) errors.push(invalidValue(entryPath, String(entry), 'must be greater than or equal to 0'));
    else quantities.set(name, { text: String(entry), value: parsed.value });
  }
  return quantities;
}
