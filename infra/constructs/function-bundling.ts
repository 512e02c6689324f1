import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag L1 checks the same list). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * esbuild options for every function: one minified ES module per entry point.
 *
 * The AWS SDK v3 is external: the Node.js runtime ships it, and bundling it would add about 370 KB
 * per function (Smithy core, the credential chain, two clients), which with zod and yaml would
 * break the 500 KB budget. The price is that the SDK version in Lambda is the runtime's, not the one
 * in package-lock.json; we only use long-stable v3 commands (DynamoDB document client, SQS
 * SendMessageBatch), so that drift is acceptable. Bundle it instead (`bundleAwsSDK: true`) if a
 * function ever needs a newer API than the runtime carries.
 */
export const FUNCTION_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  minify: true,
  // Maps turn minified stack traces back into file:line (NODE_OPTIONS=--enable-source-maps); sources
  // themselves are left out of the map, which keeps the asset small.
  sourceMap: true,
  sourcesContent: false,
  // Prefer packages' ES module builds: they tree-shake, CommonJS builds do not.
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require() for Node built-ins; ESM output has no require.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  // Only the SDK's own packages: the runtime does not promise its @smithy/* internals to our imports.
  externalModules: ['@aws-sdk/*'],
};
