import type { DeleteReason } from '../model/action.js';
import type { Pod } from '../model/pod.js';

/** A pod a planner wants gone, and why. */
export type PodDeletion = Readonly<{ pod: Pod; reason: DeleteReason }>;
