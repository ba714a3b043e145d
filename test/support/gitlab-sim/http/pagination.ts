import type { SimRequest, SimResponse } from './types.js';

const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;

function perPageOf(req: SimRequest): number {
  const raw = Number(req.url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE);
  if (!Number.isInteger(raw) || raw < 1) return DEFAULT_PER_PAGE;
  return Math.min(raw, MAX_PER_PAGE);
}

function linkTo(req: SimRequest, changes: Record<string, string>): string {
  const url = new URL(req.url.pathname, req.url.origin);
  const params = new URLSearchParams(req.url.searchParams);
  for (const [key, value] of Object.entries(changes)) params.set(key, value);
  url.search = params.toString();
  return url.toString();
}

/** GitLab's offset pagination: `x-*` headers and a `Link` header that gitbeaker follows. */
export function paginate(req: SimRequest, items: readonly unknown[]): SimResponse {
  const perPage = perPageOf(req);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const requested = Number(req.url.searchParams.get('page') ?? 1);
  const page = Number.isInteger(requested) && requested >= 1 ? requested : 1;
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const next = page < totalPages ? page + 1 : null;
  const prev = page > 1 ? Math.min(page - 1, totalPages) : null;
  const at = (p: number): string => linkTo(req, { page: String(p), per_page: String(perPage) });
  const links: string[] = [];
  if (prev !== null) links.push(`<${at(prev)}>; rel="prev"`);
  if (next !== null) links.push(`<${at(next)}>; rel="next"`);
  links.push(`<${at(1)}>; rel="first"`, `<${at(totalPages)}>; rel="last"`);
  return {
    status: 200,
    body: slice,
    headers: {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': next === null ? '' : String(next),
      'x-prev-page': prev === null ? '' : String(prev),
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      link: links.join(', '),
    },
  };
}

/**
 * Keyset pagination (`pagination=keyset`), as the tree API offers: an opaque `page_token` and only a
 * `rel="next"` link, no totals.
 */
export function keysetPaginate<T>(
  req: SimRequest,
  items: readonly T[],
  tokenOf: (item: T) => string,
  render: (item: T) => unknown,
): SimResponse {
  const perPage = perPageOf(req);
  const token = req.url.searchParams.get('page_token');
  const start = token === null ? 0 : items.findIndex((item) => tokenOf(item) === token) + 1;
  const slice = items.slice(start, start + perPage);
  const last = slice[slice.length - 1];
  const headers: Record<string, string> = {};
  if (last !== undefined && start + perPage < items.length) {
    headers.link = `<${linkTo(req, { page_token: tokenOf(last), per_page: String(perPage), pagination: 'keyset' })}>; rel="next"`;
  }
  return { status: 200, body: slice.map(render), headers };
}
