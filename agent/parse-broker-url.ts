/** `mqtt://user:password@host`: the broker's username and password. */
export function brokerLogin(url: URL): Readonly<{ username?: string; password?: string }> {
  if (url.username === '') return {};
  return { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/** The region of an AWS IoT Core data endpoint (`<prefix>-ats.iot.<region>.amazonaws.com`), if it is one. */
export function iotRegionOf(hostname: string): string | undefined {
  return /^[a-z0-9-]+\.iot\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(hostname.toLowerCase())?.[1];
}

/** The `--push` URL, refused with the reason when the agent cannot use it. */
export function parseBrokerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `${JSON.stringify(text)} is not a URL (mqtt://host:port, wss://<prefix>-ats.iot.<region>.amazonaws.com)`,
    );
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new Error(`${text}: the scheme must be mqtt, mqtts, ws or wss`);
  }
  return url;
}
