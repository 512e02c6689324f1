import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, runEverynode } from '../cli/run-everynode.js';
import { startTestControlPlane, type TestControlPlane } from './local-control-plane.js';

/** The published files of `../shared/real-world/` (see its SOURCES.md), read in place, never copied. */
const CORPUS = join(REPOSITORY_ROOT, '..', 'shared', 'real-world');
const MANIFESTS = join(CORPUS, 'manifests');
const NODES = join(CORPUS, 'nodes');

/** Refused by validate exactly as the API server refuses them (test/cli/real-world.test.ts says how). */
const REFUSED = new Set(['k8s-metadata-proxy-v1beta1.yaml', 'k9s-get-ds.json']);

const files = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).toSorted() : []);

describe.skipIf(!existsSync(MANIFESTS))('applying the published DaemonSet files to the local control plane', () => {
  let plane: TestControlPlane;

  beforeAll(async () => {
    plane = await startTestControlPlane({ demo: false });
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('applies the real node listings', async () => {
    const result = await runEverynode(['apply', '-f', NODES], { env: plane.cliEnv });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^(node\/\S+ (created|configured|unchanged)\n)+$/);
  });

  it.each(files(MANIFESTS).filter((file) => !REFUSED.has(file)))(
    'applies %s: every DaemonSet, every other object named as skipped',
    async (file) => {
      const result = await runEverynode(['apply', '-f', join(MANIFESTS, file)], { env: plane.cliEnv });

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      for (const line of result.stdout.trimEnd().split('\n')) {
        expect(line).toMatch(
          /^daemonset\.apps(\.kruise\.io)?\/\S+ (created|configured|unchanged)$| skipped: everynode manages DaemonSets and Nodes$/,
        );
      }
    },
  );
});
