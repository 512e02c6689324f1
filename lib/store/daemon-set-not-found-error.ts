import type { DaemonSetKey } from '../model/daemon-set.js';

/** The DaemonSet does not exist (never applied, or removed). */
export class DaemonSetNotFoundError extends Error {
  override readonly name = 'DaemonSetNotFoundError';
  readonly key: DaemonSetKey;
  constructor(key: DaemonSetKey, options?: ErrorOptions) {
    super(`daemon set ${key} not found`, options);
    this.key = key;
  }
}
