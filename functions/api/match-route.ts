import type { HttpMethod, Route } from './api-deps.js';

/** The route a request selects, the methods its path allows (for 405), or nothing (404). */
export type RouteMatch =
  | Readonly<{ kind: 'matched'; route: Route; params: Readonly<Record<string, string>> }>
  | Readonly<{ kind: 'methodNotAllowed'; allowed: readonly HttpMethod[] }>
  | Readonly<{ kind: 'notFound' }>;

/**
 * Finds the route for a method and raw path. Segments are percent-decoded one by one, so a name can
 * never smuggle in a `/`; a trailing slash is ignored. `HEAD` is answered as `GET` would be.
 *
 * @example
 * matchRoute(routes, 'GET', '/v1/daemonsets/kube-system/fluentd')
 * // { kind: 'matched', route, params: { namespace: 'kube-system', name: 'fluentd' } }
 */
export function matchRoute(routes: readonly Route[], method: string, rawPath: string): RouteMatch {
  const segments = splitPath(rawPath);
  if (segments === undefined) return { kind: 'notFound' };
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (params === undefined) continue;
    if (route.method === wanted) return { kind: 'matched', route, params };
    allowed.push(route.method);
  }
  return allowed.length === 0 ? { kind: 'notFound' } : { kind: 'methodNotAllowed', allowed };
}

function splitPath(rawPath: string): string[] | undefined {
  const trimmed = rawPath.replace(/\/+$/, '');
  const parts = trimmed.split('/').slice(1);
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const expected = pattern.split('/').slice(1);
  if (expected.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      if (segment === '') return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
