import type { Handler } from './types.js';

export interface Route {
  method: string;
  /** e.g. `/projects/:id/issues/:issue_iid`; each `:param` is exactly one (URL-encoded) segment. */
  pattern: string;
  handler: Handler;
  /** Writes that GitLab treats as per-action rate limited (note and issue creation). */
  actionLimited?: boolean;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches segment by segment so `acme%2Fhandbook` stays one segment, as in GitLab's router. */
export class Router {
  private readonly routes: { route: Route; segments: string[] }[] = [];

  add(route: Route): this {
    this.routes.push({ route, segments: route.pattern.split('/').filter((s) => s !== '') });
    return this;
  }

  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath.split('/').filter((s) => s !== '');
    for (const { route, segments } of this.routes) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = segments.every((segment, i) => {
        const part = parts[i] ?? '';
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = safeDecode(part);
          return true;
        }
        return segment === part;
      });
      if (ok) return { route, params };
    }
    return undefined;
  }

  /** Whether any route matches the path with another method (→ 405 rather than 404). */
  hasPath(rawPath: string): boolean {
    return ['GET', 'POST', 'PUT', 'DELETE'].some((m) => this.match(m, rawPath) !== undefined);
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
