import { execFile } from 'node:child_process';
import { chmod, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A certificate and its private key, PEM-encoded. */
export type TlsIdentity = Readonly<{ key: string; cert: string }>;

const KEY_FILE = 'kube-api.key';
const CERT_FILE = 'kube-api.crt';

/**
 * The self-signed certificate of the local Kubernetes API endpoint (kubectl sends a bearer token only over
 * TLS), valid for `127.0.0.1`, `::1` and `localhost`: the one kept in the state directory, else a new one
 * made with `openssl` (P-256, 10 years). The kubeconfig trusts exactly this certificate.
 */
export async function loadOrCreateTlsIdentity(stateDir: string): Promise<TlsIdentity> {
  const keyPath = join(stateDir, KEY_FILE);
  const certPath = join(stateDir, CERT_FILE);
  try {
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } catch {
    await rm(keyPath, { force: true });
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '3650',
      '-subj',
      '/CN=everynode-local',
      '-addext',
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
    ]);
    await chmod(keyPath, 0o600);
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  }
}
