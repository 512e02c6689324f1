import clientModule, { type IClientOptions } from 'mqtt/lib/client';
import type { ChangeSource } from './change-source.js';
import { mqttTransport } from './mqtt-transport.js';
import { brokerLogin, iotRegionOf, parseBrokerUrl } from './parse-broker-url.js';
import type { IotCredentials } from './presign-iot-url.js';

/**
 * MQTT.js's client without its `connect()`, which loads every transport (SOCKS proxies and all) for an agent that
 * needs one; the transports are below. The module is CommonJS with `exports.default`: Node, and esbuild bundling
 * for Node, import `module.exports` as the default, while vitest honours `__esModule` and gives the class itself.
 */
const loaded: unknown = clientModule;
const MqttClient = (typeof loaded === 'function' ? loaded : clientModule.default) as typeof clientModule.default;
type MqttClient = InstanceType<typeof MqttClient>;

export type MqttChangeSourceOptions = Readonly<{
  /**
   * The broker: `mqtt://host:port`, `mqtts://host:port`, `ws://...`, `wss://...`, or an AWS IoT Core data endpoint
   * `wss://<prefix>-ats.iot.<region>.amazonaws.com`, reached with a SigV4-presigned URL.
   */
  url: string;
  /** The client id, and the node whose topic `everynode/nodes/<node>/changed` is subscribed to. */
  nodeName: string;
  /** AWS credentials for an IoT Core endpoint, asked again for each connection. @default the default provider chain */
  credentials?: () => Promise<IotCredentials>;
  /** The wait before the first reconnection attempt, doubled after each failure (with jitter). @default 1000 */
  reconnectMinMs?: number;
  /** The longest wait between attempts. @default 60000 */
  reconnectMaxMs?: number;
  log?: (line: string) => void;
}>;

/** MQTT keep-alive: AWS IoT Core's lowest free interval; the broker drops a silent client after 1.5 times it. */
const KEEP_ALIVE_SECONDS = 30;
/** A connection that ends sooner than this counts as a failure (another client with the node's id, a policy that refuses it). */
const STABLE_AFTER_MS = 60_000;

/** The topic on which the control plane tells a node that its pods changed (decision 0007). */
export function changedTopic(nodeName: string): string {
  return `everynode/nodes/${nodeName}/changed`;
}

/**
 * A {@link ChangeSource} over an MQTT subscription (QoS 1, clean session, client id = node name). Every message on
 * the node's topic, and every (re)connection (notices may have been sent while it was away), is a notice. Connection
 * attempts go on until `stop()`, with a doubling, jittered wait; failures are logged once per outage and never
 * thrown. Against AWS IoT Core each attempt signs a new URL with fresh credentials (they rotate).
 */
export class MqttChangeSource implements ChangeSource {
  readonly description: string;
  readonly #options: MqttChangeSourceOptions;
  readonly #url: URL;
  readonly #region: string | undefined;
  #onChange: () => void = () => {};
  #client: MqttClient | undefined;
  #subscribed = false;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #outage: 'none' | 'logged' = 'none';
  #everConnected = false;
  #credentials: (() => Promise<IotCredentials>) | undefined;

  constructor(options: MqttChangeSourceOptions) {
    this.#options = options;
    this.#url = parseBrokerUrl(options.url);
    const region = iotRegionOf(this.#url.hostname);
    if (region !== undefined && this.#url.protocol !== 'wss:') {
      throw new Error(`${options.url}: AWS IoT Core is reached over wss:// (SigV4, the host's AWS credentials)`);
    }
    this.#region = region;
    const where = `${this.#url.protocol}//${this.#url.host}${this.#url.pathname === '/' ? '' : this.#url.pathname}`;
    this.description = `mqtt ${where}${region === undefined ? '' : ' (AWS IoT Core, SigV4)'}`;
  }

  get connected(): boolean {
    return this.#subscribed;
  }

  start(onChange: () => void): void {
    this.#onChange = onChange;
    this.#running = true;
    this.#begin();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#subscribed = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    if (client !== undefined) await client.endAsync(true);
  }

  #begin(): void {
    this.#attempt().catch((error: unknown) => {
      this.#lost(error);
      this.#retry();
    });
  }

  /** One connection, from its URL to its end; the next attempt is scheduled when it ends. */
  async #attempt(): Promise<void> {
    this.#timer = undefined;
    const url = await this.#signedUrl();
    const transport = await mqttTransport(this.#url, url);
    if (!this.#running) return;
    const options: IClientOptions = {
      clientId: this.#options.nodeName,
      keepalive: KEEP_ALIVE_SECONDS,
      clean: true,
      // Reconnection is this class's: a new URL each time, and a doubling wait (MQTT.js waits a fixed period).
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: 30_000,
      // Otherwise mqtt-packet pre-allocates a 2-byte Buffer for each of the 65,536 packet ids (several MB of heap)
      // to save an allocation per packet, on a connection that sends a few packets an hour.
      writeCache: false,
      ...brokerLogin(this.#url),
    };
    const client = new MqttClient(transport, options);
    this.#client = client;
    let connectedAt: number | undefined;
    let ended = false;
    client.on('connect', () => {
      client.subscribe(changedTopic(this.#options.nodeName), { qos: 1 }, (error, granted) => {
        if (client !== this.#client) return;
        // A SUBACK with the failure code 0x80 (MQTT.js makes it an error): an IoT policy without this topic, say.
        if (error !== null || granted?.some((grant) => grant.qos === 128) === true) {
          const why = error === null ? '' : `: ${error.message}`;
          this.#lost(new Error(`subscription to ${changedTopic(this.#options.nodeName)} refused${why}`));
          client.end(true);
          return;
        }
        connectedAt = Date.now();
        this.#subscribed = true;
        this.#found();
        this.#onChange();
      });
    });
    client.on('message', () => {
      if (client === this.#client) this.#onChange();
    });
    client.on('error', (error) => this.#lost(error));
    client.on('close', () => {
      if (ended) return;
      ended = true;
      if (client !== this.#client) return;
      this.#subscribed = false;
      this.#client = undefined;
      client.end(true);
      if (!this.#running) return;
      if (connectedAt !== undefined && Date.now() - connectedAt >= STABLE_AFTER_MS) this.#failures = 0;
      this.#lost(new Error(connectedAt === undefined ? 'connection closed' : 'connection lost'));
      this.#retry();
    });
  }

  async #signedUrl(): Promise<string> {
    if (this.#region === undefined) return this.#url.href;
    const { presignIotUrl } = await import('./presign-iot-url.js');
    // The chain caches what it found and asks again as it nears expiry.
    this.#credentials ??= this.#options.credentials ?? (await defaultCredentials());
    return presignIotUrl({
      hostname: this.#url.hostname,
      region: this.#region,
      credentials: await this.#credentials(),
      signingDate: new Date(),
    });
  }

  #retry(): void {
    if (!this.#running || this.#timer !== undefined) return;
    const min = this.#options.reconnectMinMs ?? 1000;
    const max = this.#options.reconnectMaxMs ?? 60_000;
    const ceiling = Math.min(max, min * 2 ** this.#failures);
    this.#failures += 1;
    // Jitter between half and all of it: a fleet that lost its broker at once does not come back at once.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#timer = setTimeout(() => this.#begin(), delay);
  }

  #lost(error: unknown): void {
    if (!this.#running || this.#outage === 'logged') return;
    this.#outage = 'logged';
    const message = error instanceof Error ? error.message : String(error);
    this.#log(`push: ${this.description}: ${message} (retrying; pods are polled meanwhile)`);
  }

  #found(): void {
    if (this.#outage === 'logged' || !this.#everConnected) {
      this.#log(`push: ${this.#everConnected ? 'reconnected' : 'subscribed'}: ${this.description}`);
    }
    this.#everConnected = true;
    this.#outage = 'none';
  }

  #log(line: string): void {
    this.#options.log?.(`${this.#options.nodeName}: ${line}`);
  }
}

/** The AWS SDK's default credential chain (environment, profiles, SSO, the instance role), loaded on first use. */
async function defaultCredentials(): Promise<() => Promise<IotCredentials>> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromNodeProviderChain();
}
