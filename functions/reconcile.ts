import { makeReconcileHandler } from './reconcile-handler.js';
import { loadConfig } from './shared/config.js';
import { createObservability } from './shared/observability.js';
import { wireLambdaDeps } from './shared/wire-lambda-deps.js';
import { withNodeChangeNotices } from './shared/with-node-change-notices.js';

const config = loadConfig(process.env);
const deps = wireLambdaDeps(config);
const observability = createObservability('everynode-reconcile');

/** Lambda entry point of the reconcile queue's consumer. Its steps tell the node agents whose pods they change. */
export const handler = makeReconcileHandler({
  ...deps,
  store: withNodeChangeNotices(deps.store, config.iotEndpoint, observability),
  observability,
});
