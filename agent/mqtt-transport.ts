import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { StreamBuilder } from 'mqtt/lib/shared';

/**
 * How MQTT.js opens a connection's byte stream to `broker`: TCP, TLS, or a WebSocket on `url` exactly as given (a
 * presigned URL's path and query included). MQTT.js's WebSocket transport loads only for a `ws:`/`wss:` broker;
 * its TCP and TLS ones are not used because they load its SOCKS proxy support too.
 */
export async function mqttTransport(broker: URL, url: string): Promise<StreamBuilder> {
  const host = broker.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = broker.port === '' ? undefined : Number(broker.port);
  switch (broker.protocol) {
    case 'mqtt:':
      return () => connectTcp({ host, port: port ?? 1883 });
    case 'mqtts:':
      return () => connectTls({ host, port: port ?? 8883, servername: host });
    default: {
      const { streamBuilder } = await import('mqtt/lib/connect/ws');
      const protocol = broker.protocol === 'wss:' ? 'wss' : 'ws';
      return (client, options) =>
        streamBuilder(client, {
          ...options,
          protocol,
          hostname: host,
          ...(port === undefined ? {} : { port }),
          path: broker.pathname,
          transformWsUrl: () => url,
        });
    }
  }
}
