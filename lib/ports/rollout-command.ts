/** The rollout verbs `everynode rollout ...` sends (Kubernetes' and OpenKruise's, plus EDS freeze). */
export const ROLLOUT_COMMAND_NAMES = ['pause', 'resume', 'freeze', 'unfreeze', 'undo', 'restart'] as const;

export type RolloutCommandName = (typeof ROLLOUT_COMMAND_NAMES)[number];

/** What a command did, as kubectl words it (`daemonset.apps/x paused`): the CLI's line and the API's answer. */
export const ROLLOUT_COMMAND_DONE: Readonly<Record<RolloutCommandName, string>> = {
  pause: 'paused',
  resume: 'resumed',
  freeze: 'frozen',
  unfreeze: 'unfrozen',
  undo: 'rolled back',
  restart: 'restarted',
};
