import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { headerValue } from '../read-json-body.js';

/** A query parameter, undefined when absent. */
export function queryParam(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.queryStringParameters?.[name];
}

/** `watch=true` / `watch=1`, as the API server reads it. */
export function isWatch(event: APIGatewayProxyEventV2): boolean {
  const value = queryParam(event, 'watch');
  return value === 'true' || value === '1';
}

/** kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io` to print `get` output. */
export function wantsTable(event: APIGatewayProxyEventV2): boolean {
  return /as=Table/i.test(headerValue(event, 'accept') ?? '');
}

/** `dryRun=All`: validate and answer, change nothing. */
export function isDryRun(event: APIGatewayProxyEventV2): boolean {
  const value = queryParam(event, 'dryRun');
  return value !== undefined && value !== '';
}
