import type { DaemonSetKey } from '../model/daemon-set.js';

/** Retrying cannot help (malformed message, impossible spec). Logged, counted, recorded, acknowledged. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

/** The daemon set moved between our read and our write. Safe to retry against fresh state. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  readonly key: DaemonSetKey;
  constructor(key: DaemonSetKey, options?: ErrorOptions) {
    super(`daemon set ${key} changed during reconcile`, options);
    this.key = key;
  }
}

/** The DaemonSet does not exist (never applied, or removed). */
export class DaemonSetNotFoundError extends Error {
  override readonly name = 'DaemonSetNotFoundError';
  readonly key: DaemonSetKey;
  constructor(key: DaemonSetKey, options?: ErrorOptions) {
    super(`daemon set ${key} not found`, options);
    this.key = key;
  }
}
