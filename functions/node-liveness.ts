import { SQSClient } from '@aws-sdk/client-sqs';
import { makeNodeLivenessHandler } from './node-liveness-handler.js';
import { loadConfig } from './shared/config.js';
import { createObservability } from './shared/observability.js';
import { SqsIngestQueue } from './shared/sqs-ingest-queue.js';
import { wireLambdaDeps } from './shared/wire-lambda-deps.js';

const config = loadConfig(process.env);
const { store, heartbeats, now } = wireLambdaDeps(config);

/** Lambda entry point of the scheduled node lifecycle controller. */
export const handler = makeNodeLivenessHandler({
  store,
  heartbeats,
  now,
  ingest: new SqsIngestQueue(new SQSClient({}), config.ingestQueueUrl),
  ...(config.nodeGracePeriodSeconds === undefined ? {} : { gracePeriodMs: config.nodeGracePeriodSeconds * 1000 }),
  observability: createObservability('everynode-node-liveness'),
});
