import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DockerApi } from '../../agent/docker-api.js';

/** Where Debian's busybox-static puts its binary. */
const BUSYBOX = '/bin/busybox';
const APPLETS = [
  'sh',
  'sleep',
  'echo',
  'cat',
  'ls',
  'touch',
  'test',
  'true',
  'false',
  'kill',
  'env',
  'rm',
  'httpd',
  'nc',
  'wget',
];

/**
 * The pod sandbox image of the tests (agents get it as `--pod-infra-container-image`): busybox waiting forever,
 * as registry.k8s.io/pause does, imported with the other images so nothing is pulled.
 */
export const PAUSE_IMAGE = 'everynode-test/pause:1';
const PAUSE_COMMAND = 'CMD ["/bin/sh", "-c", "trap \'exit 0\' TERM INT; sleep 2147483647 & wait"]';

export type TestDocker = Readonly<{
  socketPath: string;
  docker: DockerApi;
  /** Stops the daemon and removes its data (containers included). */
  stop(): Promise<void>;
}>;

/**
 * A Docker daemon of the test's own (its socket, data and exec roots in a temporary folder; no iptables,
 * no bridge: pods use host networking or none), with busybox images imported from Debian's busybox-static
 * under the given tags, and the sandbox image `PAUSE_IMAGE`. Nothing is pulled. Fails loudly when dockerd or busybox is missing: `.ci/run`
 * installs docker.io and busybox-static.
 */
export async function startTestDocker(imageTags: readonly string[]): Promise<TestDocker> {
  for (const [binary, pkg] of [
    ['dockerd', 'docker.io'],
    [BUSYBOX, 'busybox-static'],
  ] as const) {
    if (!binary.startsWith('/') ? !onPath(binary) : !existsSync(binary)) {
      throw new Error(`${binary} is missing: install ${pkg} (apt-get install -y ${pkg}); .ci/run does`);
    }
  }
  // Directly under /tmp, not the test run's (nested) temporary folder: containerd's sockets live under the exec
  // root, and a unix socket path must stay under 108 bytes.
  const root = mkdtempSync('/tmp/endocker-');
  const socketPath = join(root, 'docker.sock');
  const daemon: ChildProcess = spawn(
    'dockerd',
    [
      `--host=unix://${socketPath}`,
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'docker.pid')}`,
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--storage-driver=vfs',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  daemon.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const docker = new DockerApi({ socketPath });
  const stop = async (): Promise<void> => {
    if (daemon.exitCode === null) {
      for (const container of await docker.listContainers([]).catch(() => [])) {
        await docker.removeContainer(container.Id).catch(() => undefined);
      }
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (daemon.exitCode === null) {
        daemon.kill('SIGKILL');
        await exited;
      }
    }
    // A daemon that did not clean up leaves mounts (its network namespace) under its roots.
    for (const mount of mountsUnder(root).reverse()) {
      try {
        execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await docker.ping();
      break;
    } catch {
      if (daemon.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`dockerd did not start:\n${output}`);
      }
      await sleep(100);
    }
  }
  const tar = busyboxTar(root);
  for (const tag of imageTags) await importImage(socketPath, tar, tag);
  await importImage(socketPath, tar, PAUSE_IMAGE, PAUSE_COMMAND);
  return { socketPath, docker, stop };
}

/** The mount points below a folder, from /proc/self/mounts. */
function mountsUnder(root: string): string[] {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((mount) => mount.startsWith(`${root}/`));
  } catch {
    return [];
  }
}

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A root filesystem with busybox and its applets, as a tar archive. */
function busyboxTar(root: string): Buffer {
  const rootfs = join(root, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
  for (const applet of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet));
  const archive = join(root, 'busybox.tar');
  execFileSync('tar', ['-C', rootfs, '-cf', archive, '.']);
  return readFileSync(archive);
}

/** `docker import` through the Engine API: `POST /images/create?fromSrc=-` with the archive as the body. */
function importImage(socketPath: string, tar: Buffer, image: string, command = 'CMD ["/bin/sh"]'): Promise<void> {
  const colon = image.lastIndexOf(':');
  const query = new URLSearchParams({ fromSrc: '-', repo: image.slice(0, colon), tag: image.slice(colon + 1) });
  query.append('changes', command);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: `/v1.41/images/create?${query}`,
        method: 'POST',
        headers: { host: 'docker', 'content-type': 'application/x-tar', 'content-length': tar.length },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () =>
          res.statusCode === 200 && !body.includes('"error"')
            ? resolve()
            : reject(new Error(`import ${image}: HTTP ${res.statusCode}: ${body}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(tar);
  });
}
