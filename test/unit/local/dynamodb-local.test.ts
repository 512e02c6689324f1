import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DYNAMODB_LOCAL_PACKAGE, JAVA_INSTALL_HINT, startDynamoDbLocal } from '../../../local/dynamodb-local.js';

describe('startDynamoDbLocal', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('says how to install Java when there is none, instead of spawn java ENOENT', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'everynode-dynamodb-'));
    const folder = join(cacheDir, `${DYNAMODB_LOCAL_PACKAGE.name}-${DYNAMODB_LOCAL_PACKAGE.version}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'DynamoDBLocal.jar'), '');
    vi.stubEnv('PATH', join(cacheDir, 'no-java-here'));
    const progress: string[] = [];

    const starting = startDynamoDbLocal({ inMemory: true, cacheDir, progress: (line) => progress.push(line) });

    await expect(starting).rejects.toThrow(JAVA_INSTALL_HINT);
    expect(JAVA_INSTALL_HINT).toContain('sudo apt-get install -y openjdk-17-jre-headless');
    expect(progress).toEqual([]); // already fetched: nothing to report
  });
});
