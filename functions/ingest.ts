import { makeIngestHandler } from './ingest-handler.js';
import { loadConfig } from './shared/config.js';
import { createObservability } from './shared/observability.js';
import { wireLambdaDeps } from './shared/wire-lambda-deps.js';

const deps = wireLambdaDeps(loadConfig(process.env));

/** Lambda entry point of the ingest queue's consumer. */
export const handler = makeIngestHandler({ ...deps, observability: createObservability('everynode-ingest') });
