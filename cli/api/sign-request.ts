import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';

export type UnsignedRequest = Readonly<{
  method: string;
  url: URL;
  headers: Readonly<Record<string, string>>;
  body: string | undefined;
}>;

/**
 * Signs a request to a deployed everynode API (API Gateway, service `execute-api`) with SigV4, using the
 * standard AWS credential chain (environment, profiles, SSO, instance roles). Returns the headers to send.
 * This module is only ever imported dynamically, so the AWS SDK loads only for remote endpoints.
 */
export async function signRequest(request: UnsignedRequest, region: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: fromNodeProviderChain(),
    sha256: Sha256,
  });
  const { url } = request;
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { ...request.headers, host: url.host },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  // fetch sets Host itself (and refuses to be told); it is the same value that was signed.
  const { host: _host, ...headers } = signed.headers;
  return headers;
}
