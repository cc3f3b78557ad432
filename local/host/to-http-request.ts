import type { IncomingMessage } from 'node:http';
import type { HttpRequest as Request } from '@azure/functions';
import { HttpRequest } from './functions-library.js';

/**
 * Builds the handler's HttpRequest from the incoming message, as the Functions host hands it
 * to the worker: the full URL, headers and query as single strings (repeated values joined
 * with a comma), the route values, and the body bytes.
 */
export function toHttpRequest(
  message: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  body: Buffer,
): Request {
  const method = (message.method ?? 'GET').toUpperCase();
  const host = message.headers.host ?? url.host;
  return new HttpRequest({
    method,
    url: `http://${host}${url.pathname}${url.search}`,
    headers: joinedHeaders(message),
    query: joinedQuery(url.searchParams),
    params,
    // GET and HEAD cannot carry a body in a fetch Request; the host drops it too.
    body: method === 'GET' || method === 'HEAD' ? undefined : { bytes: body },
  });
}

function joinedHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function joinedQuery(query: URLSearchParams): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const name of new Set(query.keys())) joined[name] = query.getAll(name).join(',');
  return joined;
}
