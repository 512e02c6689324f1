import type { EndpointAuth } from './resolve-endpoint.js';
import type { UnsignedRequest } from './sign-request.js';

/**
 * The headers that authorise a request to an everynode API: the request's own with nothing added, with the
 * bearer token, or signed with SigV4 (the AWS SDK is loaded only then). Shared by the CLI and the node agent.
 */
export async function authorizeRequest(request: UnsignedRequest, auth: EndpointAuth): Promise<Record<string, string>> {
  switch (auth.kind) {
    case 'none':
      return { ...request.headers };
    case 'token':
      return { ...request.headers, authorization: `Bearer ${auth.token}` };
    case 'sigv4': {
      // The AWS SDK warns about Node 20 on load; a command's output is not the place for it.
      process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
      const { signRequest } = await import('./sign-request.js');
      return signRequest(request, auth.region);
    }
  }
}
