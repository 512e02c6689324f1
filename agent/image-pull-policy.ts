import type { DockerApi } from './docker-api.js';

/**
 * Whether the kubelet would pull this image now: `Always` pulls, `Never` never does (and fails when the
 * image is absent), `IfNotPresent` pulls only when absent. Without a policy, an image tagged `latest` (or
 * untagged) is `Always`, any other `IfNotPresent`.
 */
export async function imageToPull(
  image: string,
  policy: unknown,
  docker: Pick<DockerApi, 'hasImage'>,
): Promise<boolean> {
  const effective = typeof policy === 'string' && policy !== '' ? policy : defaultPullPolicy(image);
  if (effective === 'Always') return true;
  const present = await docker.hasImage(image);
  if (effective === 'Never' && !present) {
    throw new Error(
      `ErrImageNeverPull: container image ${JSON.stringify(image)} is not present with pull policy of Never`,
    );
  }
  return !present;
}

/** Kubernetes' default `imagePullPolicy`. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
