import { VaultgateError } from '../errors.js';
import type { ApiRequest } from './api-request.js';

/**
 * The JSON body of a write. Anything but `application/json` (or a `+json` type) is a 415;
 * text that is not JSON is a 400.
 */
export function readJsonBody(request: ApiRequest): unknown {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
    throw new VaultgateError(
      415,
      'UnsupportedMediaType',
      'send the body as JSON with Content-Type: application/json',
      { target: 'Content-Type' },
    );
  }
  const text = Buffer.from(request.body ?? new Uint8Array()).toString('utf8');
  if (text.trim() === '') {
    throw new VaultgateError(400, 'BadBody', 'the request has no body; send a JSON object', {
      target: 'body',
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's own message quotes the input, so it is not passed on.
    throw new VaultgateError(400, 'BadBody', 'the body is not valid JSON', {
      target: 'body',
    });
  }
}

/** The rows of a POST: one object, or an array of at most `maxRows` of them. */
export function bodyRows(body: unknown, maxRows: number): { rows: unknown[]; batch: boolean } {
  if (!Array.isArray(body)) return { rows: [body], batch: false };
  if (body.length > maxRows) {
    throw new VaultgateError(
      413,
      'TooManyRows',
      `one request may insert at most ${maxRows} rows, not ${body.length}; send them in parts`,
      { target: 'body' },
    );
  }
  if (body.length === 0) {
    throw new VaultgateError(422, 'EmptyBatch', 'the array holds no rows to insert', {
      target: 'body',
    });
  }
  return { rows: body, batch: true };
}
