import { formatLabelSelector } from '../../lib/labels/format-label-selector.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { type DaemonSet, formatIntOrPercent } from '../../lib/model/daemon-set.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { connect } from '../api/api-client.js';
import { getDaemonSet, resolveDaemonSet } from '../api/find-daemon-set.js';
import { fromServer } from '../api/from-server.js';
import type { ConnectionOptions } from '../command-options.js';
import { field, keyValueLines, section } from '../output/describe-layout.js';
import { formatAge } from '../output/format-age.js';
import { formatLabels } from '../output/format-daemon-sets.js';
import { podPhase } from '../output/format-pods.js';
import { itemsOf, type KubeObject, listAt, numberAt, objectAt, stringAt, stringMapAt } from '../output/kube-object.js';
import { revisionsOf } from '../rollout/revisions-of.js';

const RECENT_EVENTS = 20;

/** A DaemonSet is found by name in `namespace`, or in any namespace when the name is unique. */
export type DescribeDaemonSetOptions = Readonly<{ namespace?: string }> & ConnectionOptions;

/** `everynode describe daemonset <name>`: spec, status, conditions, rollout controls, revisions and events. */
export async function describeDaemonSet(name: string, options: DescribeDaemonSetOptions): Promise<string> {
  const client = connect(options);
  const target = await resolveDaemonSet(client, name, options.namespace);
  const object = await getDaemonSet(client, target);
  const pods = itemsOf(
    await client.get(`/v1/pods?daemonSet=${encodeURIComponent(`${target.namespace}/${target.name}`)}`),
  );
  const daemonSet = fromServer(toDaemonSet, object, 'daemon set');
  const now = Date.now();
  const count = (key: string) => numberAt(object, 'status', key) ?? 0;
  const phases = (phase: string) => pods.filter((pod) => podPhase(pod) === phase).length;
  const row = (label: string, value: string | number): string => field(label, value, 19);
  const current = computeRevisionHash(daemonSet.template, numberAt(object, 'status', 'collisionCount'));
  return [
    row('Name', daemonSet.name),
    row('Namespace', daemonSet.namespace),
    row('Selector', formatLabelSelector(daemonSet.selector) || '<none>'),
    row('Node-Selector', formatLabels(daemonSet.placement.nodeSelector)),
    row('Labels', keyValueLines(daemonSet.labels)),
    row('Annotations', keyValueLines(daemonSet.annotations)),
    row('Age', formatAge(daemonSet.creationTimestamp, now)),
    ...(daemonSet.deletionTimestamp === undefined ? [] : [row('Deleting since', daemonSet.deletionTimestamp)]),
    `Desired Number of Nodes Scheduled: ${count('desiredNumberScheduled')}`,
    `Current Number of Nodes Scheduled: ${count('currentNumberScheduled')}`,
    `Number of Nodes Scheduled with Up-to-date Pods: ${count('updatedNumberScheduled')}`,
    `Number of Nodes Scheduled with Available Pods: ${count('numberAvailable')}`,
    `Number of Nodes Misscheduled: ${count('numberMisscheduled')}`,
    `Pods Status:  ${phases('Running')} Running / ${phases('Pending')} Waiting / ${phases('Succeeded')} Succeeded / ${phases('Failed')} Failed / ${phases('Terminating')} Terminating`,
    row('Generation', `${daemonSet.generation} (observed ${numberAt(object, 'status', 'observedGeneration') ?? 0})`),
    row('Update Strategy', strategyLine(daemonSet)),
    row('Min Ready Seconds', daemonSet.minReadySeconds),
    row('Current Revision', current),
    `Rollout Controls:\n${controlLines(daemonSet)}`,
    `Pod Template:\n${templateLines(object)}`,
    section(
      'Conditions',
      ['TYPE', 'STATUS', 'REASON', 'AGE', 'MESSAGE'],
      listAt(object, 'status', 'conditions').map((condition) => [
        stringAt(condition, 'type') ?? '',
        stringAt(condition, 'status') ?? '',
        stringAt(condition, 'reason') ?? '',
        formatAge(stringAt(condition, 'lastTransitionTime'), now),
        stringAt(condition, 'message') ?? '',
      ]),
    ),
    section(
      'Revisions',
      ['REVISION', 'HASH', 'AGE', 'CHANGE-CAUSE'],
      revisionsOf(object).map((revision) => [
        `${revision.revision}${revision.hash === current ? ' (current)' : ''}`,
        revision.hash,
        formatAge(revision.creationTimestamp, now),
        revision.changeCause,
      ]),
    ),
    section(
      'Events',
      ['TYPE', 'REASON', 'AGE', 'MESSAGE'],
      listAt(object, 'events')
        .toSorted((a, b) => (stringAt(a, 'time') ?? '').localeCompare(stringAt(b, 'time') ?? ''))
        .slice(-RECENT_EVENTS)
        .map((event) => [
          stringAt(event, 'type') ?? '',
          stringAt(event, 'reason') ?? '',
          formatAge(stringAt(event, 'time'), now),
          stringAt(event, 'message') ?? '',
        ]),
    ),
  ].join('\n');
}

function strategyLine(daemonSet: DaemonSet): string {
  const strategy = daemonSet.updateStrategy;
  if (strategy.type === 'OnDelete') return 'OnDelete';
  const unavailable = formatIntOrPercent(strategy.maxUnavailable);
  return `RollingUpdate (maxUnavailable ${unavailable}, maxSurge ${formatIntOrPercent(strategy.maxSurge)})`;
}

function controlLines(daemonSet: DaemonSet): string {
  const rollout = daemonSet.rollout;
  const lines = [
    ['Paused', String(rollout.paused)],
    ['Frozen', String(rollout.frozen)],
    ['Partition', rollout.partition === undefined ? '<none>' : String(formatIntOrPercent(rollout.partition))],
    ['Canary selector', rollout.canarySelector === undefined ? '<none>' : formatLabelSelector(rollout.canarySelector)],
    [
      'Progress deadline',
      rollout.progressDeadlineSeconds === undefined ? '<none>' : `${rollout.progressDeadlineSeconds}s`,
    ],
    ['Auto revert', String(rollout.autoRevert)],
    ['NotReady aware', String(rollout.notReadyAware)],
    ['Burst replicas', String(rollout.burstReplicas)],
  ];
  return lines.map(([label = '', value = '']) => `  ${field(label, value, 19)}`).join('\n');
}

function templateLines(object: KubeObject): string {
  const template = objectAt(object, 'spec', 'template');
  const containers = listAt(template, 'spec', 'containers').map((container) =>
    [`   ${stringAt(container, 'name') ?? ''}:`, `    Image:  ${stringAt(container, 'image') ?? '<none>'}`].join('\n'),
  );
  const tolerations = listAt(template, 'spec', 'tolerations').map((toleration) => {
    const key = stringAt(toleration, 'key') ?? '';
    const value = stringAt(toleration, 'value');
    const effect = stringAt(toleration, 'effect');
    return `${key}${value ? `=${value}` : ''}${effect ? `:${effect}` : ''} op=${stringAt(toleration, 'operator') ?? 'Equal'}`;
  });
  return [
    `  ${field('Labels', keyValueLines(stringMapAt(template, 'metadata', 'labels')), 14).replaceAll('\n', '\n  ')}`,
    '  Containers:',
    ...containers,
    `  ${field('Tolerations', tolerations.join('\n') || '<none>', 14).replaceAll('\n', '\n  ')}`,
  ].join('\n');
}
