import type { Taint } from '../../lib/model/node.js';
import { connect } from '../api/api-client.js';
import { awaitVisible } from '../api/await-visible.js';
import { sameNode } from '../api/same-spec.js';
import { CliError, EXIT_CODES } from '../cli-error.js';
import type { ConnectionOptions } from '../command-options.js';
import { validNode } from '../input/load-manifests.js';
import { parseLabelChange, parseTaint } from '../input/parse-node-changes.js';

export type NodeJoinOptions = Readonly<{ label?: readonly string[]; taint?: readonly string[]; notReady?: boolean }> &
  ConnectionOptions;

/** The taint Kubernetes' node lifecycle controller puts on a NotReady node. */
const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

/**
 * `everynode node join <name> [--label k=v]... [--taint k=v:Effect]... [--not-ready]`: adds a node, Ready
 * unless `--not-ready` (which also adds the `not-ready:NoSchedule` taint, as Kubernetes does).
 */
export async function runNodeJoin(name: string, options: NodeJoinOptions): Promise<void> {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' };
  for (const change of (options.label ?? []).map(parseLabelChange)) {
    if ('remove' in change)
      throw new CliError(`error: --label ${change.key}- removes nothing on a new node`, EXIT_CODES.invalidInput);
    labels[change.key] = change.value;
  }
  const taints = [...(options.taint ?? []).map(parseTaint), ...(options.notReady ? [NOT_READY_TAINT] : [])];
  const object = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: taints.length === 0 ? {} : { taints },
    status: {
      conditions: [
        options.notReady
          ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'joined with --not-ready' }
          : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
    },
  };
  const node = validNode({ apiVersion: 'v1', kind: 'Node', object, source: 'node join' });
  const client = connect(options);
  const path = `/v1/nodes/${encodeURIComponent(name)}`;
  if ((await client.find(path)) !== undefined) {
    throw new CliError(
      `Error from server (AlreadyExists): nodes "${name}" already exists (change it with \`everynode node label|taint\`)`,
      EXIT_CODES.failure,
    );
  }
  await client.put(path, object);
  await awaitVisible(`node/${name}`, async () => sameNode(await client.find(path), node));
  process.stdout.write(`node/${name} joined\n`);
}
