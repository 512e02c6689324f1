import type { JsonObject } from '../../../lib/model/daemon-set.js';
import { groupVersion, KUBE_RESOURCES, SERVED_GROUPS, SERVED_VERSION } from './kube-resources.js';

/** `GET /version`: what `kubectl version` prints as the server version. */
export function versionInfo(): JsonObject {
  return {
    major: SERVED_VERSION.major,
    minor: SERVED_VERSION.minor,
    gitVersion: `v${SERVED_VERSION.major}.${SERVED_VERSION.minor}.0-everynode`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '',
    goVersion: '',
    compiler: 'everynode',
    platform: 'linux/amd64',
  };
}

/** `GET /api`: the core group's versions. */
export function apiVersions(): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
  };
}

/** `GET /apis`: the named groups. */
export function apiGroupList(): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: SERVED_GROUPS.map((group) => {
      const versions = group.versions.map((version) => ({ groupVersion: `${group.name}/${version}`, version }));
      return { name: group.name, versions, preferredVersion: versions[0] ?? {} };
    }),
  };
}

/** `GET /api/v1`, `GET /apis/{group}/{version}`: the resources of one group version, undefined if not served. */
export function apiResourceList(gv: string): JsonObject | undefined {
  const resources = KUBE_RESOURCES.filter((resource) => groupVersion(resource) === gv);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: resources.flatMap((resource) => {
      const main = {
        name: resource.plural,
        singularName: resource.singular,
        namespaced: resource.namespaced,
        kind: resource.kind,
        verbs: resource.verbs,
        ...(resource.shortNames === undefined ? {} : { shortNames: resource.shortNames }),
        ...(resource.categories === undefined ? {} : { categories: resource.categories }),
      };
      const status = {
        name: `${resource.plural}/status`,
        singularName: '',
        namespaced: resource.namespaced,
        kind: resource.kind,
        verbs: ['get', 'patch', 'update'],
      };
      return resource.status === true ? [main, status] : [main];
    }),
  };
}

/** The aggregated discovery versions served, in the order preferred. */
export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1';

/**
 * The aggregated discovery version an `Accept` header asks for (kubectl 1.26+ and client-go send
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` first, then `v2beta1`, then plain
 * `application/json`); undefined when it asks for none, or names plain JSON first.
 */
export function aggregatedDiscoveryWanted(accept: string | undefined): AggregatedDiscoveryVersion | undefined {
  for (const part of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    if (type !== 'application/json' && type !== '*/*') continue;
    const params = new Map(
      parameters.map((parameter) => {
        const [name = '', value = ''] = parameter.split('=');
        return [name.trim().toLowerCase(), value.trim()] as const;
      }),
    );
    if (!params.has('as')) return undefined; // plain JSON is preferred here
    const version = params.get('v');
    if (
      params.get('as') === 'APIGroupDiscoveryList' &&
      params.get('g') === 'apidiscovery.k8s.io' &&
      (version === 'v2' || version === 'v2beta1')
    ) {
      return version;
    }
  }
  return undefined;
}

/** The `Content-Type` of an aggregated discovery answer, which is how clients tell it from the legacy one. */
export const aggregatedDiscoveryContentType = (version: AggregatedDiscoveryVersion): string =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/**
 * `GET /api` or `GET /apis` answered as aggregated discovery (`APIGroupDiscoveryList`): every group, version and
 * resource in one document, so kubectl needs one request for what the legacy documents take one per group
 * version. `core` is the `v1` group of `/api`; otherwise the named groups of `/apis`.
 */
export function aggregatedDiscovery(scope: 'core' | 'named', version: AggregatedDiscoveryVersion): JsonObject {
  const groups = scope === 'core' ? [{ name: '', versions: ['v1'] }] : SERVED_GROUPS;
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: group.name === '' ? { creationTimestamp: null } : { name: group.name, creationTimestamp: null },
      versions: group.versions.map((served) => ({
        version: served,
        resources: KUBE_RESOURCES.filter(
          (resource) => resource.group === group.name && resource.version === served,
        ).map((resource) => {
          const responseKind = { group: resource.group, version: resource.version, kind: resource.kind };
          return {
            resource: resource.plural,
            responseKind,
            scope: resource.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: resource.singular,
            verbs: resource.verbs,
            ...(resource.shortNames === undefined ? {} : { shortNames: resource.shortNames }),
            ...(resource.categories === undefined ? {} : { categories: resource.categories }),
            ...(resource.status === true
              ? { subresources: [{ subresource: 'status', responseKind, verbs: ['get', 'patch', 'update'] }] }
              : {}),
          };
        }),
        freshness: 'Current',
      })),
    })),
  };
}
