import { request } from 'node:http';

/** The Docker Engine API version the agent speaks (Docker 20.10 and later answer it). */
export const DOCKER_API_VERSION = 'v1.41';

/** A Docker Engine API answer that is not a success, with the daemon's own message. */
export class DockerError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(`docker: ${message} (HTTP ${status})`);
    this.name = 'DockerError';
    this.status = status;
  }
}

/** A container as `GET /containers/json` lists it. */
export type ContainerSummary = Readonly<{
  Id: string;
  Names: readonly string[];
  Image: string;
  State: string;
  Labels: Readonly<Record<string, string>>;
  Created: number;
}>;

/** The parts of `GET /containers/{id}/json` the agent reads. */
export type ContainerInspect = Readonly<{
  Id: string;
  State: Readonly<{
    Status: string;
    Running: boolean;
    ExitCode: number;
    OOMKilled: boolean;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
  }>;
  Config: Readonly<{ Labels: Readonly<Record<string, string>> }>;
  NetworkSettings: Readonly<{ IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> }>;
}>;

export type DockerApiOptions = Readonly<{
  /** @default '/var/run/docker.sock' */
  socketPath?: string;
  /** @default 30_000 */
  timeoutMs?: number;
}>;

/**
 * The Docker Engine API over its unix socket, with plain `node:http`: only the calls the agent makes.
 * Errors carry the daemon's message (`No such image: ...`).
 */
export class DockerApi {
  readonly socketPath: string;
  readonly #timeoutMs: number;

  constructor(options: DockerApiOptions = {}) {
    this.socketPath = options.socketPath ?? '/var/run/docker.sock';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async ping(): Promise<void> {
    await this.#call('GET', '/_ping');
  }

  /** Whether the image is present locally. */
  async hasImage(image: string): Promise<boolean> {
    const { status } = await this.#send('GET', `/images/${encodeURIComponent(image)}/json`);
    return status === 200;
  }

  /** Pulls an image; the daemon streams progress, whose last error line is the failure. */
  async pullImage(image: string): Promise<void> {
    const { repository, tag } = splitImage(image);
    const query = new URLSearchParams({ fromImage: repository, tag });
    const { status, text } = await this.#send('POST', `/images/create?${query}`, undefined, 300_000);
    if (status !== 200) throw new DockerError(status, messageOf(text));
    const failed = text
      .split('\n')
      .filter((line) => line.includes('"error"'))
      .at(-1);
    if (failed !== undefined) throw new DockerError(status, messageOf(failed));
  }

  async listContainers(labelFilters: readonly string[]): Promise<ContainerSummary[]> {
    const filters = encodeURIComponent(JSON.stringify({ label: labelFilters }));
    return (await this.#call('GET', `/containers/json?all=true&filters=${filters}`)) as ContainerSummary[];
  }

  async inspectContainer(id: string): Promise<ContainerInspect | undefined> {
    const { status, text } = await this.#send('GET', `/containers/${id}/json`);
    if (status === 404) return undefined;
    if (status !== 200) throw new DockerError(status, messageOf(text));
    return JSON.parse(text) as ContainerInspect;
  }

  /** Creates a container and returns its id. */
  async createContainer(name: string, config: object): Promise<string> {
    const created = (await this.#call('POST', `/containers/create?name=${encodeURIComponent(name)}`, config)) as {
      Id: string;
    };
    return created.Id;
  }

  async startContainer(id: string): Promise<void> {
    await this.#call('POST', `/containers/${id}/start`, undefined, [304]);
  }

  /** SIGTERM (or the image's stop signal), then SIGKILL after `graceSeconds`; returns once it has stopped. */
  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    await this.#call(
      'POST',
      `/containers/${id}/stop?t=${graceSeconds}`,
      undefined,
      [304, 404],
      (graceSeconds + 30) * 1000,
    );
  }

  async removeContainer(id: string): Promise<void> {
    await this.#call('DELETE', `/containers/${id}?force=true&v=true`, undefined, [404]);
  }

  /** Runs a command in a running container; resolves to its exit code (or throws when it exceeds the timeout). */
  async exec(id: string, command: readonly string[], timeoutMs: number): Promise<number> {
    const created = (await this.#call('POST', `/containers/${id}/exec`, {
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
    })) as { Id: string };
    await this.#call('POST', `/exec/${created.Id}/start`, { Detach: false, Tty: false }, [], timeoutMs);
    const inspected = (await this.#call('GET', `/exec/${created.Id}/json`)) as { ExitCode: number | null };
    return inspected.ExitCode ?? 1;
  }

  async #call(
    method: string,
    path: string,
    body?: object,
    alsoOk: readonly number[] = [],
    timeoutMs?: number,
  ): Promise<unknown> {
    const { status, text } = await this.#send(method, path, body, timeoutMs);
    if ((status < 200 || status >= 300) && !alsoOk.includes(status)) throw new DockerError(status, messageOf(text));
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  #send(
    method: string,
    path: string,
    body?: object,
    timeoutMs = this.#timeoutMs,
  ): Promise<Readonly<{ status: number; text: string }>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          path: `/${DOCKER_API_VERSION}${path}`,
          method,
          headers: {
            host: 'docker',
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`docker: ${method} ${path}: no answer within ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

/** `repo[:tag][@digest]` → the `fromImage`/`tag` pair `POST /images/create` wants (tag `latest` when none). */
export function splitImage(image: string): Readonly<{ repository: string; tag: string }> {
  const at = image.indexOf('@');
  if (at >= 0) return { repository: image.slice(0, at), tag: image.slice(at + 1) };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repository: image, tag: 'latest' };
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string; error?: string };
    return parsed.message ?? parsed.error ?? text;
  } catch {
    return text.trim() || 'no message';
  }
}
