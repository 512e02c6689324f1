import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';

export type GatewayRoute = Readonly<{ path: string; methods: readonly HttpMethod[] }>;

/**
 * Every route the API function serves. Declared one by one rather than as `ANY /v1/{proxy+}`: an
 * unknown path is refused by API Gateway without invoking the function, and each route can be
 * allowed separately in callers' IAM policies (`execute-api:Invoke` on `.../GET/v1/nodes/*`).
 */
export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  { path: '/v1/daemonsets', methods: [HttpMethod.GET, HttpMethod.PUT] },
  { path: '/v1/daemonsets/{namespace}/{name}', methods: [HttpMethod.GET, HttpMethod.DELETE] },
  { path: '/v1/daemonsets/{namespace}/{name}/rollout', methods: [HttpMethod.POST] },
  { path: '/v1/nodes', methods: [HttpMethod.GET] },
  { path: '/v1/nodes/{name}', methods: [HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE] },
  { path: '/v1/nodes/{name}/pods', methods: [HttpMethod.GET] },
  { path: '/v1/nodes/{name}/pods/status', methods: [HttpMethod.POST] },
  { path: '/v1/nodes/{name}/heartbeat', methods: [HttpMethod.PUT] },
  { path: '/v1/pods', methods: [HttpMethod.GET] },
  { path: '/v1/pods/status', methods: [HttpMethod.POST] },
  { path: '/v1/rejections', methods: [HttpMethod.GET] },
];
