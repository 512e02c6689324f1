import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/shared/config.js';

const valid = {
  TABLE_NAME: 'everynode',
  INGEST_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/ingest',
  RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/reconcile',
};

describe('loadConfig', () => {
  it('reads the table and queue settings', () => {
    const config = loadConfig(valid);

    expect(config).toEqual({
      tableName: 'everynode',
      ingestQueueUrl: valid.INGEST_QUEUE_URL,
      reconcileQueueUrl: valid.RECONCILE_QUEUE_URL,
      gateJoins: false,
      lifecycleHooks: false,
    });
  });

  it('reads the node-lifecycle switches the stack sets when it completes lifecycle hooks', () => {
    const config = loadConfig({
      ...valid,
      EVERYNODE_GATE_JOINS: 'true',
      EVERYNODE_LIFECYCLE_HOOKS: 'true',
      EVERYNODE_LIFECYCLE_HEARTBEAT_SECONDS: '900',
    });

    expect(config).toMatchObject({ gateJoins: true, lifecycleHooks: true, heartbeatIntervalSeconds: 900 });
    expect(() => loadConfig({ ...valid, EVERYNODE_GATE_JOINS: 'yes' })).toThrow(/EVERYNODE_GATE_JOINS/);
  });

  it('reads the look-back of warm store reads the stack derives from its function timeouts', () => {
    expect(loadConfig({ ...valid, EVERYNODE_WRITE_LAG_MS: '120000' }).writeLagMs).toBe(120_000);
    expect(() => loadConfig({ ...valid, EVERYNODE_WRITE_LAG_MS: '10' })).toThrow(/EVERYNODE_WRITE_LAG_MS/);
  });

  it('reads the IoT Core data endpoint node change notices go to, as a bare host name', () => {
    const endpoint = 'a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com';

    expect(loadConfig({ ...valid, EVERYNODE_IOT_ENDPOINT: endpoint }).iotEndpoint).toBe(endpoint);
    expect(loadConfig(valid).iotEndpoint).toBeUndefined();
    expect(() => loadConfig({ ...valid, EVERYNODE_IOT_ENDPOINT: `https://${endpoint}` })).toThrow(
      /EVERYNODE_IOT_ENDPOINT: must be a host name/,
    );
  });

  it('fails fast naming every missing or malformed variable', () => {
    const load = () => loadConfig({ INGEST_QUEUE_URL: 'not a url', RECONCILE_QUEUE_URL: valid.RECONCILE_QUEUE_URL });

    expect(load).toThrow(/^invalid function configuration: TABLE_NAME: .*; INGEST_QUEUE_URL: /);
  });
});
