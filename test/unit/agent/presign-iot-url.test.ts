import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iotRegionOf } from '../../../agent/parse-broker-url.js';
import { presignIotUrl } from '../../../agent/presign-iot-url.js';

// The URL that opens an MQTT-over-WebSocket connection to AWS IoT Core, checked against SigV4 computed here by hand
// (AWS's published algorithm), so a signature that covered the session token, or anything else IoT Core does not
// expect, would not match.

const HOST = 'a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com';
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/token+with=odd&chars',
};
const SIGNING_DATE = new Date('2026-12-03T10:20:30Z');

describe('presignIotUrl', () => {
  it('signs wss://<endpoint>/mqtt for iotdevicegateway and appends the session token unsigned', async () => {
    const url = new URL(
      await presignIotUrl({ hostname: HOST, region: 'eu-west-1', credentials: CREDENTIALS, signingDate: SIGNING_DATE }),
    );

    expect(url.protocol).toBe('wss:');
    expect(url.host).toBe(HOST);
    expect(url.pathname).toBe('/mqtt');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261203/eu-west-1/iotdevicegateway/aws4_request',
      'X-Amz-Date': '20261203T102030Z',
      'X-Amz-Expires': '86400',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Security-Token': CREDENTIALS.sessionToken,
    });
    expect([...url.searchParams.keys()].at(-1)).toBe('X-Amz-Security-Token');
    expect(query['X-Amz-Signature']).toBe(expectedSignature(url));
  });

  it('leaves the token out when the credentials have none (an IAM user)', async () => {
    const { sessionToken: _token, ...longTerm } = CREDENTIALS;

    const url = new URL(
      await presignIotUrl({ hostname: HOST, region: 'eu-west-1', credentials: longTerm, signingDate: SIGNING_DATE }),
    );

    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url));
  });
});

describe('iotRegionOf', () => {
  it('reads the region of an IoT Core data endpoint and nothing else', () => {
    expect(iotRegionOf(HOST)).toBe('eu-west-1');
    expect(iotRegionOf('abc-ats.iot.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(iotRegionOf('broker.example.com')).toBeUndefined();
    expect(iotRegionOf('abc.execute-api.eu-west-1.amazonaws.com')).toBeUndefined();
  });
});

/** SigV4 over every query parameter but the signature and the session token, with `host` the one signed header. */
function expectedSignature(url: URL): string {
  const uriEscape = (value: string): string =>
    encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const signed = [...url.searchParams]
    .filter(([key]) => key !== 'X-Amz-Signature' && key !== 'X-Amz-Security-Token')
    .map(([key, value]) => `${uriEscape(key)}=${uriEscape(value)}`)
    .sort()
    .join('&');
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
  const canonicalRequest = ['GET', '/mqtt', signed, `host:${url.host}`, '', 'host', sha256('')].join('\n');
  const scope = '20261203/eu-west-1/iotdevicegateway/aws4_request';
  const stringToSign = ['AWS4-HMAC-SHA256', '20261203T102030Z', scope, sha256(canonicalRequest)].join('\n');
  const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
  let key = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, '20261203');
  for (const part of ['eu-west-1', 'iotdevicegateway', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}
