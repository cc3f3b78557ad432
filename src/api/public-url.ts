import type { ApiRequest } from './api-request.js';

/**
 * The URL the caller used, as seen from outside: a proxy or Front Door in front of the app
 * says where with X-Forwarded-Host and X-Forwarded-Proto. Only the first value counts when
 * a chain of proxies appended theirs.
 */
export function publicUrl(request: ApiRequest): URL {
  const url = new URL(request.url);
  const host = firstValue(request.headers['x-forwarded-host']);
  const proto = firstValue(request.headers['x-forwarded-proto']);
  if (
    host !== undefined &&
    /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
  ) {
    // Setting `host` alone would keep the port we were reached on.
    const port = /:(\d{1,5})$/.exec(host)?.[1];
    url.hostname = port === undefined ? host : host.slice(0, -port.length - 1);
    url.port = port ?? '';
  }
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
  return url;
}

/**
 * The query parameter that carries a function key. It is dropped from links we hand out,
 * since a response must never hold a credential; callers who page send the key in the
 * x-functions-key header instead.
 */
export const FUNCTION_KEY_PARAMETER = 'code';

/** The absolute URL of the same path with this query, without any function key. */
export function linkWith(request: ApiRequest, query: URLSearchParams): string {
  const url = publicUrl(request);
  query.delete(FUNCTION_KEY_PARAMETER);
  // `$` is allowed in a query string; left unescaped the link reads as the caller wrote it.
  url.search = query.toString().replaceAll('%24', '$');
  return url.toString();
}

/** The absolute URL of one row of the collection this request addressed. */
export function rowUrl(request: ApiRequest, keySegment: string): string {
  const url = publicUrl(request);
  const path = url.pathname.replace(/\/+$/, '');
  const collection = request.params.key === undefined ? path : path.replace(/\/[^/]*$/, '');
  url.pathname = `${collection}/${keySegment}`;
  url.search = '';
  return url.toString();
}

function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value === undefined || value === '' ? undefined : value.toLowerCase();
}
