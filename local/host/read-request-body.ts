import type { IncomingMessage } from 'node:http';

/** The Functions host's request body limit: 100 MB (Kestrel's limit as the host sets it). */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 104_857_600;

/** The body is larger than the limit; the host answers 413. */
export class PayloadTooLargeError extends Error {
  constructor(limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = 'PayloadTooLargeError';
  }
}

/** Reads the whole body, refusing it as soon as it passes the limit. */
export async function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
