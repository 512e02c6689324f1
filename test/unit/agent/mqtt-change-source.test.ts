import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentPod } from '../../../agent/agent-pod.js';
import type { DockerApi } from '../../../agent/docker-api.js';
import { changedTopic, MqttChangeSource } from '../../../agent/mqtt-change-source.js';
import { NodeAgent } from '../../../agent/node-agent.js';
import { FakeDocker } from '../../fixtures/agent/fake-docker.js';
import { TestBroker } from '../../fixtures/agent/mqtt-broker.js';
import { settled } from '../../fixtures/agent/settled.js';

// The MQTT change source against a real broker (aedes) on a loopback port: what it subscribes to, the notices it
// passes on, how it follows its connection through a broker restart and refusals, and a node agent woken by it.

const WAIT = { timeout: 10_000, interval: 10 };

const brokers: TestBroker[] = [];
const stoppables: { stop(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(stoppables.splice(0).map((stoppable) => stoppable.stop()));
  await Promise.all(brokers.splice(0).map((broker) => broker.stop()));
});

async function aBroker(options: ConstructorParameters<typeof TestBroker>[0] = {}): Promise<TestBroker> {
  const broker = await new TestBroker(options).start();
  brokers.push(broker);
  return broker;
}

function aSource(url: string, log: string[] = []): MqttChangeSource {
  const source = new MqttChangeSource({
    url,
    nodeName: 'worker-1',
    reconnectMinMs: 20,
    reconnectMaxMs: 100,
    log: (line) => log.push(line),
  });
  stoppables.push(source);
  return source;
}

describe('MqttChangeSource', () => {
  it('subscribes to its node topic at QoS 1 as the node (clean session, 30 s keep-alive) and passes on each notice', async () => {
    const broker = await aBroker();
    const source = aSource(broker.url);
    let notices = 0;

    source.start(() => {
      notices += 1;
    });
    await vi.waitFor(() => expect(source.connected).toBe(true), WAIT);

    expect(broker.connects).toEqual([{ clientId: 'worker-1', keepalive: 30, clean: true }]);
    expect(broker.subscriptions).toEqual([{ clientId: 'worker-1', topic: 'everynode/nodes/worker-1/changed', qos: 1 }]);
    expect(notices).toBe(1); // the connection itself: notices sent while it was away are lost

    await broker.publish(changedTopic('worker-1'), '{"node":"worker-1"}');
    await vi.waitFor(() => expect(notices).toBe(2), WAIT);
    await broker.publish(changedTopic('worker-1'), '{"node":"worker-1"}');
    await vi.waitFor(() => expect(notices).toBe(3), WAIT);
  });

  it('follows its connection through a broker restart, and counts the reconnection as a notice', async () => {
    const broker = await aBroker();
    const log: string[] = [];
    const source = aSource(broker.url, log);
    let notices = 0;
    source.start(() => {
      notices += 1;
    });
    await vi.waitFor(() => expect(source.connected).toBe(true), WAIT);

    await broker.stop();
    await vi.waitFor(() => expect(source.connected).toBe(false), WAIT);
    await broker.start();
    await vi.waitFor(() => expect(source.connected).toBe(true), WAIT);

    expect(notices).toBe(2);
    await broker.publish(changedTopic('worker-1'), 'x');
    await vi.waitFor(() => expect(notices).toBe(3), WAIT);
    expect(log).toEqual([
      expect.stringMatching(/^worker-1: push: subscribed: mqtt mqtt:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(
        /^worker-1: push: mqtt mqtt:\/\/127\.0\.0\.1:\d+: .* \(retrying; pods are polled meanwhile\)$/,
      ),
      expect.stringMatching(/^worker-1: push: reconnected: mqtt mqtt:\/\/127\.0\.0\.1:\d+$/),
    ]);
  });

  it('keeps trying a broker that refuses it, logging the outage once and never throwing', async () => {
    const broker = await aBroker({
      authenticate: (_client, _username, _password, done) =>
        done(Object.assign(new Error('not authorized'), { returnCode: 5 as const }), false),
    });
    const log: string[] = [];
    const source = aSource(broker.url, log);
    let notices = 0;

    source.start(() => {
      notices += 1;
    });
    await vi.waitFor(() => expect(broker.connections).toBeGreaterThanOrEqual(4), WAIT);

    expect(source.connected).toBe(false);
    expect(notices).toBe(0);
    expect(log).toEqual([expect.stringMatching(/Not authorized \(retrying; pods are polled meanwhile\)$/)]);
  });

  it('is not connected while the broker refuses its subscription (a policy without its topic)', async () => {
    // A SUBACK with the failure code 0x80, the connection kept up.
    const broker = await aBroker({ authorizeSubscribe: (_client, _subscription, done) => done(null, null) });
    const log: string[] = [];
    const source = aSource(broker.url, log);
    let notices = 0;

    source.start(() => {
      notices += 1;
    });
    await vi.waitFor(() => expect(broker.connections).toBeGreaterThanOrEqual(3), WAIT);

    expect(source.connected).toBe(false);
    expect(notices).toBe(0);
    expect(log).toEqual([expect.stringMatching(/subscription to everynode\/nodes\/worker-1\/changed refused/)]);
  });

  it('connects over WebSocket with the URL as given, path and query included (a presigned URL)', async () => {
    const broker = await aBroker({ transport: 'websocket' });
    const source = aSource(`${broker.url}?X-Amz-Signature=abc%2Fdef`);
    let notices = 0;

    source.start(() => {
      notices += 1;
    });
    await vi.waitFor(() => expect(source.connected).toBe(true), WAIT);
    await broker.publish(changedTopic('worker-1'), '{"node":"worker-1"}');

    await vi.waitFor(() => expect(notices).toBe(2), WAIT);
    expect(broker.upgrades).toEqual(['/mqtt?X-Amz-Signature=abc%2Fdef']);
  });

  it('asks for AWS credentials again on each attempt, logging their absence once', async () => {
    const log: string[] = [];
    let asked = 0;
    const source = new MqttChangeSource({
      url: 'wss://abc-ats.iot.eu-west-1.amazonaws.com',
      nodeName: 'worker-1',
      credentials: async () => {
        asked += 1;
        throw new Error('Could not load credentials from any providers');
      },
      reconnectMinMs: 10,
      reconnectMaxMs: 20,
      log: (line) => log.push(line),
    });
    stoppables.push(source);

    source.start(() => {});
    await vi.waitFor(() => expect(asked).toBeGreaterThanOrEqual(3), WAIT);

    expect(source.connected).toBe(false);
    expect(log).toEqual([
      'worker-1: push: mqtt wss://abc-ats.iot.eu-west-1.amazonaws.com (AWS IoT Core, SigV4): Could not load credentials from any providers (retrying; pods are polled meanwhile)',
    ]);
  });

  it('stops trying once stopped', async () => {
    const broker = await aBroker();
    const source = aSource(broker.url);
    source.start(() => {});
    await vi.waitFor(() => expect(source.connected).toBe(true), WAIT);

    await source.stop();
    await broker.restart();
    await broker.publish(changedTopic('worker-1'), 'x');

    expect(source.connected).toBe(false);
    expect(broker.connects).toHaveLength(1);
  });

  it('refuses a broker URL it cannot use, naming it', () => {
    expect(() => new MqttChangeSource({ url: 'http://broker:1883', nodeName: 'worker-1' })).toThrow(
      /http:\/\/broker:1883: the scheme must be mqtt, mqtts, ws or wss/,
    );
    expect(() => new MqttChangeSource({ url: 'broker:1883', nodeName: 'worker-1' })).toThrow(/scheme/);
    expect(() => new MqttChangeSource({ url: 'not a url', nodeName: 'worker-1' })).toThrow(/is not a URL/);
    expect(
      () => new MqttChangeSource({ url: 'mqtts://abc-ats.iot.eu-west-1.amazonaws.com', nodeName: 'worker-1' }),
    ).toThrow(/AWS IoT Core is reached over wss:\/\//);
  });

  it('describes an AWS IoT Core endpoint without credentials in it', () => {
    const source = new MqttChangeSource({ url: 'wss://abc-ats.iot.eu-west-1.amazonaws.com', nodeName: 'worker-1' });

    expect(source.description).toBe('mqtt wss://abc-ats.iot.eu-west-1.amazonaws.com (AWS IoT Core, SigV4)');
    expect(source.connected).toBe(false);
  });
});

describe('NodeAgent with an MQTT change source', () => {
  it('reads its pods at once on a notice, though it would not poll for an hour', async () => {
    const broker = await aBroker();
    const source = aSource(broker.url);
    const docker = new FakeDocker(Date.now);
    const pods: { current: AgentPod[] } = { current: [] };
    let reads = 0;
    const agent = new NodeAgent({
      nodeName: 'worker-1',
      api: {
        listPods: async () => {
          reads += 1;
          return pods.current;
        },
        report: async () => {},
      },
      docker: docker as unknown as DockerApi,
      host: { nodeName: 'worker-1', hostIP: '10.0.0.1', podNetwork: 'none', emptyDirRoot: '/tmp/everynode-unit-pods' },
      pollIntervalMs: 3_600_000,
      changes: source,
      fallbackPollIntervalMs: 3_600_000,
      syncIntervalMs: 20,
    });
    stoppables.push(agent);
    agent.start();
    await vi.waitFor(() => expect(source.connected).toBe(true), WAIT);
    await vi.waitFor(() => expect(reads).toBeGreaterThanOrEqual(2), WAIT); // at start, and on connecting
    const before = await settled(() => reads);

    pods.current = [aPod()];
    await broker.publish(changedTopic('worker-1'), '{"node":"worker-1"}');

    await vi.waitFor(() => expect(docker.of('agent-x1', 'main').map((c) => c.running)).toEqual([true]), WAIT);
    expect(reads).toBe(before + 1);
  });
});

function aPod(): AgentPod {
  return {
    name: 'agent-x1',
    namespace: 'default',
    daemonSet: 'agent',
    revisionHash: 'abc123',
    spec: { containers: [{ name: 'main', image: 'busybox:1' }] },
    stored: { phase: 'Pending', ready: false },
  };
}
