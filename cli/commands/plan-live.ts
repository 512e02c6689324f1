import { daemonSetObjectName } from '../../lib/manifest/object-name.js';
import { toPod } from '../../lib/manifest/pod-manifest.js';
import { toDaemonSet } from '../../lib/manifest/to-daemon-set.js';
import { toNode } from '../../lib/manifest/to-node.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../lib/model/controller-memory.js';
import type { DaemonSet } from '../../lib/model/daemon-set.js';
import type { ClusterSnapshot } from '../../lib/ports/cluster-snapshot.js';
import { computeRevisionHash } from '../../lib/revision/compute-revision-hash.js';
import { connect } from '../api/api-client.js';
import { daemonSetPath } from '../api/find-daemon-set.js';
import { fromServer, statusFromServer } from '../api/from-server.js';
import type { ConnectionOptions } from '../command-options.js';
import { loadDaemonSet } from '../input/load-manifests.js';
import { itemsOf } from '../output/kube-object.js';
import { buildPlanSnapshot } from '../plan/build-plan-snapshot.js';
import { type PlanReport, planReport } from '../plan/plan-report.js';
import { revisionsOf, toControllerRevision } from '../rollout/revisions-of.js';

export type LivePlanOptions = Readonly<{ filename: string; name?: string }> & ConnectionOptions;

/**
 * `everynode plan --live -f x.yaml`: what applying the manifest would do to the running cluster. The
 * snapshot is the live nodes, the DaemonSet's live pods, revisions and status, with the manifest's spec
 * in place of the stored one. Notes for the person go to stderr; the caller prints the report.
 */
export async function planLive(options: LivePlanOptions, now: number): Promise<PlanReport> {
  const manifest = await loadDaemonSet(options.filename, options.name);
  const client = connect(options);
  const live = await client.find(daemonSetPath(manifest));
  const nodes = itemsOf(await client.get('/v1/nodes')).map((object) => fromServer(toNode, object, 'node'));
  if (live === undefined) {
    process.stderr.write(`${daemonSetObjectName(manifest)} does not exist yet: applying creates it\n`);
    return planReport(buildPlanSnapshot(manifest, nodes, [], now), now);
  }
  const stored = fromServer(toDaemonSet, live, 'daemon set');
  const key = encodeURIComponent(`${manifest.namespace}/${manifest.name}`);
  const pods = itemsOf(await client.get(`/v1/pods?daemonSet=${key}`)).map((object) => fromServer(toPod, object, 'pod'));
  const status = statusFromServer(live);
  const changed = computeRevisionHash(stored.template) !== computeRevisionHash(manifest.template);
  const daemonSet: DaemonSet = {
    ...manifest,
    generation: stored.generation + (changed ? 1 : 0),
    ...(stored.creationTimestamp === undefined ? {} : { creationTimestamp: stored.creationTimestamp }),
  };
  const snapshot: ClusterSnapshot = {
    daemonSet,
    version: 0,
    revisions: revisionsOf(live).map(toControllerRevision),
    nodes,
    pods,
    ...(status === undefined ? {} : { status }),
    memory: EMPTY_CONTROLLER_MEMORY,
  };
  const report = planReport(snapshot, now);
  process.stderr.write(
    changed
      ? `applying changes the pod template of ${daemonSetObjectName(manifest)}: a rollout to revision ${report.revision}\n`
      : `applying leaves the pod template of ${daemonSetObjectName(manifest)} as it is (revision ${report.revision})\n`,
  );
  return report;
}
