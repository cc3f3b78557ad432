import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { HttpResponse as Response, HttpResponseInit } from '@azure/functions';
import { HttpResponse } from './functions-library.js';
import { setCookieHeader } from './set-cookie-header.js';

/** A handler returned something that is not an HTTP response; the host answers 500. */
export class InvalidHttpResultError extends Error {
  constructor() {
    super('The HTTP function returned a value that is not an HTTP response object.');
    this.name = 'InvalidHttpResultError';
  }
}

/**
 * Converts what an HTTP handler returned (HttpResponseInit or HttpResponse) the way
 * @azure/functions does, before anything is written, so a bad result can still become a 500.
 */
export function toHttpResponse(result: unknown): Response | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result !== 'object') throw new InvalidHttpResultError();
  return result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
}

/**
 * Writes the response: status, headers, cookies and the body, streamed. No result at all
 * becomes 204 No Content.
 */
export async function writeHttpResponse(
  target: ServerResponse,
  response: Response | undefined,
  isHead: boolean,
): Promise<void> {
  if (response === undefined) {
    target.writeHead(204).end();
    return;
  }
  target.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') target.setHeader(name, value);
  }
  const cookies = [
    ...response.headers.getSetCookie(),
    ...response.cookies.map((cookie) => setCookieHeader(cookie)),
  ];
  if (cookies.length > 0) target.setHeader('set-cookie', cookies);
  const body = response.body;
  if (body === null || isHead) {
    target.end();
    return;
  }
  await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), target);
}

/** A bodiless answer from the host itself (404, 401, 413, 500). */
export function writeStatus(target: ServerResponse, status: number, close = false): void {
  if (target.headersSent) {
    target.destroy();
    return;
  }
  if (close) target.setHeader('connection', 'close');
  target.writeHead(status, { 'content-length': '0' }).end();
}
