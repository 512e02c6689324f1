import type { ControllerRevision } from '../model/revision.js';

/** Orders revisions oldest first: by revision number, then by name so equal numbers sort stably. */
export function byRevision(a: ControllerRevision, b: ControllerRevision): number {
  return a.revision - b.revision || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
