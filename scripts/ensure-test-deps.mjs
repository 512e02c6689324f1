// `npm test` needs system packages besides Node: a Java runtime for DynamoDB Local (which the tests fetch
// themselves), Debian's Chromium for the dashboard's browser test, kubectl (kubernetes-client) and openssl (the
// local TLS certificate) for the Kubernetes API test, and Docker with busybox-static for the node agent's test (it
// starts its own dockerd and builds its images from busybox). On a fresh Debian machine where we are
// root, install whichever is missing; anywhere else, say exactly what to install and carry on (the tests that
// need it then fail with the same message).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const missing = [];
if (!has('java')) missing.push('openjdk-17-jre-headless');
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
if (!has('kubectl')) missing.push('kubernetes-client');
if (!has('openssl')) missing.push('openssl');
if (!has('dockerd')) missing.push('docker.io');
if (!existsSync('/bin/busybox')) missing.push('busybox-static');

if (missing.length > 0) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && has('apt-get')) {
    console.log(`installing ${missing.join(', ')} for the tests (apt-get, once)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
  } else {
    console.warn(`the tests need: ${missing.join(', ')}. Install with: sudo apt-get install -y ${missing.join(' ')}`);
  }
}
