import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** AWS credentials as the default provider chain resolves them. */
export type IotCredentials = Readonly<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;

export type IotUrlRequest = Readonly<{
  /** The account's IoT data endpoint, `<prefix>-ats.iot.<region>.amazonaws.com`. */
  hostname: string;
  region: string;
  credentials: IotCredentials;
  signingDate: Date;
  /**
   * How long the URL is valid. AWS IoT Core ends a WebSocket connection after 24 hours at most, and AWS's own
   * samples sign for that long; the agent signs a new URL for each connection anyway (credentials rotate).
   * @default 86400
   */
  expiresInSeconds?: number;
}>;

/** `iotdevicegateway` is the SigV4 service name of AWS IoT Core's MQTT-over-WebSocket endpoint. */
const SERVICE = 'iotdevicegateway';

/**
 * The `wss://<endpoint>/mqtt?X-Amz-...` URL that opens an MQTT-over-WebSocket connection to AWS IoT Core with the
 * caller's IAM credentials (SigV4 query-string signing, signed header `host`). Unlike most services, IoT Core wants
 * temporary credentials' `X-Amz-Security-Token` left out of the signature and appended after it (AWS IoT developer
 * guide, "IAM users, groups, and roles").
 *
 * @example await presignIotUrl({ hostname: 'abc-ats.iot.eu-west-1.amazonaws.com', region: 'eu-west-1', credentials, signingDate: new Date() })
 */
export async function presignIotUrl(request: IotUrlRequest): Promise<string> {
  const { sessionToken, ...signedWith } = request.credentials;
  const signer = new SignatureV4({ service: SERVICE, region: request.region, credentials: signedWith, sha256: Sha256 });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'wss:',
      hostname: request.hostname,
      path: '/mqtt',
      query: {},
      headers: { host: request.hostname },
    },
    { signingDate: request.signingDate, expiresIn: request.expiresInSeconds ?? 86_400 },
  );
  const parameters = Object.entries(presigned.query ?? {}).map(([key, value]) => `${key}=${uriEscape(String(value))}`);
  if (sessionToken !== undefined && sessionToken !== '') {
    parameters.push(`X-Amz-Security-Token=${uriEscape(sessionToken)}`);
  }
  return `wss://${request.hostname}/mqtt?${parameters.join('&')}`;
}

/** RFC 3986 escaping, as SigV4 canonicalizes query values (`encodeURIComponent` leaves `!'()*` alone). */
function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
