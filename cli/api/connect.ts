import type { ConnectionOptions } from '../command-options.js';
import { ApiClient } from './api-client.js';
import { packageRootOf, resolveEndpoint } from './resolve-endpoint.js';

/** An API client for this invocation: `--endpoint`, the environment, or the local control plane's state file. */
export function connect(options: ConnectionOptions): ApiClient {
  return new ApiClient(
    resolveEndpoint({
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      env: process.env,
      cwd: process.cwd(),
      ...withPackageRoot(packageRootOf(process.argv[1])),
    }),
  );
}

const withPackageRoot = (packageRoot: string | undefined): { packageRoot?: string } =>
  packageRoot === undefined ? {} : { packageRoot };
