import { toNode } from '../../lib/manifest/to-node.js';
import type { ApiClient } from '../api/api-client.js';
import { connect } from '../api/api-client.js';
import { awaitVisible } from '../api/await-visible.js';
import { fromServer } from '../api/from-server.js';
import { sameNode } from '../api/same-spec.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { parseLabelChange, parseTaintChange } from '../input/parse-node-changes.js';
import { type KubeObject, listAt, objectAt, stringAt, stringMapAt } from '../output/kube-object.js';

export type NodeEditOptions = ConnectionOptions;

/** What to change on a node. */
export type NodeEdit =
  | Readonly<{ kind: 'label' | 'taint'; changes: readonly string[] }>
  | Readonly<{ kind: 'cordon' | 'uncordon' }>;

/** `everynode node remove <name>`. */
export async function runNodeRemove(name: string, options: NodeEditOptions): Promise<void> {
  const client = connect(options);
  await client.delete(nodePath(name));
  await awaitVisible(`removing node "${name}"`, async () => (await client.find(nodePath(name))) === undefined);
  process.stdout.write(`node "${name}" removed\n`);
}

/**
 * `everynode node label|taint|cordon|uncordon <name> ...`: reads the node, changes it, and writes it back
 * (every write is a new fact; the newest one wins).
 */
export async function runNodeEdit(name: string, edit: NodeEdit, options: NodeEditOptions): Promise<void> {
  const client = connect(options);
  const node = await getNode(client, name);
  const { changed, verb } = applyEdit(node, edit);
  if (changed === undefined) {
    process.stdout.write(`node/${name} already ${verb}\n`);
    return;
  }
  await client.put(nodePath(name), withoutVersion(changed));
  const wanted = fromServer(toNode, changed, 'node');
  await awaitVisible(`node/${name}`, async () => sameNode(await client.find(nodePath(name)), wanted));
  process.stdout.write(`node/${name} ${verb}\n`);
}

/** The read version would make the write look as old as what was read (facts are ordered by version). */
function withoutVersion(node: KubeObject): KubeObject {
  const { resourceVersion: _version, ...metadata } = objectAt(node, 'metadata') ?? {};
  return { ...node, metadata };
}

/** The node with the edit applied (undefined when nothing changes) and kubectl's past-tense verb. */
export function applyEdit(node: KubeObject, edit: NodeEdit): Readonly<{ changed?: KubeObject; verb: string }> {
  const spec = objectAt(node, 'spec') ?? {};
  switch (edit.kind) {
    case 'cordon':
    case 'uncordon': {
      const unschedulable = edit.kind === 'cordon';
      const verb = `${edit.kind}ed`;
      if ((spec['unschedulable'] === true) === unschedulable) return { verb };
      const { unschedulable: _previous, ...rest } = spec;
      return { verb, changed: { ...node, spec: unschedulable ? { ...rest, unschedulable } : rest } };
    }
    case 'label': {
      const labels: Record<string, string> = { ...stringMapAt(node, 'metadata', 'labels') };
      for (const change of edit.changes.map(parseLabelChange)) {
        if ('remove' in change) delete labels[change.key];
        else labels[change.key] = change.value;
      }
      return { verb: 'labeled', changed: { ...node, metadata: { ...objectAt(node, 'metadata'), labels } } };
    }
    case 'taint': {
      let taints = listAt(node, 'spec', 'taints');
      let removed = false;
      for (const change of edit.changes.map(parseTaintChange)) {
        if ('add' in change) {
          taints = [...taints.filter((taint) => !sameSlot(taint, change.add.key, change.add.effect)), change.add];
        } else {
          const kept = taints.filter((taint) => !sameSlot(taint, change.removeKey, change.effect));
          if (kept.length === taints.length) {
            throw new CliError(`error: taint ${JSON.stringify(change.removeKey)} not found`, EXIT_CODES.failure);
          }
          removed = true;
          taints = kept;
        }
      }
      return { verb: removed ? 'untainted' : 'tainted', changed: { ...node, spec: { ...spec, taints } } };
    }
  }
}

function sameSlot(taint: unknown, key: string, effect: string | undefined): boolean {
  return stringAt(taint, 'key') === key && (effect === undefined || stringAt(taint, 'effect') === effect);
}

async function getNode(client: ApiClient, name: string): Promise<KubeObject> {
  const node = await client.find(nodePath(name));
  if (typeof node !== 'object' || node === null) {
    throw new CliError(`Error from server (NotFound): nodes "${name}" not found`, EXIT_CODES.failure);
  }
  return node as KubeObject;
}

const nodePath = (name: string): string => `/v1/nodes/${encodeURIComponent(name)}`;
