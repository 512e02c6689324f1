import { chmod, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The kubeconfig `npm start` writes into its state directory, for kubectl and client libraries. */
export const KUBECONFIG_FILE = 'kubeconfig';

/**
 * Writes `<stateDir>/kubeconfig` (mode 0600, atomically): one cluster at the local API's TLS endpoint, trusting
 * its self-signed certificate, one user with its
 * bearer token, one context `everynode-local` with namespace `default`. Returns its path.
 */
export async function writeKubeconfig(
  stateDir: string,
  server: string,
  token: string,
  caCert: string,
): Promise<string> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'everynode-local',
        cluster: { server, 'certificate-authority-data': Buffer.from(caCert).toString('base64') },
      },
    ],
    users: [{ name: 'everynode-local', user: { token } }],
    contexts: [
      {
        name: 'everynode-local',
        context: { cluster: 'everynode-local', user: 'everynode-local', namespace: 'default' },
      },
    ],
    'current-context': 'everynode-local',
    preferences: {},
  };
  const file = join(stateDir, KUBECONFIG_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, stringify(config), { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}
