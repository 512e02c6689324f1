/** Kubernetes' `resource.ErrFormatWrong`, the message for a quantity that does not parse. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Kubernetes' `resource.ErrSuffix`: the number parses but the suffix is not one Kubernetes knows. */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const EXPONENT = /^[eE][-+]?[0-9]+$/;

const MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export type ParsedQuantity = Readonly<{ ok: true; value: number }> | Readonly<{ ok: false; error: string }>;

/**
 * Parses a Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`, or a bare YAML number) as
 * `resource.ParseQuantity` does, into its value as a float (precise enough to compare a request with its
 * limit). A string the API server cannot decode gives its error message.
 *
 * @example parseQuantity('100MB') // { ok: false, error: QUANTITY_FORMAT_ERROR }
 */
export function parseQuantity(quantity: string | number): ParsedQuantity {
  if (typeof quantity === 'number') return { ok: true, value: quantity };
  const match = QUANTITY.exec(quantity);
  const [, number = '', suffix = ''] = match ?? [];
  if (match === null || !NUMBER.test(number)) return { ok: false, error: QUANTITY_FORMAT_ERROR };
  const multiplier = MULTIPLIERS[suffix] ?? (EXPONENT.test(suffix) ? 10 ** Number(suffix.slice(1)) : undefined);
  if (multiplier === undefined) return { ok: false, error: QUANTITY_SUFFIX_ERROR };
  return { ok: true, value: Number(number) * multiplier };
}
