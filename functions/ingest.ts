import { makeIngestHandler } from './ingest-handler.js';
import { loadConfig } from './shared/config.js';
import { createObservability } from './shared/observability.js';
import { wireLambdaDeps } from './shared/wire-lambda-deps.js';
import { withNodeChangeNotices } from './shared/with-node-change-notices.js';

const config = loadConfig(process.env);
const deps = wireLambdaDeps(config);
const observability = createObservability('everynode-ingest');

/**
 * Lambda entry point of the ingest queue's consumer. The node path's steps and pod deletions tell the node agents
 * whose pods they change.
 */
export const handler = makeIngestHandler({
  ...deps,
  store: withNodeChangeNotices(deps.store, config.iotEndpoint, observability),
  observability,
});
