import type { DaemonSet } from '../model/daemon-set.js';
import type { Pod } from '../model/pod.js';
import { parseInt64 } from '../placement/parse-int64.js';

/** The annotation the API server keeps at the DaemonSet's template generation (apps/v1). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The label Kubernetes gives a DaemonSet pod with the template generation it was created from. */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/**
 * Kubernetes' `util.GetTemplateGeneration`: the `deprecated.daemonset.template.generation` annotation as
 * an int64, in the decimal form `fmt.Sprint` gives it; `undefined` when absent or not a number (Kubernetes
 * then compares hashes only).
 */
export function templateGeneration(daemonSet: DaemonSet): string | undefined {
  const annotation = daemonSet.annotations[TEMPLATE_GENERATION_ANNOTATION];
  if (annotation === undefined) return undefined;
  return parseInt64(annotation)?.toString();
}

/**
 * Kubernetes' `util.IsPodUpdated`: the pod carries the current revision's hash, or (kept for pods created
 * before a hash change) a `pod-template-generation` label equal to the DaemonSet's template generation.
 *
 * @example
 * isPodUpdated(pod, history.current.hash, templateGeneration(daemonSet));
 */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const hashMatches = hash !== '' && pod.revisionHash === hash;
  const generationMatches = generation !== undefined && pod.labels[POD_TEMPLATE_GENERATION_LABEL] === generation;
  return hashMatches || generationMatches;
}
