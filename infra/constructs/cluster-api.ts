import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GATEWAY_ROUTES, type GatewayRoute } from './gateway-routes.js';

export interface ClusterApiProps {
  /** The function behind every route (payload format 2.0). */
  readonly handler: IFunction;
  /** @default GATEWAY_ROUTES */
  readonly routes?: readonly GatewayRoute[];
  /**
   * Steady-state requests per second across the API.
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Requests allowed in a burst above the steady rate.
   * @default 100
   */
  readonly burstLimit?: number;
  /** @default RetentionDays.THREE_MONTHS */
  readonly accessLogRetention?: RetentionDays;
}

/** Fields of one access log line; `userArn` names the IAM principal that signed the request. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userArn: '$context.identity.userArn',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
} as const;

/**
 * The HTTP API the everynode CLI and node agents call. Every route requires SigV4-signed requests
 * (AWS_IAM authorization, service `execute-api`); there is no anonymous route.
 */
export class ClusterApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  /** The stage's invoke URL, ending in `/`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ClusterApiProps) {
    super(scope, id);
    const rateLimit = props.rateLimit ?? 50;
    const burstLimit = props.burstLimit ?? 100;
    if (rateLimit <= 0 || burstLimit <= 0) throw new Error('rateLimit and burstLimit must be positive');
    if (burstLimit < rateLimit) throw new Error(`burstLimit ${burstLimit} is below rateLimit ${rateLimit}`);
    const routes = props.routes ?? GATEWAY_ROUTES;
    if (routes.length === 0) throw new Error('the API needs at least one route');

    this.api = new HttpApi(this, 'Api', {
      description: 'everynode control plane API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.url = this.stage.url;

    const integration = new HttpLambdaIntegration('Handler', props.handler);
    for (const route of routes) {
      this.api.addRoutes({ path: route.path, methods: [...route.methods], integration });
    }
  }
}
