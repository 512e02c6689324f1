import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_ENDPOINT, resolveEndpoint } from '../../../cli/api/resolve-endpoint.js';

function folderWithLocalState(state: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'everynode-endpoint-'));
  mkdirSync(join(root, '.everynode'));
  writeFileSync(join(root, '.everynode', 'local.json'), JSON.stringify(state));
  return root;
}

const emptyFolder = () => mkdtempSync(join(tmpdir(), 'everynode-endpoint-'));

describe('resolveEndpoint', () => {
  it('uses the local control plane state file of the working directory', () => {
    const cwd = folderWithLocalState({ endpoint: 'http://127.0.0.1:9999/', token: 'secret' });

    const endpoint = resolveEndpoint({ env: {}, cwd });

    expect(endpoint).toEqual({
      url: 'http://127.0.0.1:9999',
      auth: { kind: 'token', token: 'secret' },
      local: true,
      stateFile: join(cwd, '.everynode', 'local.json'),
    });
  });

  it('drops a trailing /v1, as the banner prints the API with it', () => {
    const endpoint = resolveEndpoint({ endpoint: 'http://127.0.0.1:8080/v1/', env: {}, cwd: emptyFolder() });

    expect(endpoint.url).toBe('http://127.0.0.1:8080');
  });

  it.each([
    ['127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['localhost:8080', 'http://localhost:8080'],
    ['abc.execute-api.eu-west-1.amazonaws.com', 'https://abc.execute-api.eu-west-1.amazonaws.com'],
  ])('refuses %s without a scheme and suggests %s', (given, meant) => {
    const resolve = () => resolveEndpoint({ endpoint: given, env: {}, cwd: emptyFolder() });

    expect(resolve).toThrow(`--endpoint "${given}" has no scheme: did you mean ${meant}?`);
  });

  it('finds the state file from a subfolder', () => {
    const root = folderWithLocalState({ endpoint: 'http://127.0.0.1:9999', token: 'secret' });
    const cwd = join(root, 'deep', 'er');
    mkdirSync(cwd, { recursive: true });

    const endpoint = resolveEndpoint({ env: {}, cwd });

    expect(endpoint.url).toBe('http://127.0.0.1:9999');
  });

  it('falls back to the state file of the repository the CLI runs from', () => {
    const packageRoot = folderWithLocalState({ endpoint: 'http://127.0.0.1:7777', token: 't' });

    const endpoint = resolveEndpoint({ env: {}, cwd: emptyFolder(), packageRoot });

    expect(endpoint.url).toBe('http://127.0.0.1:7777');
  });

  it('defaults to the local address without credentials when nothing is configured', () => {
    const endpoint = resolveEndpoint({ env: {}, cwd: emptyFolder() });

    expect(endpoint).toEqual({ url: DEFAULT_LOCAL_ENDPOINT, auth: { kind: 'none' }, local: true });
  });

  it('takes EVERYNODE_ENDPOINT and EVERYNODE_TOKEN from the environment', () => {
    const env = { EVERYNODE_ENDPOINT: 'http://127.0.0.1:5555', EVERYNODE_TOKEN: 'from-env' };

    const endpoint = resolveEndpoint({ env, cwd: emptyFolder() });

    expect(endpoint).toEqual({ url: 'http://127.0.0.1:5555', auth: { kind: 'token', token: 'from-env' }, local: true });
  });

  it('signs requests to a deployed endpoint with the region in its host name', () => {
    const url = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';

    const endpoint = resolveEndpoint({ endpoint: url, env: { AWS_REGION: 'us-east-1' }, cwd: emptyFolder() });

    expect(endpoint).toEqual({ url, auth: { kind: 'sigv4', region: 'eu-west-1' }, local: false });
  });

  it('signs for AWS_REGION when the host does not name a region', () => {
    const endpoint = resolveEndpoint({
      endpoint: 'https://everynode.example.com',
      env: { AWS_REGION: 'us-east-1' },
      cwd: emptyFolder(),
    });

    expect(endpoint.auth).toEqual({ kind: 'sigv4', region: 'us-east-1' });
  });

  it('refuses a deployed endpoint without a region', () => {
    const resolve = () => resolveEndpoint({ endpoint: 'https://everynode.example.com', env: {}, cwd: emptyFolder() });

    expect(resolve).toThrow(/set AWS_REGION/);
  });

  it('refuses a state file without an endpoint and a token', () => {
    const cwd = folderWithLocalState({ endpoint: 'http://127.0.0.1:1' });

    const resolve = () => resolveEndpoint({ env: {}, cwd });

    expect(resolve).toThrow(/does not hold/);
  });
});
