import type { Node, Taint } from '../model/node.js';
import type { PlacementSpec, Toleration } from '../model/pod-spec.js';
import { compileNodeAffinity, type NodeMatcher } from './compile-node-affinity.js';
import { daemonPodTolerations } from './daemon-pod-tolerations.js';
import { toleratesTaint } from './tolerates-taint.js';

/** How the taints of a node bear on a DaemonSet pod. */
export type TaintVerdict = 'tolerated' | 'noSchedule' | 'noExecute';

/** A placement prepared once for many nodes: the same answers as the reason-building rules, without strings. */
export type CompiledPlacement = Readonly<{
  /** spec.nodeName, nodeSelector and required node affinity all admit the node. */
  fits: (node: Node) => boolean;
  /** The worst untolerated taint: `noExecute` also ends a running pod, `noSchedule` only closes the door. */
  taints: (node: Node) => TaintVerdict;
  /** The pod's real tolerations (template plus DaemonSet defaults), merged once. */
  tolerations: readonly Toleration[];
}>;

// Placements are immutable model values shared by every node of a reconcile step: compile each once.
const cache = new WeakMap<PlacementSpec, CompiledPlacement>();

/**
 * The compiled form of a placement, memoised on the placement object (which must not be mutated after
 * its first use, as no model value is). Used by `nodeShouldRunDaemonPod` to decide without building reasons.
 */
export function compilePlacement(placement: PlacementSpec): CompiledPlacement {
  let compiled = cache.get(placement);
  if (compiled === undefined) {
    compiled = compile(placement);
    cache.set(placement, compiled);
  }
  return compiled;
}

function compile(placement: PlacementSpec): CompiledPlacement {
  const tolerations = daemonPodTolerations(placement);
  const checks: NodeMatcher[] = [];
  const { nodeName } = placement;
  if (nodeName) checks.push((node) => node.name === nodeName);
  for (const [key, wanted] of Object.entries(placement.nodeSelector)) {
    checks.push((node) => node.labels[key] === wanted);
  }
  if (placement.requiredNodeAffinity !== undefined) checks.push(compileNodeAffinity(placement.requiredNodeAffinity));
  const tolerateAll = tolerations.some(isBareExists);
  return {
    fits: (node) => {
      for (const check of checks) if (!check(node)) return false;
      return true;
    },
    taints: tolerateAll ? () => 'tolerated' : (node) => taintVerdict(node.taints, tolerations),
    tolerations,
  };
}

function taintVerdict(taints: readonly Taint[], tolerations: readonly Toleration[]): TaintVerdict {
  let verdict: TaintVerdict = 'tolerated';
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (isTolerated(taint, tolerations)) continue;
    if (taint.effect === 'NoExecute') return 'noExecute';
    verdict = 'noSchedule';
  }
  return verdict;
}

function isTolerated(taint: Taint, tolerations: readonly Toleration[]): boolean {
  for (const toleration of tolerations) if (toleratesTaint(toleration, taint)) return true;
  return false;
}

/** `operator: Exists` with empty key and effect tolerates every taint. */
const isBareExists = (toleration: Toleration): boolean =>
  toleration.operator === 'Exists' && !toleration.key && !toleration.effect;
