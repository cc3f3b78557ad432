import { badParameter } from './vault-error.js';

/** Key Vault's largest and default page size. */
const MAX_PAGE_SIZE = 25;

/** One page of a list answer, in Key Vault's shape. */
export interface PageJson<T> {
  value: T[];
  nextLink: string | null;
}

/**
 * Cuts one page out of the full list. The position travels in `$skiptoken` inside nextLink,
 * as Key Vault's does, so the client follows the link unchanged.
 */
export function pageOf<T>(items: T[], query: URLSearchParams, listUrl: string): PageJson<T> {
  const size = pageSize(query.get('maxresults'));
  const start = offsetOf(query.get('$skiptoken'));
  const end = start + size;
  return {
    value: items.slice(start, end),
    nextLink: end < items.length ? link(listUrl, query, end, size) : null,
  };
}

function pageSize(text: string | null): number {
  if (text === null) return MAX_PAGE_SIZE;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badParameter(`maxresults must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return size;
}

function offsetOf(token: string | null): number {
  if (token === null) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badParameter('The $skiptoken is not valid.');
  return offset;
}

function link(listUrl: string, query: URLSearchParams, offset: number, size: number): string {
  const next = new URLSearchParams({
    'api-version': query.get('api-version') ?? '',
    $skiptoken: Buffer.from(String(offset)).toString('base64url'),
    maxresults: String(size),
  });
  return `${listUrl}?${next.toString()}`;
}
