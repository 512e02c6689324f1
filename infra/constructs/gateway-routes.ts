import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { KUBE_ROUTES } from '../../functions/api/kube/kube-routes.js';

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
  { path: '/v1/nodes/{name}/drain', methods: [HttpMethod.POST] },
  { path: '/v1/nodes/{name}/pods', methods: [HttpMethod.GET] },
  { path: '/v1/nodes/{name}/pods/status', methods: [HttpMethod.POST] },
  { path: '/v1/nodes/{name}/heartbeat', methods: [HttpMethod.PUT] },
  { path: '/v1/pods', methods: [HttpMethod.GET] },
  { path: '/v1/pods/status', methods: [HttpMethod.POST] },
  { path: '/v1/pods/{namespace}/{name}', methods: [HttpMethod.DELETE] },
  { path: '/v1/rejections', methods: [HttpMethod.GET] },
  { path: '/v1/events', methods: [HttpMethod.GET] },
  ...kubeGatewayRoutes(),
];

/**
 * The Kubernetes API's routes (docs/kubernetes-api.md), one per path with its methods, taken from the routes
 * the function serves so the two never drift apart. IAM policies can allow them one by one as well
 * (`execute-api:Invoke` on `.../GET/apis/apps/v1/*`).
 */
function kubeGatewayRoutes(): GatewayRoute[] {
  const methods = new Map<string, HttpMethod[]>();
  for (const route of KUBE_ROUTES) {
    const list = methods.get(route.path) ?? [];
    list.push(HttpMethod[route.method]);
    methods.set(route.path, list);
  }
  return [...methods].map(([path, allowed]) => ({ path, methods: allowed }));
}
