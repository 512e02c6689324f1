import type { PodTemplate } from './daemon-set.js';

/** A ControllerRevision: one pod template the DaemonSet has run, numbered in the order it was current. */
export type ControllerRevision = Readonly<{
  /** `<daemon set name>-<hash>` */
  name: string;
  /** The `controller-revision-hash` pods of this revision carry. */
  hash: string;
  revision: number;
  template: PodTemplate;
  creationTimestamp: string;
  /**
   * The DaemonSet's `kubernetes.io/change-cause` annotation when the revision was created (Kubernetes copies
   * the DaemonSet's annotations onto the ControllerRevision; `rollout history` shows this one).
   */
  changeCause?: string;
}>;
