import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DYNAMODB_LOCAL_CACHE_DIR } from '../../../local/dynamodb-local.js';
import { DEFAULT_STATE_DIR } from '../../../local/start-local-control-plane.js';

const REPOSITORY = join(import.meta.dirname, '../../..');

describe('the local control plane keeps its files inside the repository', () => {
  it('keeps its token and DynamoDB data in .everynode/ at the repository root (git-ignored)', () => {
    expect(DEFAULT_STATE_DIR).toBe(join(REPOSITORY, '.everynode'));
  });

  it('caches DynamoDB Local in .cache/ at the repository root', () => {
    expect(DEFAULT_DYNAMODB_LOCAL_CACHE_DIR).toBe(join(REPOSITORY, '.cache', 'dynamodb-local'));
  });
});
