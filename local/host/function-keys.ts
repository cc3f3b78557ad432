import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The local keys: `functionKey` opens `function` functions, `masterKey` opens every one. */
export interface FunctionKeys {
  functionKey: string;
  masterKey: string;
}

/** The key header, and the query parameter that may carry the key instead. */
export const KEY_HEADER = 'x-functions-key';
export const KEY_QUERY_PARAMETER = 'code';

/**
 * Whether the request may call a function of this auth level: anonymous needs nothing,
 * function takes the function or the master key, admin only the master key.
 */
export function isAuthorized(
  authLevel: 'anonymous' | 'function' | 'admin',
  request: IncomingMessage,
  query: URLSearchParams,
  keys: FunctionKeys,
): boolean {
  if (authLevel === 'anonymous') return true;
  const presented = presentedKey(request, query);
  if (presented === undefined) return false;
  if (sameKey(presented, keys.masterKey)) return true;
  return authLevel === 'function' && sameKey(presented, keys.functionKey);
}

function presentedKey(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = request.headers[KEY_HEADER];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return fromHeader ?? query.get(KEY_QUERY_PARAMETER) ?? undefined;
}

function sameKey(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  // Constant time, so response timing tells nothing about how much of a key was right.
  return a.length === b.length && timingSafeEqual(a, b);
}
