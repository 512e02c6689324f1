import { SQSClient } from '@aws-sdk/client-sqs';
import { makeApiHandler } from './api-handler.js';
import { loadConfig } from './shared/config.js';
import { createObservability } from './shared/observability.js';
import { SqsIngestQueue } from './shared/sqs-ingest-queue.js';
import { wireLambdaDeps } from './shared/wire-lambda-deps.js';

const config = loadConfig(process.env);
const { store, heartbeats } = wireLambdaDeps(config);

/** Lambda entry point of the HTTP API (API Gateway HTTP API, payload format 2.0, IAM auth in front). */
export const handler = makeApiHandler({
  store,
  heartbeats,
  ingest: new SqsIngestQueue(new SQSClient({}), config.ingestQueueUrl),
  logger: createObservability('everynode-api').logger,
});
