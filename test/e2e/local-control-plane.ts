import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import {
  type LocalControlPlane,
  type LocalControlPlaneOptions,
  startLocalControlPlane,
} from '../../local/start-local-control-plane.js';

/** A crash-looping image the test control planes' node agents never make ready. */
export const BROKEN_IMAGE = 'example/broken:1.0';

export type TestControlPlane = LocalControlPlane &
  Readonly<{
    /** The environment that points the CLI at this control plane (through its `local.json`). */
    cliEnv: Readonly<Record<string, string>>;
    logs: readonly string[];
  }>;

/**
 * The real local control plane (`npm start`), on a free port, against the run's DynamoDB Local with a table
 * of its own, seeded with the demo cluster, node agents quick to report ready.
 */
export async function startTestControlPlane(options: LocalControlPlaneOptions = {}): Promise<TestControlPlane> {
  const stateDir = mkdtempSync(join(tmpdir(), 'everynode-e2e-'));
  const logs: string[] = [];
  const plane = await startLocalControlPlane({
    port: 0,
    stateDir,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `e2e-${randomUUID()}`,
    demo: true,
    agentReadyDelayMs: 200,
    failImages: [BROKEN_IMAGE],
    log: (line) => logs.push(line),
    ...options,
  });
  return { ...plane, cliEnv: { EVERYNODE_STATE_DIR: stateDir }, logs };
}

/** Retries `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}
