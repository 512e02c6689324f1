import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local's endpoint, shared by every integration test file (each creates its own table). */
    dynamoEndpoint: string;
  }
}

/** Starts one in-memory DynamoDB Local for the whole integration run and stops it afterwards. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The SDK warns about Node 20 once per worker; test output has no use for it.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const local = await startDynamoDbLocal({ inMemory: true });
  project.provide('dynamoEndpoint', local.endpoint);
  return () => local.stop();
}
