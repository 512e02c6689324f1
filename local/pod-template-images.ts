import type { PodTemplate } from '../lib/model/daemon-set.js';

/**
 * The container images of a pod template (`spec.containers[*].image`), in order.
 *
 * @example
 * podTemplateImages({ metadata: { labels: {}, annotations: {} }, spec: { containers: [{ name: 'a', image: 'fluent/fluentd:v1.14' }] } })
 * // ['fluent/fluentd:v1.14']
 */
export function podTemplateImages(template: PodTemplate): readonly string[] {
  const containers = template.spec['containers'];
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((container) => {
    if (typeof container !== 'object' || container === null || Array.isArray(container)) return [];
    const image = (container as Readonly<Record<string, unknown>>)['image'];
    return typeof image === 'string' ? [image] : [];
  });
}
