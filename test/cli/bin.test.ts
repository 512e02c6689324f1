import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scratchFolder } from './pod-manifests.js';
import { REPOSITORY_ROOT, runEverynode } from './run-everynode.js';

describe('bin/everynode.mjs', () => {
  it('says how to build the CLI when dist/ is missing', async () => {
    const root = scratchFolder();
    mkdirSync(join(root, 'bin'));
    copyFileSync(join(REPOSITORY_ROOT, 'bin', 'everynode.mjs'), join(root, 'bin', 'everynode.mjs'));

    const result = await promisify(execFile)(process.execPath, [join(root, 'bin', 'everynode.mjs'), 'validate']).catch(
      (error: { code: number; stderr: string }) => error,
    );

    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('run `npm run build:cli`') });
  });

  it('prints the package version with --version', async () => {
    const result = await runEverynode(['--version']);

    const { version } = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
