/**
 * Why `spec.nodeSelector` does not match a node's labels: one message per unmatched key, sorted by key.
 * Empty when every `key=value` is present on the node.
 *
 * @example
 * nodeSelectorMismatches({ hardware: 'gpu' }, { hardware: 'cpu' });
 * // ['nodeSelector hardware=gpu does not match (node has hardware=cpu)']
 */
export function nodeSelectorMismatches(
  nodeSelector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): readonly string[] {
  return Object.keys(nodeSelector)
    .sort()
    .flatMap((key) => {
      const wanted = nodeSelector[key];
      const actual = Object.hasOwn(labels, key) ? labels[key] : undefined;
      if (actual === wanted) return [];
      const has = actual === undefined ? `no label ${key}` : `${key}=${actual}`;
      return [`nodeSelector ${key}=${wanted} does not match (node has ${has})`];
    });
}
