import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { scratchFolder, writeYaml } from '../cli/pod-manifests.js';
import { type CliResult, fixture, runEverynode } from '../cli/run-everynode.js';
import { eventually, type TestControlPlane } from './local-control-plane.js';

/** Runs the CLI against a test control plane. */
export type Everynode = (...args: string[]) => Promise<CliResult>;

export function everynodeFor(plane: () => TestControlPlane): Everynode {
  return (...args) => runEverynode(args, { env: plane().cliEnv });
}

/** Where the e2e tests write manifests. */
export const MANIFESTS = scratchFolder();

/** The fluentd manifest with another image (a new pod template, hence a new revision); returns its path. */
export function fluentdWithImage(image: string): string {
  const manifest = parse(readFileSync(fixture('fluentd.yaml'), 'utf8'));
  manifest.spec.template.spec.containers[0].image = image;
  return writeYaml(MANIFESTS, `fluentd-${image.replaceAll(/[/:]/g, '-')}.yaml`, manifest);
}

export type PodRow = Readonly<{ name: string; ready: string; status: string; node: string; revision: string }>;

/** The fluentd pods as `get pods -o wide` lists them. */
export async function podRows(everynode: Everynode): Promise<PodRow[]> {
  const result = await everynode('get', 'pods', '-n', 'kube-system', '-o', 'wide');
  if (result.code !== 0) throw new Error(result.stderr);
  return result.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [name = '', ready = '', status = '', , , node = '', revision = ''] = line.split(/\s+/);
      return { name, ready, status, node, revision };
    });
}

/** Resolves once the fluentd pods are exactly one Running, ready pod per listed node. */
export async function runningOn(everynode: Everynode, nodes: readonly string[]): Promise<PodRow[]> {
  return eventually(`ready pods on ${nodes.join(', ')}`, async () => {
    const rows = await podRows(everynode);
    const settled = rows.every((row) => row.status === 'Running' && row.ready === '1/1');
    const placed = rows.map((row) => row.node).toSorted();
    return settled && JSON.stringify(placed) === JSON.stringify([...nodes].toSorted()) ? rows : undefined;
  });
}
