import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { KUBE_ROUTES } from '../../functions/api/kube/kube-routes.js';
import { API_ROUTES } from '../../functions/api-handler.js';
import { ClusterApi } from '../../infra/constructs/cluster-api.js';
import { FUNCTION_RUNTIME } from '../../infra/constructs/function-bundling.js';
import { buildStack, resourcesOf } from './build-stack.js';

const EXPECTED_ROUTE_KEYS = [
  'GET /v1/daemonsets',
  'PUT /v1/daemonsets',
  'GET /v1/daemonsets/{namespace}/{name}',
  'DELETE /v1/daemonsets/{namespace}/{name}',
  'POST /v1/daemonsets/{namespace}/{name}/rollout',
  'GET /v1/nodes',
  'GET /v1/nodes/{name}',
  'PUT /v1/nodes/{name}',
  'DELETE /v1/nodes/{name}',
  'POST /v1/nodes/{name}/drain',
  'GET /v1/nodes/{name}/pods',
  'POST /v1/nodes/{name}/pods/status',
  'PUT /v1/nodes/{name}/heartbeat',
  'GET /v1/pods',
  'POST /v1/pods/status',
  'DELETE /v1/pods/{namespace}/{name}',
  'GET /v1/rejections',
  'GET /v1/events',
  // The Kubernetes API: discovery, OpenAPI and the served resources (checked one by one in test/unit/kube).
  ...KUBE_ROUTES.map((route) => `${route.method} ${route.path}`),
];

describe('the HTTP API', () => {
  const { template } = buildStack();
  const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));

  it('serves exactly the documented routes', () => {
    expect(routes.map((route) => route.Properties['RouteKey']).sort()).toEqual([...EXPECTED_ROUTE_KEYS].sort());
  });

  it('declares the same routes as the API function serves', () => {
    const served = API_ROUTES.map((route) => `${route.method} ${route.path}`);

    expect([...EXPECTED_ROUTE_KEYS].sort()).toEqual(served.sort());
  });

  it('requires IAM (SigV4) authorization on every route', () => {
    for (const route of routes)
      expect(route.Properties['AuthorizationType'], String(route.Properties['RouteKey'])).toBe('AWS_IAM');
  });

  it('proxies to the API function with payload format 2.0', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiFunction'), 'Arn'] },
    });
  });

  it('logs every request as JSON and throttles the default stage', () => {
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    const settings = stage?.Properties['AccessLogSettings'] as { DestinationArn: unknown; Format: string };

    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'] });
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      userArn: '$context.identity.userArn',
      status: '$context.status',
    });
  });
});

describe('ClusterApi', () => {
  const newApi = (rateLimit: number, burstLimit: number) => {
    const stack = new Stack(new App(), 'Test');
    const handler = new LambdaFunction(stack, 'Handler', {
      runtime: FUNCTION_RUNTIME,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = () => {};'),
    });
    return new ClusterApi(stack, 'Api', { handler, rateLimit, burstLimit });
  };

  it('refuses a burst limit below the rate limit', () => {
    expect(() => newApi(100, 10)).toThrow(/burstLimit 10 is below rateLimit 100/);
  });

  it('refuses non-positive limits', () => {
    expect(() => newApi(0, 10)).toThrow(/must be positive/);
  });
});
