import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies larger than this are refused; Key Vault's own limit on a secret is 25 KB. */
const MAX_BODY_BYTES = 256 * 1024;

/** Reads the whole request body as text, refusing oversized ones. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Thrown by `readBody` for a body over the limit. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('The request body is too large.');
  }
}

/** Sends a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** The request's path split into decoded segments, and its query. */
export function parseTarget(request: IncomingMessage): {
  segments: string[];
  query: URLSearchParams;
} {
  const url = new URL(request.url ?? '/', 'https://emulator.invalid');
  // A trailing slash (GET /secrets/name/ asks for the latest version) leaves an empty segment.
  const segments = url.pathname.split('/').slice(1).map(decodeSegment);
  return { segments, query: url.searchParams };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
