import { makeResyncHandler } from './resync-handler.js';
import { loadConfig } from './shared/config.js';
import { createObservability } from './shared/observability.js';
import { wireLambdaDeps } from './shared/wire-lambda-deps.js';

const deps = wireLambdaDeps(loadConfig(process.env));

/** Lambda entry point of the scheduled resync. */
export const handler = makeResyncHandler({ ...deps, observability: createObservability('everynode-resync') });
