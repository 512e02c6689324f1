import { isJsonObject } from '../../lib/manifest/read-json.js';
import type { ControllerRevision, PodTemplate } from '../../lib/model/daemon-set.js';
import { CHANGE_CAUSE_ANNOTATION } from '../../lib/revision/format-history.js';
import { at, creationOf, listAt, numberAt, stringAt, stringMapAt } from '../output/kube-object.js';

/** A revision as the CLI shows it, whichever shape the server sent (everynode's or a ControllerRevision). */
export type RevisionView = Readonly<{
  revision: number;
  name: string;
  hash: string;
  changeCause: string;
  creationTimestamp?: string;
  template: unknown;
}>;

/** The `revisions` of a `GET /v1/daemonsets/{ns}/{name}` answer, oldest first. */
export function revisionsOf(daemonSet: unknown): readonly RevisionView[] {
  return listAt(daemonSet, 'revisions')
    .map((entry): RevisionView => {
      const name = stringAt(entry, 'name') ?? stringAt(entry, 'metadata', 'name') ?? '';
      const template = at(entry, 'template') ?? at(entry, 'data', 'spec', 'template');
      const created = stringAt(entry, 'creationTimestamp') ?? creationOf(entry);
      return {
        revision: numberAt(entry, 'revision') ?? 0,
        name,
        hash:
          stringAt(entry, 'hash') ??
          stringAt(entry, 'metadata', 'labels', 'controller-revision-hash') ??
          name.slice(name.lastIndexOf('-') + 1),
        changeCause:
          stringAt(entry, 'changeCause') ??
          stringAt(entry, 'metadata', 'annotations', CHANGE_CAUSE_ANNOTATION) ??
          stringAt(template, 'metadata', 'annotations', CHANGE_CAUSE_ANNOTATION) ??
          '<none>',
        ...(created === undefined ? {} : { creationTimestamp: created }),
        template,
      };
    })
    .toSorted((a, b) => a.revision - b.revision);
}

/** A revision in the model's shape, for the revision functions the controller uses (rollback, history). */
export function toControllerRevision(view: RevisionView): ControllerRevision {
  return {
    name: view.name,
    hash: view.hash,
    revision: view.revision,
    template: toPodTemplate(view.template),
    creationTimestamp: view.creationTimestamp ?? '',
  };
}

/** A template as a ControllerRevision stores it (`$patch` and unknown keys dropped). */
function toPodTemplate(template: unknown): PodTemplate {
  const spec = at(template, 'spec');
  return {
    metadata: {
      labels: stringMapAt(template, 'metadata', 'labels'),
      annotations: stringMapAt(template, 'metadata', 'annotations'),
    },
    spec: isJsonObject(spec) ? spec : {},
  };
}
