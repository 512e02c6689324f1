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
